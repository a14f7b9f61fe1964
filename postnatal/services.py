"""Birth and after: one function per use case, each in one transaction with its audit row.

Each record establishes its recorded step (timeline.services.steps_sync), which does
the protocol milestone it answers: the discharge planning meeting, the visit schedule
(once agreed), the child protection review conference and the parent and child
mid-point review. Withdrawing a record takes its step back, and the milestone reopens.

Who may do what (docs/workflow/postnatal.md): children's social care records all four;
midwifery and public health nursing keep their own agency's visits on the visit schedule
(the issue: health staff add their own agency's visits), and nothing else here. A save
that changes nothing stores nothing and writes no audit row.
"""

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import agency_code, can_change_cases, can_change_csc_decisions
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record, field_changes
from cases.models import Case, Placement
from cases.services import case_facts_update, fact_problems_after
from postnatal.models import (
    DischargePlanningAttendee,
    DischargePlanningMeeting,
    MidpointOutcome,
    MidpointReview,
    ReviewConference,
    ReviewOutcome,
    ScheduledVisit,
    VisitingAgency,
    VisitSchedule,
)
from rules.dates import format_date
from rules.validation import event_date_error
from timeline.services import steps_sync

HEALTH_AGENCIES = frozenset({VisitingAgency.MIDWIFERY, VisitingAgency.PHN})
ONLY_CSC = "Only children's social care records this"


def _require_csc(actor) -> None:
    if not can_change_csc_decisions(actor):
        raise PermissionDenied(ONLY_CSC)


def can_record_after_birth(actor) -> bool:
    """The discharge planning meeting, the schedule's agreement, the review conference
    and the mid-point review are children's social care's to record."""
    return can_change_csc_decisions(actor)


def visit_agencies_for(actor) -> frozenset[str]:
    """The agencies whose rows of the visit schedule the actor may add, change or remove:
    every agency's for children's social care; a midwife's or health visitor's own
    agency's; none for anyone else (guests, analysts, administrators)."""
    if can_change_csc_decisions(actor):
        return frozenset(VisitingAgency.values)
    own = agency_code(actor)
    if can_change_cases(actor) and own in HEALTH_AGENCIES:
        return frozenset({own})
    return frozenset()


def current_record(model, case):
    """The case's current (not withdrawn) record of this kind, or None."""
    return model.objects.filter(case=case, withdrawn_at__isnull=True).first()


def _require_birth(case: Case) -> None:
    if not case.is_born:
        raise ValidationError("This can be recorded once a live birth is recorded")


def day_error(case: Case, value: date | None, *, label: str) -> str | None:
    """A day something after the birth happened: not in the future, not before the birth.
    The forms ask it too, so every problem on a page shows at once."""
    if value is None:
        return None
    message = event_date_error(
        value,
        today=timezone.localdate(),
        registered_on=timezone.localdate(case.created_at),
        label=label,
    )
    if message:
        return message
    if case.birth_date and value < case.birth_date:
        return f"The {label} must be on or after the birth ({format_date(case.birth_date)})"
    return None


def _raise_if(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})


def _text(value: str | None) -> str:
    return (value or "").strip()


def _audit(actor, context, case, event_type, record, summary: str, **extra: Any) -> None:
    audit_record(
        actor=actor,
        event_type=event_type,
        case=case,
        context=context,
        extra_data={
            "summary": summary,
            "record": f"postnatal.{type(record).__name__.lower()}",
            "record_id": str(record.pk),
            **extra,
        },
    )


def _sync(case: Case, record, kind: str, day: date | None) -> None:
    """The record's step, as it stands now: none once withdrawn, or without its day."""
    steps = [] if record.withdrawn_at is not None or day is None else [(kind, "csc", day)]
    steps_sync(
        case, source=f"postnatal.{type(record).__name__.lower()}", source_id=record.pk, steps=steps
    )


def _withdraw(*, actor, context, case, model, reason: str, kind: str, name: str):
    """Withdraw the case's current record of this kind, made in error."""
    _require_csc(actor)
    reason = _text(reason)
    if not reason:
        raise ValidationError({"reason": ["Enter why this record is being withdrawn"]})
    case.lock_for_change()
    record = current_record(model, case)
    if record is None:
        raise ValidationError("There is nothing recorded to withdraw")
    record.mark_withdrawn(actor, reason, "changed_at")
    _sync(case, record, kind, None)
    day = getattr(record, "held_on", None) or getattr(record, "agreed_on", None)
    of_day = f" of {format_date(day)}" if day else ""
    _audit(
        actor, context, case, AuditEventType.WORK_WITHDRAWN, record,
        f"{name}{of_day} withdrawn as recorded in error: {reason}",
        step=kind, reason=reason, withdrawn=True,
        **({"on": day.isoformat()} if day else {}),
    )  # fmt: skip
    return record


# The discharge planning meeting ---------------------------------------------------------


@dataclass(frozen=True)
class Attendee:
    agency: str
    name: str
    role: str = ""

    def __str__(self) -> str:
        agency = VisitingAgency(self.agency).label
        return f"{self.name} ({agency}{', ' + self.role if self.role else ''})"


@dataclass(frozen=True)
class MeetingDetails:
    held_on: date
    placement: str
    planned_discharge_date: date | None = None
    interventions: str = ""
    chair: str = ""
    recorder: str = ""
    distributor: str = ""
    record_distributed_on: date | None = None
    attendees: tuple[Attendee, ...] = ()


MEETING_FIELDS = tuple(f.name for f in fields(MeetingDetails) if f.name != "attendees")


def _cleaned_details(details: MeetingDetails) -> MeetingDetails:
    return MeetingDetails(
        held_on=details.held_on,
        placement=details.placement,
        planned_discharge_date=details.planned_discharge_date,
        interventions=_text(details.interventions),
        chair=_text(details.chair),
        recorder=_text(details.recorder),
        distributor=_text(details.distributor),
        record_distributed_on=details.record_distributed_on,
        attendees=tuple(
            Attendee(agency=a.agency, name=_text(a.name), role=_text(a.role))
            for a in details.attendees
            if _text(a.name) or _text(a.role)
        ),
    )


def _meeting_errors(case: Case, details: MeetingDetails) -> dict[str, str]:
    errors: dict[str, str] = {}
    if details.held_on is None:
        errors["held_on"] = "Enter the date of the meeting"
    for name, label in (("held_on", "date of the meeting"),
                        ("record_distributed_on", "date the record was distributed")):  # fmt: skip
        message = day_error(case, getattr(details, name), label=label)
        if message:
            errors[name] = message
    if (
        not errors.keys() & {"held_on", "record_distributed_on"}
        and details.record_distributed_on is not None
        and details.record_distributed_on < details.held_on
    ):
        errors["record_distributed_on"] = (
            "The date the record was distributed must be on or after the meeting"
        )
    if details.placement not in Placement.values:
        errors["placement"] = "Choose the placement the meeting confirmed"
    for n, attendee in enumerate(details.attendees, start=1):
        if attendee.agency not in VisitingAgency.values:
            errors[f"attendee_{n}_agency"] = f"Choose attendee {n}'s agency"
        if not attendee.name:
            errors[f"attendee_{n}_name"] = f"Enter attendee {n}'s name"
    return errors


def _meeting_values(meeting: DischargePlanningMeeting | None) -> dict[str, Any]:
    if meeting is None:
        return {}
    values = {name: getattr(meeting, name) for name in MEETING_FIELDS}
    values["attendees"] = [str(Attendee(a.agency, a.name, a.role)) for a in meeting.attendees.all()]
    return values


def _facts_confirmed(case: Case, before: dict[str, Any], details: MeetingDetails) -> dict:
    """What the meeting newly confirms about the case's facts: the placement and the
    planned discharge date, when the meeting's own record of them changed and the case
    says otherwise. Re-saving a meeting unchanged leaves a placement changed since on the
    facts page as it is."""
    facts: dict[str, Any] = {}
    if details.placement != before.get("placement") and case.placement != details.placement:
        facts["placement"] = details.placement
    planned = details.planned_discharge_date
    if (
        planned is not None
        and planned != before.get("planned_discharge_date")
        and case.planned_discharge_date != planned
    ):
        facts["planned_discharge_date"] = planned
    return facts


def _meeting_summary(meeting: DischargePlanningMeeting, details: MeetingDetails) -> str:
    attended = sorted({VisitingAgency(a.agency).label.lower() for a in details.attendees})
    who = ", ".join(attended) if attended else "no attendees recorded"
    return (
        f"Discharge planning meeting on {format_date(meeting.held_on)}: placement confirmed"
        f" as {Placement(meeting.placement).label.lower()}; attended by {who}"
    )


@transaction.atomic
def discharge_planning_meeting_save(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    details: MeetingDetails,
    seen_version: str | None = None,
) -> DischargePlanningMeeting:
    """Record the case's discharge planning meeting, or change it. When what the meeting
    confirmed (the placement, the planned discharge date) changes, the case's facts follow
    through cases.services.case_facts_update in this transaction (their own audit row; a
    change made meanwhile to the case is refused when `seen_version` is given)."""
    _require_csc(actor)
    case.lock_for_change()
    _require_birth(case)
    details = _cleaned_details(details)
    errors = _meeting_errors(case, details)
    meeting = current_record(DischargePlanningMeeting, case)
    before = _meeting_values(meeting)
    facts = _facts_confirmed(case, before, details) if not errors else {}
    for problem in fact_problems_after(case, facts) if facts else ():
        errors.setdefault(problem.field, problem.message)
    _raise_if(errors)
    after = {name: getattr(details, name) for name in MEETING_FIELDS}
    after["attendees"] = [str(a) for a in details.attendees]
    changes = field_changes(before, after)
    if meeting is not None and not changes:
        return meeting
    values = {name: getattr(details, name) for name in MEETING_FIELDS}
    if meeting is None:
        meeting = DischargePlanningMeeting.objects.create(case=case, recorded_by=actor, **values)
    else:
        for name, value in values.items():
            setattr(meeting, name, value)
        meeting.save(update_fields=[*MEETING_FIELDS, "changed_at"])
    if "attendees" in changes or not before:
        meeting.attendees.all().delete()
        DischargePlanningAttendee.objects.bulk_create(
            DischargePlanningAttendee(meeting=meeting, position=n, agency=a.agency, name=a.name,
                                      role=a.role)
            for n, a in enumerate(details.attendees, start=1)
        )  # fmt: skip
    _sync(case, meeting, "discharge_planning_meeting", meeting.held_on)
    summary = _meeting_summary(meeting, details)
    if before:
        summary = f"Changed the record of the discharge planning meeting. {summary}"
    _audit(
        actor, context, case,
        AuditEventType.WORK_CHANGED if before else AuditEventType.WORK_RECORDED, meeting,
        summary, step="discharge_planning_meeting", on=meeting.held_on.isoformat(),
        changes=changes,
    )  # fmt: skip
    if facts:
        case_facts_update(
            actor=actor, context=context, case=case, seen_version=seen_version, **facts
        )
    return meeting


@transaction.atomic
def discharge_planning_meeting_withdraw(
    *, actor, context: AuditContext | None, case: Case, reason: str
) -> DischargePlanningMeeting:
    """The placement it confirmed stays on the case: change it on the facts page."""
    return _withdraw(
        actor=actor, context=context, case=case, model=DischargePlanningMeeting, reason=reason,
        kind="discharge_planning_meeting", name="Discharge planning meeting",
    )  # fmt: skip


# The visit schedule ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedVisit:
    agency: str
    who: str
    frequency: str
    notes: str = ""

    def __str__(self) -> str:
        agency = VisitingAgency(self.agency).label
        note = f" ({self.notes})" if self.notes else ""
        return f"{agency}: {self.who}, {self.frequency}{note}"


UNCHANGED: Any = object()
_AGENCY_ORDER = {code: n for n, code in enumerate(VisitingAgency.values)}


def _in_agency_order(rows: list[PlannedVisit]) -> list[PlannedVisit]:
    """By agency (children's social care, midwifery, public health nursing, others), each
    agency's in the order given: one agency's rows saved leave the others' in place."""
    return sorted(rows, key=lambda row: _AGENCY_ORDER.get(row.agency, len(_AGENCY_ORDER)))


def _visit_rows(schedule: VisitSchedule | None) -> list[PlannedVisit]:
    if schedule is None:
        return []
    return [PlannedVisit(v.agency, v.who, v.frequency, v.notes) for v in schedule.visits.all()]


@transaction.atomic
def visit_schedule_save(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    visits: Sequence[PlannedVisit],
    agreed_on: date | None = UNCHANGED,
    notes: str = UNCHANGED,
) -> VisitSchedule:
    """Save the visit schedule's rows for the agencies the actor keeps
    (`visit_agencies_for`): `visits` replaces exactly those agencies' rows, in order, and
    leaves the others' as they are. `agreed_on` and `notes` are children's social care's;
    the schedule's step is established once it is agreed."""
    editable = visit_agencies_for(actor)
    if not editable:
        raise PermissionDenied("You cannot change the visit schedule")
    case.lock_for_change()
    _require_birth(case)
    schedule = current_record(VisitSchedule, case)
    was = {
        "agreed_on": schedule.agreed_on if schedule else None,
        "notes": schedule.notes if schedule else "",
    }
    now = {
        "agreed_on": was["agreed_on"] if agreed_on is UNCHANGED else agreed_on,
        "notes": was["notes"] if notes is UNCHANGED else _text(notes),
    }
    if now != was and not can_change_csc_decisions(actor):
        raise PermissionDenied("Only children's social care agrees the visit schedule")
    cleaned = [
        PlannedVisit(v.agency, _text(v.who), _text(v.frequency), _text(v.notes))
        for v in visits
        if _text(v.who) or _text(v.frequency) or _text(v.notes)
    ]
    errors: dict[str, str] = {}
    for n, visit in enumerate(cleaned, start=1):
        if visit.agency not in editable:
            if visit.agency in VisitingAgency.values:
                raise PermissionDenied("You can only change your own agency's visits")
            errors[f"visit_{n}_agency"] = f"Choose who makes visit {n}"
        if not visit.who:
            errors[f"visit_{n}_who"] = f"Enter who makes visit {n}"
        if not visit.frequency:
            errors[f"visit_{n}_frequency"] = f"Enter how often, or on which dates, for visit {n}"
    old_rows = _in_agency_order(_visit_rows(schedule))
    kept = [row for row in old_rows if row.agency not in editable]
    rows = _in_agency_order(kept + cleaned)
    message = day_error(case, now["agreed_on"], label="date the schedule was agreed")
    if message:
        errors["agreed_on"] = message
    elif now["agreed_on"] is not None and not rows:
        errors["agreed_on"] = "Add at least one visit before recording the schedule as agreed"
    _raise_if(errors)
    changes = field_changes(
        {**was, "visits": [str(v) for v in old_rows]}, {**now, "visits": [str(v) for v in rows]}
    )
    if not changes:
        if schedule is not None:
            return schedule
        raise ValidationError("Add at least one visit, or the date the schedule was agreed")
    created = schedule is None
    if created:
        schedule = VisitSchedule.objects.create(case=case, recorded_by=actor, **now)
    else:
        schedule.agreed_on, schedule.notes = now["agreed_on"], now["notes"]
        schedule.save(update_fields=["agreed_on", "notes", "changed_at"])
    if "visits" in changes:
        schedule.visits.all().delete()
        ScheduledVisit.objects.bulk_create(
            ScheduledVisit(schedule=schedule, position=n, agency=v.agency, who=v.who,
                           frequency=v.frequency, notes=v.notes)
            for n, v in enumerate(rows, start=1)
        )  # fmt: skip
    _sync(case, schedule, "visit_schedule", schedule.agreed_on)
    agencies = sorted({VisitingAgency(v.agency).label.lower() for v in rows})
    by = ", ".join(agencies) if agencies else "no agency yet"
    if schedule.agreed_on:
        summary = (
            f"Visit schedule agreed on {format_date(schedule.agreed_on)}: {len(rows)}"
            f" planned visit{'s' if len(rows) != 1 else ''} by {by}"
        )
    else:
        summary = f"Visit schedule (not yet agreed): {len(rows)} planned visits by {by}"
    if not created:
        summary = f"Changed the visit schedule. {summary}"
    _audit(
        actor, context, case,
        AuditEventType.WORK_RECORDED if created else AuditEventType.WORK_CHANGED, schedule,
        summary, step="visit_schedule", changes=changes,
        **({"on": schedule.agreed_on.isoformat()} if schedule.agreed_on else {}),
    )  # fmt: skip
    return schedule


@transaction.atomic
def visit_schedule_withdraw(
    *, actor, context: AuditContext | None, case: Case, reason: str
) -> VisitSchedule:
    return _withdraw(
        actor=actor, context=context, case=case, model=VisitSchedule, reason=reason,
        kind="visit_schedule", name="Visit schedule",
    )  # fmt: skip


# The review conference and the mid-point review ---------------------------------------


@dataclass(frozen=True)
class _Review:
    model: type
    kind: str
    name: str
    outcomes: type
    date_label: str


REVIEW_CONFERENCE = _Review(
    ReviewConference, "cp_review_conference", "Child protection review conference",
    ReviewOutcome, "date of the conference",
)  # fmt: skip
MIDPOINT_REVIEW = _Review(
    MidpointReview, "pc_midpoint_review", "Parent and child placement mid-point review",
    MidpointOutcome, "date of the review",
)  # fmt: skip


def _review_save(
    review: _Review, *, actor, context, case: Case, held_on: date, outcome: str, notes: str
):
    _require_csc(actor)
    case.lock_for_change()
    _require_birth(case)
    errors: dict[str, str] = {}
    message = day_error(case, held_on, label=review.date_label)
    if message:
        errors["held_on"] = message
    if outcome not in review.outcomes.values:
        errors["outcome"] = "Choose the outcome"
    _raise_if(errors)
    record = current_record(review.model, case)
    now = {"held_on": held_on, "outcome": outcome, "notes": _text(notes)}
    was = {name: getattr(record, name) for name in now} if record else {}
    changes = field_changes(was, now)
    if record is not None and not changes:
        return record
    if record is None:
        record = review.model.objects.create(case=case, recorded_by=actor, **now)
    else:
        for name, value in now.items():
            setattr(record, name, value)
        record.save(update_fields=[*now, "changed_at"])
    _sync(case, record, review.kind, record.held_on)
    summary = (
        f"{review.name} on {format_date(record.held_on)}:"
        f" {review.outcomes(outcome).label[0].lower()}{review.outcomes(outcome).label[1:]}"
    )
    if was:
        summary = f"Changed the record of the {review.name[0].lower()}{review.name[1:]}. {summary}"
    _audit(
        actor, context, case,
        AuditEventType.WORK_CHANGED if was else AuditEventType.WORK_RECORDED, record,
        summary, step=review.kind, on=record.held_on.isoformat(), changes=changes,
    )  # fmt: skip
    return record


@transaction.atomic
def review_conference_save(
    *, actor, context: AuditContext | None, case: Case, held_on: date, outcome: str,
    notes: str = "",
) -> ReviewConference:  # fmt: skip
    """The child protection review conference (within four weeks of the birth). An ended
    plan is recorded here; the case's level of CSC input is changed on the case."""
    return _review_save(
        REVIEW_CONFERENCE, actor=actor, context=context, case=case, held_on=held_on,
        outcome=outcome, notes=notes,
    )  # fmt: skip


@transaction.atomic
def review_conference_withdraw(
    *, actor, context: AuditContext | None, case: Case, reason: str
) -> ReviewConference:
    return _withdraw(
        actor=actor, context=context, case=case, model=ReviewConference, reason=reason,
        kind=REVIEW_CONFERENCE.kind, name=REVIEW_CONFERENCE.name,
    )  # fmt: skip


@transaction.atomic
def midpoint_review_save(
    *, actor, context: AuditContext | None, case: Case, held_on: date, outcome: str,
    notes: str = "",
) -> MidpointReview:  # fmt: skip
    """The parent and child placement's mid-point review (6 to 8 weeks): held, it ends
    the family's tracking (the protocol's tracking_end follows it)."""
    return _review_save(
        MIDPOINT_REVIEW, actor=actor, context=context, case=case, held_on=held_on,
        outcome=outcome, notes=notes,
    )  # fmt: skip


@transaction.atomic
def midpoint_review_withdraw(
    *, actor, context: AuditContext | None, case: Case, reason: str
) -> MidpointReview:
    return _withdraw(
        actor=actor, context=context, case=case, model=MidpointReview, reason=reason,
        kind=MIDPOINT_REVIEW.kind, name=MIDPOINT_REVIEW.name,
    )  # fmt: skip
