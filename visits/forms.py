"""Visits and case notes: the forms. Short, for a phone: what a person types, checked for
shape here; what it means for the case is the service's to check."""

from datetime import datetime

from django import forms
from django.utils import timezone

from rules.births import exists
from visits.models import BabySeen, NoteKind, Seen, VisitType
from web.forms import DateInputField, GovUKForm, TimeOfDayField

JUST_NOW = "now"
EARLIER = "earlier"


class VisitForm(GovUKForm):
    when = forms.ChoiceField(
        label="When was the visit?",
        choices=[(JUST_NOW, "Just now"), (EARLIER, "Earlier today or another day")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose when the visit was"},
    )
    visited_on = DateInputField(
        label="Date of the visit",
        error_label="date of the visit",
        required=False,
        help_text="For example, 27 11 2026",
    )
    visited_time = TimeOfDayField(
        label="Time of the visit",
        error_label="time of the visit",
        required=False,
        help_text="For example, 14:30 or 2:30pm",
        widget=forms.TextInput(
            attrs={"class": "govuk-input--width-5", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    type = forms.ChoiceField(
        label="Kind of visit",
        choices=VisitType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the kind of visit"},
    )
    seen = forms.MultipleChoiceField(
        label="Who was seen?",
        choices=Seen.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. The baby has its own question below",
    )
    seen_other = forms.CharField(
        label="Anyone else seen (optional)",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    baby_seen = forms.ChoiceField(
        label="Was the baby seen?",
        choices=BabySeen.choices,
        widget=forms.RadioSelect(attrs={"small": True}),
        error_messages={"required": "Choose whether the baby was seen"},
    )
    father_not_seen_reason = forms.CharField(
        label="If the father or partner was not seen, why not?",
        required=False,
        max_length=2000,
        help_text="For an introductory home visit: the procedure asks for both parents,"
        " including putative fathers",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [(v, VisitType(v).label) for v in types]
        if "introductory" not in types:
            del self.fields["father_not_seen_reason"]

    def clean(self):
        data = super().clean()
        if data.get("when") == JUST_NOW:
            # The date and time are shown only for "earlier": whatever is in them is unused.
            for name in ("visited_on", "visited_time"):
                self._errors.pop(name, None)
                data.pop(name, None)
        if data.get("when") == EARLIER:
            day, at = data.get("visited_on"), data.get("visited_time")
            if day is None and "visited_on" not in self.errors:
                self.add_error(
                    "visited_on",
                    forms.ValidationError("Enter the date of the visit", params={"part": None}),
                )
            if at is None and "visited_time" not in self.errors:
                self.add_error("visited_time", "Enter the time of the visit")
            if day is not None and at is not None:
                moment = datetime.combine(day, at, tzinfo=timezone.get_current_timezone())
                if not exists(moment):
                    self.add_error(
                        "visited_time",
                        "There was no such time that day: the clocks went forward an hour."
                        " Enter the time as the clocks showed it",
                    )
        return data

    def visited_at(self) -> datetime:
        """When the visit was: now (to the minute), or the date and time typed."""
        if self.cleaned_data["when"] == JUST_NOW:
            return timezone.now().replace(second=0, microsecond=0)
        moment = datetime.combine(
            self.cleaned_data["visited_on"],
            self.cleaned_data["visited_time"],
            tzinfo=timezone.get_current_timezone(),
        )
        return moment

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "visited_at": self.visited_at(),
            "type": data["type"],
            "seen": data["seen"],
            "seen_other": data["seen_other"],
            "baby_seen": data["baby_seen"],
            "father_not_seen_reason": data.get("father_not_seen_reason", ""),
            "note": data["note"],
        }


class CaseNoteForm(GovUKForm):
    kind = forms.ChoiceField(
        label="Kind of note",
        choices=NoteKind.choices,
        widget=forms.RadioSelect(attrs={"small": True}),
        error_messages={"required": "Choose the kind of note"},
    )
    text = forms.CharField(
        label="Note",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the note"},
    )
    on = DateInputField(
        label="Date it is about (optional)",
        error_label="date the note is about",
        required=False,
        help_text="If not today: for example, the day of a supervision. For example, 27 11 2026",
    )

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(v, NoteKind(v).label) for v in kinds]
