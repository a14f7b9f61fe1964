from django import forms

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
    # Whether the date is plausible for the case (not in the future, not long before the
    # case) is the service's check, rules.validation.event_date_error; the page shows it
    # against this field.


class MilestoneNotApplicableForm(GovUKForm):
    reason = forms.CharField(
        label="Why does this not apply?",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter why this milestone does not apply"},
    )
