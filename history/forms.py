"""Case history: the filter (categories and a date range), sent by GET."""

from django import forms

from history.entries import CATEGORIES
from history.selectors import HistoryFilters
from web.forms import DateRangeFilterForm


class HistoryFilterForm(DateRangeFilterForm):
    kinds = forms.MultipleChoiceField(
        label="What happened",
        choices=list(CATEGORIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. Select none to see everything.",
    )
    field_order = ["kinds", "since", "until"]

    def filters(self) -> HistoryFilters:
        """What to show: the valid parts of what was asked."""
        data = self.valid_parts()
        return HistoryFilters(
            kinds=tuple(data.get("kinds") or ()), since=data.get("since"), until=data.get("until")
        )
