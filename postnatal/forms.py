"""Birth and after: the forms.

The discharge planning meeting's attendees and the visit schedule's visits are rows of
a few boxes each, as many as the page showed (`rows`, posted back hidden) plus one more
with "Add another": no JavaScript needed, and what was typed is kept.
"""

from django import forms

from cases.models import Placement
from postnatal.models import (
    EXPECTED_AGENCIES,
    MidpointOutcome,
    ReviewOutcome,
    VisitingAgency,
)
from postnatal.services import Attendee, MeetingDetails, PlannedVisit, day_error
from rules.dates import format_date
from web.forms import DateInputField, GovUKForm

MAX_ROWS = 30
AGENCY_CHOICES = [("", "Choose an agency"), *VisitingAgency.choices]


def row_count(data, *, at_least: int, adding: bool = False) -> int:
    """How many rows a page shows: what it showed before (posted back), one more when
    "Add another" was pressed; never fewer than `at_least`, never more than MAX_ROWS."""
    try:
        shown = int((data or {}).get("rows") or 0)
    except (TypeError, ValueError):
        shown = 0
    return max(at_least, min(shown + adding, MAX_ROWS))


def _text(label: str, *, required: bool = False, max_length: int = 200, hint: str = ""):
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        help_text=hint,
        error_messages={
            "required": f"Enter {label[0].lower() + label[1:]}",
            "max_length": f"{label} must be {max_length} characters or fewer",
        },
    )


def _box(label: str, *, hint: str = "", max_length: int = 5000):
    return forms.CharField(
        label=label,
        required=False,
        max_length=max_length,
        help_text=hint,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": f"{label} must be {max_length} characters or fewer"},
    )


def _agency(label: str) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=AGENCY_CHOICES, required=False,
        error_messages={"invalid_choice": "Choose an agency from the list"},
    )  # fmt: skip


class AfterBirthForm(GovUKForm):
    """A form about a case after its birth: its days are checked against the birth."""

    DAYS: dict[str, str] = {}

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean(self):
        cleaned = super().clean()
        for name, label in self.DAYS.items():
            if self.case is None or name not in self.fields or name in self.errors:
                continue
            message = day_error(self.case, cleaned.get(name), label=label)
            if message:
                self.add_error(name, forms.ValidationError(message, params={"part": None}))
        return cleaned


class DischargePlanningMeetingForm(AfterBirthForm):
    DAYS = {"held_on": "date of the meeting",
            "record_distributed_on": "date the record was distributed"}  # fmt: skip

    held_on = DateInputField(
        label="Date of the meeting", error_label="date of the meeting",
        help_text="Held after the birth, before the baby leaves hospital. For example, 10 6 2027",
    )  # fmt: skip
    placement = forms.ChoiceField(
        label="Placement confirmed at the meeting",
        choices=Placement.choices,
        widget=forms.RadioSelect,
        help_text="Where the baby will live after leaving hospital. Saving sets the case's"
        " placement to this.",
        error_messages={"required": "Choose the placement the meeting confirmed"},
    )
    planned_discharge_date = DateInputField(
        label="Planned date for the baby to leave hospital (optional)",
        error_label="planned discharge date",
        required=False,
        help_text="Saving sets the case's planned discharge date to this.",
    )
    interventions = _box(
        "Agreed multi-agency interventions",
        hint="What each agency will do, as agreed at the meeting",
    )
    chair = _text("Who chaired the meeting (optional)", hint="Name and role")
    recorder = _text("Who recorded the meeting (optional)", hint="Name and role")
    distributor = _text("Who distributes the record (optional)", hint="Name and role")
    record_distributed_on = DateInputField(
        label="Date the record was distributed (optional)",
        error_label="date the record was distributed",
        required=False,
    )

    def __init__(self, *args, rows: int = 1, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        planned = self.case.planned_discharge_date if self.case is not None else None
        if planned is not None:
            self.fields["planned_discharge_date"].help_text = (
                f"The case's planned discharge date is {format_date(planned)}. Saving a"
                " different date here sets the case's to it."
            )
        for n in range(1, rows + 1):
            self.fields[f"attendee_{n}_agency"] = _agency(f"Attendee {n}: agency")
            self.fields[f"attendee_{n}_name"] = _text(f"Attendee {n}: name")
            self.fields[f"attendee_{n}_role"] = _text(f"Attendee {n}: role (optional)")

    @staticmethod
    def initial_for(meeting, case) -> dict:
        if meeting is None:
            # The case's planned discharge date is shown beside the box, not typed into
            # it: a new meeting's page has nothing filled in but the choices.
            initial = {"placement": case.placement or None}
            for n, agency in enumerate(EXPECTED_AGENCIES, start=1):
                initial[f"attendee_{n}_agency"] = agency.value
            return initial
        initial = {
            name: getattr(meeting, name)
            for name in ("held_on", "placement", "planned_discharge_date", "interventions",
                         "chair", "recorder", "distributor", "record_distributed_on")
        }  # fmt: skip
        for n, attendee in enumerate(meeting.attendees.all(), start=1):
            initial |= {f"attendee_{n}_agency": attendee.agency,
                        f"attendee_{n}_name": attendee.name,
                        f"attendee_{n}_role": attendee.role}  # fmt: skip
        return initial

    def attendee_groups(self):
        return [
            [self[f"attendee_{n}_{part}"] for part in ("agency", "name", "role")]
            for n in range(1, self.rows + 1)
        ]

    def clean(self):
        cleaned = super().clean()
        for n in range(1, self.rows + 1):
            agency = cleaned.get(f"attendee_{n}_agency")
            name = cleaned.get(f"attendee_{n}_name")
            role = cleaned.get(f"attendee_{n}_role")
            if (name or role) and not agency and f"attendee_{n}_agency" not in self.errors:
                self.add_error(f"attendee_{n}_agency", f"Choose attendee {n}'s agency")
            if role and not name and f"attendee_{n}_name" not in self.errors:
                self.add_error(f"attendee_{n}_name", f"Enter attendee {n}'s name")
        return cleaned

    def attendees(self) -> tuple[Attendee, ...]:
        data = self.cleaned_data
        return tuple(
            Attendee(data[f"attendee_{n}_agency"], data[f"attendee_{n}_name"],
                     data[f"attendee_{n}_role"])
            for n in range(1, self.rows + 1)
            if data.get(f"attendee_{n}_name")
        )  # fmt: skip

    def details(self) -> MeetingDetails:
        data = self.cleaned_data
        return MeetingDetails(
            held_on=data["held_on"],
            placement=data["placement"],
            planned_discharge_date=data.get("planned_discharge_date"),
            interventions=data.get("interventions", ""),
            chair=data.get("chair", ""),
            recorder=data.get("recorder", ""),
            distributor=data.get("distributor", ""),
            record_distributed_on=data.get("record_distributed_on"),
            attendees=self.attendees(),
        )


class VisitScheduleForm(AfterBirthForm):
    """`agencies`: whose rows this person keeps (postnatal.services.visit_agencies_for).
    Someone of one agency sees only that agency's rows here, with no agency to choose;
    children's social care also records the day the schedule was agreed."""

    DAYS = {"agreed_on": "date the schedule was agreed"}
    agreed_on = DateInputField(
        label="Date the schedule was agreed (optional until it is)",
        error_label="date the schedule was agreed",
        required=False,
        help_text="Usually at the discharge planning meeting. For example, 10 6 2027",
    )
    notes = _box(
        "What the schedule is based on (optional)",
        hint="The risks and concerns the visits answer",
    )

    def __init__(self, *args, rows: int = 1, agencies=frozenset(), **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        self.own_agency = next(iter(agencies)) if len(agencies) == 1 else None
        if self.own_agency is not None:
            del self.fields["agreed_on"], self.fields["notes"]
        for n in range(1, rows + 1):
            if self.own_agency is None:
                self.fields[f"visit_{n}_agency"] = _agency(f"Visit {n}: agency")
            self.fields[f"visit_{n}_who"] = _text(
                f"Visit {n}: who visits", hint="A name or a role: “Health visitor”"
            )
            self.fields[f"visit_{n}_frequency"] = _text(
                f"Visit {n}: how often, or on which dates",
                hint="For example, “Twice a week for 4 weeks”",
            )
            self.fields[f"visit_{n}_notes"] = _text(f"Visit {n}: notes (optional)", max_length=500)

    @property
    def agrees(self) -> bool:
        return "agreed_on" in self.fields

    @staticmethod
    def initial_for(schedule, agencies) -> dict:
        if schedule is None:
            return {}
        initial = {"agreed_on": schedule.agreed_on, "notes": schedule.notes}
        mine = [visit for visit in schedule.visits.all() if visit.agency in agencies]
        for n, visit in enumerate(mine, start=1):
            initial |= {f"visit_{n}_agency": visit.agency, f"visit_{n}_who": visit.who,
                        f"visit_{n}_frequency": visit.frequency,
                        f"visit_{n}_notes": visit.notes}  # fmt: skip
        return initial

    def visit_groups(self):
        parts = ("who", "frequency", "notes") if self.own_agency else (
            "agency", "who", "frequency", "notes")  # fmt: skip
        return [[self[f"visit_{n}_{part}"] for part in parts] for n in range(1, self.rows + 1)]

    def _agency_of(self, n: int) -> str:
        return self.own_agency or self.cleaned_data.get(f"visit_{n}_agency") or ""

    def clean(self):
        cleaned = super().clean()
        for n in range(1, self.rows + 1):
            who = cleaned.get(f"visit_{n}_who")
            frequency = cleaned.get(f"visit_{n}_frequency")
            notes = cleaned.get(f"visit_{n}_notes")
            if not (who or frequency or notes):
                continue
            if not self._agency_of(n) and f"visit_{n}_agency" not in self.errors:
                self.add_error(f"visit_{n}_agency", f"Choose who makes visit {n}")
            if not who and f"visit_{n}_who" not in self.errors:
                self.add_error(f"visit_{n}_who", f"Enter who makes visit {n}")
            if not frequency and f"visit_{n}_frequency" not in self.errors:
                self.add_error(
                    f"visit_{n}_frequency", f"Enter how often, or on which dates, for visit {n}"
                )
        return cleaned

    def visits(self) -> list[PlannedVisit]:
        data = self.cleaned_data
        return [
            PlannedVisit(self._agency_of(n), data.get(f"visit_{n}_who", ""),
                         data.get(f"visit_{n}_frequency", ""), data.get(f"visit_{n}_notes", ""))
            for n in range(1, self.rows + 1)
        ]  # fmt: skip


class ReviewForm(AfterBirthForm):
    """The review conference and the mid-point review: a date, an outcome, notes."""

    held_on = DateInputField(label="Date", error_label="date", help_text="For example, 10 6 2027")
    outcome = forms.ChoiceField(
        label="Outcome",
        choices=(),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the outcome",
            "invalid_choice": "Choose the outcome",
        },  # fmt: skip
    )
    notes = _box("Notes (optional)")

    def __init__(self, *args, outcomes, date_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes.choices
        self.fields["held_on"].label = date_label[0].upper() + date_label[1:]
        self.fields["held_on"].error_label = date_label
        self.DAYS = {"held_on": date_label}


REVIEW_OUTCOMES = {"review_conference": ReviewOutcome, "midpoint_review": MidpointOutcome}
