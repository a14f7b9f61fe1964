"""Checkpoints and specialist assessments: the forms.

Each checks what a form can (a date is a date, a choice is in the list) and gives the
service its details; the service decides the rest (who may, what each kind needs) and
its errors come back against the same fields.
"""

from django import forms

from accounts.models import AgencyCode
from checkpoints.models import (
    CheckpointKind,
    NetworkRoute,
    ParticipantAgency,
    SpecialistKind,
    ThirtyDayOutcome,
)
from checkpoints.selectors import team_managers
from checkpoints.services import (
    CheckpointDetails,
    ParticipantDetails,
    SpecialistDetails,
)
from web.forms import DateInputField, GovUKForm

DATE_HINT = "For example, 27 11 2026"
# The case's named professionals, offered as "who attended": field, agency, role words.
NAMED = (
    ("named_social_worker", AgencyCode.CSC, "social worker"),
    ("named_midwife", AgencyCode.MIDWIFERY, "midwife"),
    ("named_health_visitor", AgencyCode.PHN, "health visitor"),
)
# Agencies a social worker informs (children's social care is the one informing).
INFORMED_CHOICES = [(c.value, c.label) for c in ParticipantAgency
                    if c not in (ParticipantAgency.CSC, ParticipantAgency.OTHER)]  # fmt: skip
ATTENDEE_AGENCIES = [("", "Select an agency"), *ParticipantAgency.choices]
YES_NO = [("yes", "Yes"), ("no", "No")]
EXTRA_ROWS = 3
MIN_ROWS = 6


def _person(user) -> str:
    return user.get_full_name() or user.username


class CheckpointForm(GovUKForm):
    """The fields every checkpoint has; each kind's form adds its own. `lead` and `tail`
    name the fields shown before and after the attendee rows (only the meeting has rows)."""

    kind = ""
    date_label = "Date"
    lead: tuple[str, ...] = ("held_on",)
    tail: tuple[str, ...] = ("notes",)

    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea,
                            max_length=5000)  # fmt: skip

    def __init__(self, *args, case, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)
        self.fields["held_on"] = DateInputField(
            label=self.date_label, error_label=self.date_label.lower(), help_text=DATE_HINT
        )

    def lead_fields(self):
        return [self[name] for name in self.lead if name in self.fields]

    def tail_fields(self):
        return [self[name] for name in self.tail if name in self.fields]

    def attendee_rows(self):
        return []

    def details(self) -> CheckpointDetails:
        data = self.cleaned_data
        return CheckpointDetails(held_on=data["held_on"], notes=data.get("notes", ""))

    @classmethod
    def initial_from(cls, details: CheckpointDetails, case) -> dict:
        return {"held_on": details.held_on, "notes": details.notes}


class AgenciesInformedForm(CheckpointForm):
    kind = CheckpointKind.AGENCIES_INFORMED
    date_label = "Date all involved agencies had been informed"
    lead = ("held_on", "agencies", "other_agencies")

    agencies = forms.MultipleChoiceField(
        label="Which agencies did you inform of the pre-birth assessment?",
        choices=INFORMED_CHOICES, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )  # fmt: skip
    other_agencies = forms.CharField(
        label="Other agencies informed (optional)", required=False, widget=forms.Textarea,
        help_text="One on each line", max_length=2000,
    )  # fmt: skip

    def details(self) -> CheckpointDetails:
        data = self.cleaned_data
        told = [ParticipantDetails(agency=code) for code in data["agencies"]]
        told += [
            ParticipantDetails(agency=ParticipantAgency.OTHER, name=line.strip())
            for line in data["other_agencies"].splitlines()
            if line.strip()
        ]
        return CheckpointDetails(held_on=data["held_on"], notes=data["notes"], participants=told)

    @classmethod
    def initial_from(cls, details, case) -> dict:
        return {
            **super().initial_from(details, case),
            "agencies": [
                p.agency for p in details.participants if p.agency != ParticipantAgency.OTHER
            ],  # fmt: skip
            "other_agencies": "\n".join(
                p.name for p in details.participants if p.agency == ParticipantAgency.OTHER
            ),
        }


class _TeamManagerMixin:
    def _team_manager_field(self, *, label: str) -> None:
        self.managers = {str(u.pk): u for u in team_managers(self.case)}
        self.fields["team_manager"] = forms.ChoiceField(
            label=label, required=False,
            choices=[("", "Select a team manager")]
            + [(pk, _person(user)) for pk, user in self.managers.items()],
        )  # fmt: skip

    def chosen_manager(self):
        return self.managers.get(self.cleaned_data.get("team_manager") or "")


class TenDayForm(_TeamManagerMixin, CheckpointForm):
    kind = CheckpointKind.CHECKPOINT_10_DAY
    date_label = "Date you met the team manager"
    lead = ("held_on", "team_manager")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._team_manager_field(label="Team manager")
        self.fields["notes"].label = "What was discussed about the assessment's progress (optional)"

    def details(self) -> CheckpointDetails:
        data = self.cleaned_data
        return CheckpointDetails(held_on=data["held_on"], notes=data["notes"],
                                 team_manager=self.chosen_manager())  # fmt: skip

    @classmethod
    def initial_from(cls, details, case) -> dict:
        manager = details.team_manager
        return {**super().initial_from(details, case),
                "team_manager": str(manager.pk) if manager else ""}  # fmt: skip


class MeetingForm(CheckpointForm):
    """The multi-agency assessment meeting: the case's named professionals as boxes to
    tick, and rows for everyone else (agency, name, role). Without JavaScript there is no
    "add another": the form always has spare rows."""

    kind = CheckpointKind.MULTI_AGENCY_MEETING
    date_label = "Date of the meeting"
    lead = ("held_on", "named")
    tail = ("family_present", "notes")

    family_present = forms.ChoiceField(label="Was the family at the meeting?", choices=YES_NO,
                                       widget=forms.RadioSelect, required=False)  # fmt: skip

    def __init__(self, *args, rows: int = MIN_ROWS, **kwargs):
        super().__init__(*args, **kwargs)
        self.named_people = {}
        for field_name, agency, role in NAMED:
            user = getattr(self.case, field_name)
            if user is not None:
                self.named_people[field_name] = (user, agency, role)
        if self.named_people:
            self.fields["named"] = forms.MultipleChoiceField(
                label="Which of the case's named professionals attended?",
                choices=[(name, f"{_person(user)}, {role}")
                         for name, (user, _agency, role) in self.named_people.items()],
                required=False, widget=forms.CheckboxSelectMultiple,
                help_text="Select all that apply",
            )  # fmt: skip
        self.rows = rows
        for n in range(1, rows + 1):
            self.fields[f"attendee_{n}_agency"] = forms.ChoiceField(
                label="Agency", choices=ATTENDEE_AGENCIES, required=False
            )
            self.fields[f"attendee_{n}_name"] = forms.CharField(
                label="Name", required=False, max_length=200
            )
            self.fields[f"attendee_{n}_role"] = forms.CharField(
                label="Role", required=False, max_length=200,
                help_text="For example, police officer" if n == 1 else "",
            )  # fmt: skip

    def attendee_rows(self):
        return [
            (n, self[f"attendee_{n}_agency"], self[f"attendee_{n}_name"],
             self[f"attendee_{n}_role"])
            for n in range(1, self.rows + 1)
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        for n in range(1, self.rows + 1):
            agency = data.get(f"attendee_{n}_agency")
            name = data.get(f"attendee_{n}_name")
            role = data.get(f"attendee_{n}_role")
            if (name or role) and not agency:
                self.add_error(f"attendee_{n}_agency", f"Select attendee {n}'s agency")
            elif agency and not (name or role):
                self.add_error(f"attendee_{n}_name", f"Enter attendee {n}'s name or role")
        return data

    def details(self) -> CheckpointDetails:
        data = self.cleaned_data
        people = []
        for field_name in data.get("named", []):
            user, agency, role = self.named_people[field_name]
            people.append(ParticipantDetails(agency=agency, name=_person(user),
                                             role=role.capitalize(), user=user))  # fmt: skip
        for n in range(1, self.rows + 1):
            if data.get(f"attendee_{n}_agency"):
                people.append(ParticipantDetails(
                    agency=data[f"attendee_{n}_agency"], name=data[f"attendee_{n}_name"],
                    role=data[f"attendee_{n}_role"],
                ))  # fmt: skip
        present = {"yes": True, "no": False}.get(data.get("family_present") or "")
        return CheckpointDetails(held_on=data["held_on"], notes=data["notes"],
                                 family_present=present, participants=people)  # fmt: skip

    @classmethod
    def rows_for(cls, details: CheckpointDetails | None, case) -> int:
        others = len(cls._others(details, case)) if details else 0
        return max(MIN_ROWS, others + EXTRA_ROWS)

    @staticmethod
    def _named_users(case) -> dict:
        return {getattr(case, f"{name}_id"): name for name, _a, _r in NAMED
                if getattr(case, f"{name}_id") is not None}  # fmt: skip

    @classmethod
    def _others(cls, details, case):
        named = cls._named_users(case)
        return [p for p in details.participants if p.user is None or p.user.pk not in named]

    @classmethod
    def initial_from(cls, details, case) -> dict:
        named = cls._named_users(case)
        initial = {
            **super().initial_from(details, case),
            "named": [named[p.user.pk] for p in details.participants
                      if p.user is not None and p.user.pk in named],
            "family_present": {True: "yes", False: "no"}.get(details.family_present, ""),
        }  # fmt: skip
        for n, p in enumerate(cls._others(details, case), start=1):
            initial.update({f"attendee_{n}_agency": p.agency, f"attendee_{n}_name": p.name,
                            f"attendee_{n}_role": p.role})  # fmt: skip
        return initial


class ThirtyDayForm(_TeamManagerMixin, CheckpointForm):
    kind = CheckpointKind.CHECKPOINT_30_DAY
    date_label = "Date of the 30-day checkpoint"
    lead = ("held_on", "outcome", "team_manager", "reason")

    outcome = forms.ChoiceField(
        label="Is the assessment complete?", choices=ThirtyDayOutcome.choices,
        widget=forms.RadioSelect, required=False,
    )  # fmt: skip
    reason = forms.CharField(
        label="Why the assessment needs the full 45 days", required=False,
        widget=forms.Textarea, max_length=5000,
        help_text="Needed when the full 45 days are agreed",
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._team_manager_field(label="Team manager who agreed the full 45 days")
        self.fields["team_manager"].help_text = "Needed when the full 45 days are agreed"

    def details(self) -> CheckpointDetails:
        data = self.cleaned_data
        return CheckpointDetails(held_on=data["held_on"], notes=data["notes"],
                                 outcome=data["outcome"], reason=data["reason"],
                                 team_manager=self.chosen_manager())  # fmt: skip

    @classmethod
    def initial_from(cls, details, case) -> dict:
        manager = details.team_manager
        return {**super().initial_from(details, case), "outcome": details.outcome,
                "reason": details.reason,
                "team_manager": str(manager.pk) if manager else ""}  # fmt: skip


class FamilyNetworkForm(CheckpointForm):
    kind = CheckpointKind.FAMILY_NETWORK
    date_label = "Date the referral was made or the wider family explored"
    lead = ("route", "held_on")

    route = forms.ChoiceField(label="What was done?", choices=NetworkRoute.choices,
                              widget=forms.RadioSelect, required=False)  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notes"].label = "Notes"
        self.fields["notes"].help_text = (
            "Who in the wider family and support network was explored, and what was found."
            " Needed when the wider family was explored."
        )

    def details(self) -> CheckpointDetails:
        data = self.cleaned_data
        return CheckpointDetails(held_on=data["held_on"], notes=data["notes"],
                                 route=data["route"])  # fmt: skip

    @classmethod
    def initial_from(cls, details, case) -> dict:
        return {**super().initial_from(details, case), "route": details.route}


FORMS = {form.kind: form for form in (AgenciesInformedForm, TenDayForm, MeetingForm,
                                      ThirtyDayForm, FamilyNetworkForm)}  # fmt: skip


class SpecialistAssessmentForm(GovUKForm):
    kind = forms.ChoiceField(label="Which specialist assessment?", choices=SpecialistKind.choices,
                             widget=forms.RadioSelect, required=False)  # fmt: skip
    other_name = forms.CharField(label="Name of the assessment, if another", required=False,
                                 max_length=200)  # fmt: skip
    requested_on = DateInputField(
        label="Date it was requested", error_label="date it was requested", help_text=DATE_HINT
    )
    provider = forms.CharField(label="Provider (optional)", required=False, max_length=200,
                               help_text="Who carries it out")  # fmt: skip
    completed_on = DateInputField(label="Date it was completed (optional)",
                                  error_label="date it was completed", required=False,
                                  help_text=DATE_HINT)  # fmt: skip
    outcome = forms.CharField(label="Outcome (optional)", required=False, widget=forms.Textarea,
                              max_length=5000)  # fmt: skip

    def details(self) -> SpecialistDetails:
        data = self.cleaned_data
        return SpecialistDetails(
            kind=data["kind"], requested_on=data["requested_on"], other_name=data["other_name"],
            provider=data["provider"], completed_on=data["completed_on"], outcome=data["outcome"],
        )  # fmt: skip

    @staticmethod
    def initial_from(details: SpecialistDetails) -> dict:
        return dict(vars(details))
