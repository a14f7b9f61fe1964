"""Visits and case notes: one function per use case, each in one transaction with its audit row.

As in cases/services.py: keyword-only, the case locked first, who may act checked here
(PermissionDenied), what was typed checked (ValidationError keyed by the form's field),
saved, the visit's recorded step kept in step (timeline.services.steps_sync, which
recomputes the timeline), and the audit row written with its summary sentence.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyCode, RoleCode
from accounts.permissions import agency_code, agency_name, can_change_cases
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record, field_changes
from cases.models import Case
from cases.selectors import visible_cases
from rules import visits as rules
from rules.dates import format_date, format_datetime
from rules.text import clean_text
from rules.validation import event_date_error
from timeline.models import CaseMilestone
from timeline.services import steps_sync
from visits.models import BabySeen, CaseNote, NoteKind, Seen, Visit, VisitType

SOURCE = "visits.visit"
NOTE_SOURCE = "visits.casenote"
# Who may withdraw a visit or a note besides whoever recorded it: a manager of its agency.
WITHDRAWING_MANAGERS = {
    AgencyCode.CSC: (RoleCode.TEAM_MANAGER, RoleCode.OPERATIONS_MANAGER),
    AgencyCode.MIDWIFERY: (RoleCode.NAMED_MIDWIFE,),
    AgencyCode.PHN: (RoleCode.NAMED_PHN,),
}
DIRECTING_ROLES = (RoleCode.TEAM_MANAGER, RoleCode.OPERATIONS_MANAGER)
FATHER_REASON_REQUIRED = (
    "Enter why the father or partner was not seen: the introductory visit is to both"
    " parents, including putative fathers"
)


# Who may do what: the pages ask these to decide what to offer; the services enforce them.


def visit_types_for(user) -> tuple[str, ...]:
    """The kinds of visit this person records (none if they cannot record visits)."""
    if not can_change_cases(user):
        return ()
    return rules.types_for(agency_code(user))


def can_record_visits(user) -> bool:
    return bool(visit_types_for(user))


def _may_withdraw(user, *, by_id, agency: str) -> bool:
    """Whoever recorded it, or a manager of the agency it was recorded for."""
    if not can_change_cases(user):
        return False
    if by_id == user.pk:
        return True
    managers = WITHDRAWING_MANAGERS.get(agency, ())
    return agency_code(user) == agency and bool(managers) and user.has_role(*managers)


def can_withdraw_visit(user, visit: Visit) -> bool:
    return not visit.is_withdrawn and _may_withdraw(
        user, by_id=visit.recorded_by_id, agency=visit.agency
    )


def can_withdraw_note(user, note: CaseNote) -> bool:
    return not note.is_withdrawn and _may_withdraw(user, by_id=note.author_id, agency=note.agency)


def note_kinds_for(user) -> tuple[str, ...]:
    if not can_change_cases(user) or agency_code(user) not in rules.TYPES_BY_AGENCY:
        return ()
    kinds = [NoteKind.CASE_NOTE, NoteKind.SUPERVISION]
    if user.has_role(*DIRECTING_ROLES):
        kinds.insert(1, NoteKind.MANAGEMENT_DIRECTION)
    return tuple(kinds)


def _require_on_case(actor, case: Case) -> None:
    """Only someone who can see the case changes it (a page has already given a 404)."""
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("You cannot change this case")


def _check_day(errors: dict[str, str], key: str, day: date, case: Case, label: str) -> None:
    message = event_date_error(
        day,
        today=timezone.localdate(),
        registered_on=timezone.localdate(case.created_at),
        label=label,
    )
    if message:
        errors.setdefault(key, message)


def _done_milestones(case: Case) -> dict[str, tuple[str, date | None]]:
    return {
        milestone_id: (title, done)
        for milestone_id, title, done in CaseMilestone.objects.filter(case=case).values_list(
            "milestone_id", "title", "done_date"
        )
    }


def _moved(before: dict, after: dict) -> tuple[list[str], list[str]]:
    """The titles of milestones done now that were not, and open now that were done."""

    def done(rows: dict, key: str) -> bool:
        return key in rows and rows[key][1] is not None

    return (
        [title for key, (title, _) in after.items() if done(after, key) and not done(before, key)],
        [title for key, (title, _) in before.items() if done(before, key) and not done(after, key)],
    )


def _visit_steps(visit: Visit) -> list[tuple[str, str, date]]:
    kind = rules.step_of(visit.type)
    if kind is None or visit.is_withdrawn or visit.agency not in rules.TYPES_BY_AGENCY:
        return []
    return [(kind, visit.agency, timezone.localdate(visit.visited_at))]


def _summary(visit: Visit, *, withdrawn: bool = False) -> str:
    seen = [label.lower() if code in Seen.values else label
            for code, label in _seen_pairs(visit)]  # fmt: skip
    return rules.visit_summary(
        type_label=visit.get_type_display(),
        day=timezone.localdate(visit.visited_at),
        seen=seen,
        baby_seen=visit.baby_seen,
        withdrawn=withdrawn,
    )


def _seen_pairs(visit: Visit) -> list[tuple[str, str]]:
    pairs = [(code, Seen(code).label) for code in Seen.values if code in visit.seen]
    return pairs + ([("", visit.seen_other)] if visit.seen_other else [])


@dataclass(frozen=True)
class VisitRecorded:
    """What recording (or withdrawing) a visit changed: the visit, and the titles of the
    milestones it did (or that are open again)."""

    visit: Visit
    milestones_done: tuple[str, ...] = ()
    milestones_reopened: tuple[str, ...] = ()


@transaction.atomic
def visit_record(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    visited_at: datetime,
    type: str,
    seen: Iterable[str] = (),
    seen_other: str = "",
    baby_seen: str,
    father_not_seen_reason: str = "",
    note: str = "",
) -> VisitRecorded:
    """A visit by the actor's agency. `visited_at` is an aware datetime."""
    case.lock_for_change()
    _require_on_case(actor, case)
    allowed = visit_types_for(actor)
    if not allowed:
        raise PermissionDenied("You cannot record visits")
    if type not in VisitType.values:
        raise ValidationError({"type": "Choose the kind of visit"})
    if type not in allowed:
        raise PermissionDenied(
            f"{agency_name(agency_code(actor) or '')} does not record a"
            f" {VisitType(type).label.lower()}"
        )
    errors: dict[str, str] = {}
    seen_codes = set(seen)
    if seen_codes - set(Seen.values):
        errors["seen"] = "Choose who was seen from the list"
    seen_list = [code for code in Seen.values if code in seen_codes]
    seen_other = clean_text(seen_other).strip()
    father_not_seen_reason = clean_text(father_not_seen_reason, multiline=True).strip()
    note = clean_text(note, multiline=True).strip()
    if not seen_list and not seen_other:
        errors.setdefault("seen", "Choose who was seen, or enter who else was")
    if len(seen_other) > 200:
        errors["seen_other"] = "Who else was seen must be 200 characters or fewer"
    if visited_at.tzinfo is None:
        raise ValueError("visited_at must be an aware datetime")
    local = timezone.localtime(visited_at)
    day = local.date()
    _check_day(errors, "visited_on", day, case, "date of the visit")
    if "visited_on" not in errors and visited_at > timezone.now():
        errors["visited_time"] = "The time of the visit must be in the past"
    if type == VisitType.NEW_BIRTH and not (case.birth_date and day >= case.birth_date):
        errors["type"] = "A new birth visit is after the baby is born"
    # A baby born alive has a date of birth (a neonatal death too); a loss before birth
    # ends the pregnancy on the outcome's date, with no date of birth.
    born_on = case.birth_date
    ended_on = case.outcome_date if case.outcome and born_on is None else None
    if baby_seen not in BabySeen.values:
        errors["baby_seen"] = "Choose whether the baby was seen"
    elif message := rules.baby_seen_error(baby_seen, day=day, born_on=born_on, ended_on=ended_on):
        errors["baby_seen"] = message
    if type == VisitType.INTRODUCTORY and Seen.FATHER not in seen_list:
        if not father_not_seen_reason:
            errors["father_not_seen_reason"] = FATHER_REASON_REQUIRED
    else:
        father_not_seen_reason = ""  # asked only when it applies
    if errors:
        raise ValidationError(errors)
    before = _done_milestones(case)
    visit = Visit.objects.create(
        case=case,
        visited_at=visited_at,
        type=type,
        agency=agency_code(actor),
        recorded_by=actor,
        seen=seen_list,
        seen_other=seen_other,
        baby_seen=baby_seen,
        father_not_seen_reason=father_not_seen_reason,
        note=note,
    )
    steps = _visit_steps(visit)
    if steps_sync(case, source=SOURCE, source_id=visit.pk, steps=steps):
        done, _ = _moved(before, _done_milestones(case))
    else:
        done = []
    recorded = {
        "visited_at": visited_at, "type": type, "agency": visit.agency, "seen": seen_list,
        "seen_other": seen_other, "baby_seen": baby_seen,
        "father_not_seen_reason": father_not_seen_reason, "note": note,
    }  # fmt: skip
    extra: dict[str, Any] = {
        "summary": _summary(visit),
        "record": SOURCE,
        "record_id": str(visit.pk),
        "on": day.isoformat(),
        "changes": field_changes({}, recorded),
    }
    if steps:
        extra["step"] = steps[0][0]
    if done:
        extra["milestones_done"] = done
    audit_record(
        actor=actor, event_type=AuditEventType.VISIT_RECORDED, case=case, context=context,
        extra_data=extra,
    )  # fmt: skip
    return VisitRecorded(visit=visit, milestones_done=tuple(done))


@transaction.atomic
def visit_withdraw(
    *, actor, context: AuditContext | None, visit: Visit, reason: str
) -> VisitRecorded:
    """Withdraw a visit recorded in error: kept, marked withdrawn, and no longer a step."""
    case = visit.case
    case.lock_for_change()
    _require_on_case(actor, case)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.is_withdrawn:
        raise ValidationError("This visit has already been withdrawn")
    if not can_withdraw_visit(actor, visit):
        raise PermissionDenied("Only whoever recorded a visit, or their manager, withdraws it")
    reason = clean_text(reason, multiline=True).strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the visit is being withdrawn"})
    before = _done_milestones(case)
    visit.mark_withdrawn(actor, reason)
    if steps_sync(case, source=SOURCE, source_id=visit.pk, steps=[]):
        _, reopened = _moved(before, _done_milestones(case))
    else:
        reopened = []
    day = timezone.localdate(visit.visited_at)
    extra: dict[str, Any] = {
        "summary": f"{_summary(visit, withdrawn=True)}: {reason}",
        "record": SOURCE,
        "record_id": str(visit.pk),
        "on": day.isoformat(),
        "changes": field_changes(
            {"withdrawn_at": None, "withdrawn_reason": ""},
            {"withdrawn_at": visit.withdrawn_at, "withdrawn_reason": reason},
        ),
    }
    if reopened:
        extra["milestones_reopened"] = reopened
    audit_record(
        actor=actor, event_type=AuditEventType.VISIT_WITHDRAWN, case=case, context=context,
        extra_data=extra,
    )  # fmt: skip
    return VisitRecorded(visit=visit, milestones_reopened=tuple(reopened))


MAX_NOTE = 10_000


@transaction.atomic
def case_note_add(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    kind: str,
    text: str,
    on: date | None = None,
) -> CaseNote:
    """A case note, a supervision note, or a manager's direction."""
    case.lock_for_change()
    _require_on_case(actor, case)
    kinds = note_kinds_for(actor)
    if not kinds:
        raise PermissionDenied("You cannot add case notes")
    if kind not in NoteKind.values:
        raise ValidationError({"kind": "Choose the kind of note"})
    if kind not in kinds:
        raise PermissionDenied("Only team managers and operations managers give directions")
    errors: dict[str, str] = {}
    text = clean_text(text, multiline=True).strip()
    if not text:
        errors["text"] = "Enter the note"
    elif len(text) > MAX_NOTE:
        errors["text"] = f"The note must be {MAX_NOTE:,} characters or fewer"
    if on is not None:
        _check_day(errors, "on", on, case, "date the note is about")
    if errors:
        raise ValidationError(errors)
    note = CaseNote.objects.create(
        case=case, kind=kind, text=text, author=actor, agency=agency_code(actor), on=on
    )
    audit_record(
        actor=actor,
        event_type=AuditEventType.NOTE_ADDED,
        case=case,
        context=context,
        extra_data={
            "summary": _note_summary(note),
            "record": NOTE_SOURCE,
            "record_id": str(note.pk),
            "on": note.about.isoformat(),
            "changes": field_changes({}, {"kind": kind, "text": text, "on": on}),
        },
    )
    return note


def _note_summary(note: CaseNote) -> str:
    """ "Supervision note by Priya Tester (Children's Social Care), about 18 January 2027"."""
    author = note.author
    summary = f"{NoteKind(note.kind).label} by {author.get_full_name() or author.username}"
    summary += f" ({agency_name(note.agency)})"
    if note.on:
        return summary + f", about {format_date(note.on)}"
    return summary + f", {format_datetime(timezone.localtime(note.written_at))}"


@transaction.atomic
def case_note_withdraw(
    *, actor, context: AuditContext | None, note: CaseNote, reason: str
) -> CaseNote:
    """Withdraw a note written in error: kept, marked withdrawn. A supervision note no
    longer counts as the agency's supervision on the baby."""
    case = note.case
    case.lock_for_change()
    _require_on_case(actor, case)
    note = CaseNote.objects.select_for_update().select_related("author").get(pk=note.pk)
    if note.is_withdrawn:
        raise ValidationError("This note has already been withdrawn")
    if not can_withdraw_note(actor, note):
        raise PermissionDenied("Only whoever wrote a note, or their manager, withdraws it")
    reason = clean_text(reason, multiline=True).strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the note is being withdrawn"})
    note.mark_withdrawn(actor, reason)
    audit_record(
        actor=actor,
        event_type=AuditEventType.NOTE_WITHDRAWN,
        case=case,
        context=context,
        extra_data={
            "summary": f"{_note_summary(note)} withdrawn: {reason}",
            "record": NOTE_SOURCE,
            "record_id": str(note.pk),
            "on": note.about.isoformat(),
            "changes": field_changes(
                {"withdrawn_at": None, "withdrawn_reason": ""},
                {"withdrawn_at": note.withdrawn_at, "withdrawn_reason": reason},
            ),
        },
    )
    return note
