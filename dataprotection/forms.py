"""The data protection officer's forms: finding a case, and filtering its access log."""

from django import forms

from dataprotection.selectors import AccessFilters, CaseQuery
from rules import nhs_number as nhs
from web.forms import DateRangeFilterForm, GovUKForm


class CaseSearchForm(GovUKForm):
    mother_name = forms.CharField(
        label="Mother's name",
        required=False,
        max_length=200,
        help_text="Her first name, family name or both",
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=30,
        help_text="The mother's, a father's or partner's, or a baby's. For example, 999 123 4567",
    )
    reference = forms.CharField(
        label="Case reference", required=False, max_length=20, help_text="For example, PB-7K2M9Q"
    )

    def clean_nhs_number(self) -> str:
        number = nhs.normalise(self.cleaned_data.get("nhs_number") or "")
        if number and not (len(number) == 10 and number.isascii() and number.isdigit()):
            raise forms.ValidationError("NHS number must be 10 digits")
        return number

    def clean(self):
        cleaned = super().clean()
        asked = any(cleaned.get(name) for name in ("mother_name", "nhs_number", "reference"))
        if not self.errors and not asked:
            raise forms.ValidationError(
                "Enter the mother's name, an NHS number or a case reference"
            )
        return cleaned

    def query(self) -> CaseQuery:
        data = self.cleaned_data
        return CaseQuery(
            mother_name=data["mother_name"].strip(),
            nhs_number=data["nhs_number"],
            reference=data["reference"].strip(),
        )


class AccessLogFilterForm(DateRangeFilterForm):
    person = forms.ModelChoiceField(
        label="Person", queryset=None, required=False, empty_label="Anyone"
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        self.fields["person"].label_from_instance = lambda user: (
            f"{user.get_full_name() or user.username} ({user.username})"
        )

    def filters(self) -> AccessFilters:
        """What to show: the valid parts of what was asked."""
        data = self.valid_parts()
        person = data.get("person")
        return AccessFilters(
            since=data.get("since"), until=data.get("until"), person=person.pk if person else None
        )
