from django import forms
from django.utils import timezone

from web.forms import DateInputField, GovUKForm


class MilestoneDoneForm(GovUKForm):
    done_date = DateInputField(
        label="Date it was done",
        error_label="date it was done",
        help_text="For example, 4 2 2027",
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_done_date(self):
        value = self.cleaned_data["done_date"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(
                "The date it was done must be today or in the past", params={"part": None}
            )
        return value


class MilestoneNotApplicableForm(GovUKForm):
    reason = forms.CharField(
        label="Why does this not apply?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this milestone does not apply"},
    )
