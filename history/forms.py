"""Case history: the filter (categories and a date range), sent by GET."""

from django import forms

from history.entries import CATEGORIES
from history.selectors import HistoryFilters
from web.forms import DateInputField, GovUKForm


class HistoryFilterForm(GovUKForm):
    kinds = forms.MultipleChoiceField(
        label="What happened",
        choices=list(CATEGORIES.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Select all that apply. Select none to see everything.",
    )
    since = DateInputField(
        label="From",
        error_label="date to show from",
        required=False,
        help_text="For example, 27 3 2027",
    )
    until = DateInputField(
        label="To",
        error_label="date to show up to",
        required=False,
        help_text="For example, 30 4 2027",
    )

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error(
                "until", "The date to show up to must be the same as or after the date to show from"
            )
        return cleaned

    def filters(self) -> HistoryFilters:
        """What to show: the valid parts of what was asked (a bad date is left out, and
        shown as an error beside the entries)."""
        if not self.is_bound:
            return HistoryFilters()
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return HistoryFilters(
            kinds=tuple(data.get("kinds") or ()),
            since=data.get("since"),
            until=data.get("until"),
        )
