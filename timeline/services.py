"""Keeping each case's stored timeline in step with its facts, and recording progress.

`timeline_recompute` runs inside the transaction of every change to a case's
facts, so a stored due date is never out of date with the facts it came from.
"""

import functools
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

import rules
from accounts.permissions import agency_in_sentence, can_change_cases, can_record_milestone
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from rules.protocol import DONE_FACTS, OWNERS, STEP_KINDS, Protocol, named_protocol, protocol_file
from rules.timeline import (
    CaseFacts,
    MilestoneResult,
    NotApplicable,
    RecordedStep,
    Timeline,
    compute_timeline,
    steady_until,
)
from rules.validation import event_date_error
from timeline.models import CaseMilestone, CaseStep, MilestoneEvent, MilestoneState

STORED_FIELDS = ["position", "title", "owner", "state", "due_date", "due_at", "warning_from",
                 "done_date", "not_applicable_reason", "tracked_without_date",
                 "ends_when_due"]  # fmt: skip


def active_protocol() -> Protocol:
    """The protocol this deployment uses: PREBIRTH_PROTOCOL, a name in protocols/ or a path."""
    choice = settings.PREBIRTH_PROTOCOL
    if choice.endswith(".toml"):
        return protocol_file(choice)  # cached; reloaded when the file changes
    return named_protocol(choice)


def _local_naive(value: datetime | None) -> datetime | None:
    """The engine counts hours on London wall-clock time, without a time zone."""
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def case_facts(
    case, when: date | datetime, events: Iterable[MilestoneEvent] | None = None
) -> CaseFacts:
    """The engine's facts for a stored case, on a day, or at a moment (an aware datetime)
    when hours matter."""
    if isinstance(when, datetime):
        today, now = timezone.localdate(when), _local_naive(when)
    else:
        today, now = when, None
    if events is None:
        # .all() uses the events prefetched by a batch (recompute_timelines) when there are any.
        events = [event for event in case.events.all() if event.withdrawn_at is None]
    return CaseFacts(
        edd=case.edd,
        today=today,
        referral_date=case.referral_date,
        complex=case.complex,
        allocation_date=case.allocation_date,
        significant_harm=case.significant_harm,
        strategy_discussion_date=case.strategy_discussion_date,
        pre_proceedings=case.pre_proceedings,
        bla_panel=case.bla_panel,
        birth_date=case.birth_date,
        pregnancy_outcome=case.outcome or None,
        planned_discharge_date=case.planned_discharge_date,
        discharge=_local_naive(case.discharge),
        placement=case.placement or None,
        placement_date=case.placement_date,
        cp_plan=case.cp_plan,
        events={
            event.milestone_id: (
                event.done_date
                if event.done_date is not None
                else NotApplicable(event.not_applicable_reason)
            )
            for event in events
        },
        # .all() uses the steps prefetched by a batch when there are any.
        steps=tuple(
            RecordedStep(kind=step.kind, agency=step.agency, on=step.done_on)
            for step in case.steps.all()
        ),
        now=now,
    )


def steps_sync(case, *, source: str, source_id, steps: Iterable[tuple[str, str, date]]) -> bool:
    """Make the steps that one record establishes what it says now, and recompute the
    case's timeline if they changed. Returns whether they did.

    `source` names the kind of record ("visits.visit"), `source_id` the record; `steps`
    is (kind, agency, day) for each step it establishes now: none once it is withdrawn.
    Call it inside the record's transaction, after saving the record.
    """
    wanted = {}
    for kind, agency, day in steps:
        if kind not in STEP_KINDS or agency not in OWNERS:
            raise ValueError(f"unknown step {kind!r} or agency {agency!r}")
        wanted[kind] = (agency, day)
    source_id = str(source_id)
    existing = {
        row.kind: row for row in CaseStep.objects.filter(source=source, source_id=source_id)
    }
    changed = False
    for kind, row in existing.items():
        if kind not in wanted:
            row.delete()
            changed = True
        elif (row.agency, row.done_on) != wanted[kind]:
            row.agency, row.done_on = wanted[kind]
            row.save(update_fields=["agency", "done_on"])
            changed = True
    for kind, (agency, day) in wanted.items():
        if kind not in existing:
            CaseStep.objects.create(
                case=case, kind=kind, agency=agency, done_on=day, source=source,
                source_id=source_id,
            )  # fmt: skip
            changed = True
    if changed:
        # The case's prefetched steps (if any) are stale now.
        getattr(case, "_prefetched_objects_cache", {}).pop("steps", None)
        timeline_recompute(case)
    return changed


def case_timeline(case, when: date | datetime | None = None) -> Timeline:
    """The engine's timeline for a stored case, now (or on a day, or at a moment)."""
    return compute_timeline(case_facts(case, when or timezone.now()), active_protocol())


def _stored_values(result: MilestoneResult, position: int, owner: str) -> dict:
    state = result.status if result.status in MilestoneState.values else MilestoneState.OPEN
    due_at = None
    if isinstance(result.due, datetime):
        due_at = timezone.make_aware(result.due) if timezone.is_naive(result.due) else result.due
    return {
        "position": position,
        "title": result.title,
        "owner": owner,
        "state": state,
        "due_date": result.due_date,
        "due_at": due_at,
        "warning_from": result.warning_from,
        "done_date": result.done,
        "not_applicable_reason": result.not_applicable_reason or "",
        "tracked_without_date": result.due is None and result.status == "upcoming",
        "ends_when_due": result.ends_when_due,
    }


@dataclass(frozen=True)
class DueDateChange:
    milestone_id: str
    before: date | None
    after: date | None


def timeline_recompute(case, *, today: date | None = None, protocol: Protocol | None = None):
    """Rewrite the case's stored milestones from its facts. Returns the due dates that moved.

    A handful of queries whatever the protocol: read the rows, then bulk create,
    update and delete only what changed.
    """
    protocol = protocol or active_protocol()
    facts = case_facts(case, today or timezone.localdate())
    writes = MilestoneWrites(protocol)
    # .all() uses milestones prefetched (a batch) when there are any.
    changes = writes.add(case, facts, list(case.milestones.all()))
    writes.save()
    return changes


@functools.cache
def engine_digest(protocol: Protocol) -> str:
    """What a stored timeline is computed with, as a digest: the protocol (all of it, so a
    file edited without a new version counts) and the code of the rules and of this
    module (a fixed engine recomputes what the old one stored)."""
    digest = hashlib.sha256(repr(protocol).encode())
    for source in sorted([*Path(rules.__file__).parent.glob("*.py"), Path(__file__)]):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


def timeline_fingerprint(facts: CaseFacts, engine: str) -> str:
    """A digest of what a case's stored milestones are computed from, but the day: its
    facts and the engine. With the same fingerprint they are the same until the case's
    `steady_until` (see rules.timeline.steady_until)."""
    steady = replace(
        facts,
        today=date.min,
        now=None,
        events=dict(sorted(facts.events.items())),
        steps=tuple(sorted(facts.steps, key=repr)),
    )
    return hashlib.sha256(f"{engine}|{steady!r}".encode()).hexdigest()


def timeline_is_current(case, fingerprint: str, today: date) -> bool:
    """Whether the case's stored milestones are what recomputing them would give, known
    without computing: the same fingerprint (timeline_fingerprint of its facts now), and
    a day before its steady_until."""
    return case.timeline_fingerprint == fingerprint and (
        case.timeline_steady_until is None or today < case.timeline_steady_until
    )


class MilestoneWrites:
    """The stored milestones of one or many cases brought in step with their facts, the
    writes gathered: one bulk create, one bulk update and one delete however many cases
    (recompute_timelines passes a batch of cases; a change to a case, one)."""

    CASE_FIELDS = ("protocol_version", "timeline_fingerprint", "timeline_steady_until")

    def __init__(self, protocol: Protocol):
        self.protocol = protocol
        self.engine = engine_digest(protocol)
        self.position = {milestone_id: n for n, milestone_id in enumerate(protocol.milestone_ids)}
        self.owner = {rule.id: rule.owner for rule in protocol.milestones}
        self._clear()

    def _clear(self) -> None:
        self.to_create: list[CaseMilestone] = []
        self.to_update: list[CaseMilestone] = []
        self.to_delete: list[int] = []
        self.fields_updated: set[str] = set()
        self.cases: list = []

    def add(
        self,
        case,
        facts: CaseFacts,
        rows: Iterable[CaseMilestone],
        fingerprint: str | None = None,
    ) -> list[DueDateChange]:
        """Plan the writes that make `rows` (the case's stored milestones) its timeline
        from `facts` (whose timeline_fingerprint the caller may have worked out already);
        returns the due dates that move."""
        timeline = compute_timeline(facts, self.protocol)
        existing = {row.milestone_id: row for row in rows}
        changes = []
        for result in timeline.milestones:
            values = _stored_values(result, self.position[result.id], self.owner[result.id])
            row = existing.pop(result.id, None)
            if row is None:
                self.to_create.append(CaseMilestone(case=case, milestone_id=result.id, **values))
                changes.append(DueDateChange(result.id, None, values["due_date"]))
                continue
            changed = [name for name, value in values.items() if getattr(row, name) != value]
            if changed:
                if row.due_date != values["due_date"]:
                    changes.append(DueDateChange(result.id, row.due_date, values["due_date"]))
                for name in changed:
                    setattr(row, name, values[name])
                self.to_update.append(row)
                self.fields_updated.update(changed)
        for row in existing.values():
            changes.append(DueDateChange(row.milestone_id, row.due_date, None))
            self.to_delete.append(row.id)
        fingerprint = fingerprint or timeline_fingerprint(facts, self.engine)
        stored = (self.protocol.version, fingerprint, steady_until(timeline))
        if tuple(getattr(case, name) for name in self.CASE_FIELDS) != stored:
            for name, value in zip(self.CASE_FIELDS, stored, strict=True):
                setattr(case, name, value)
            self.cases.append(case)
        return changes

    def save(self) -> None:
        if self.to_create:
            CaseMilestone.objects.bulk_create(self.to_create, batch_size=2000)
        if self.to_update:  # only the columns that changed: each is a CASE over the rows
            fields = [name for name in STORED_FIELDS if name in self.fields_updated]
            CaseMilestone.objects.bulk_update(self.to_update, fields, batch_size=500)
        if self.to_delete:
            CaseMilestone.objects.filter(id__in=self.to_delete).delete()
        # Not the case's save(): recomputing is not a change to the case (its version and
        # updated_at stay).
        if len(self.cases) == 1:
            case = self.cases[0]
            type(case).objects.filter(pk=case.pk).update(
                **{name: getattr(case, name) for name in self.CASE_FIELDS}
            )
        elif self.cases:
            type(self.cases[0]).objects.bulk_update(self.cases, self.CASE_FIELDS, batch_size=500)
        self._clear()


def milestone_owner(milestone_id: str) -> str | None:
    """The agency that records a milestone, by the protocol in use (None: not in it)."""
    protocol = active_protocol()
    if milestone_id not in protocol.milestone_ids:
        return None
    return protocol.milestone(milestone_id).owner


def _require_recorder(actor, milestone_id: str) -> None:
    """Only the agency that owns a milestone records it done, not applicable, or undone."""
    if not can_change_cases(actor):
        raise PermissionDenied("You cannot change cases")
    owner = milestone_owner(milestone_id)
    if owner is not None and not can_record_milestone(actor, owner):
        raise PermissionDenied(f"Only {agency_in_sentence(owner)} records this milestone")


def _record_event(case, milestone_id: str, **recorded) -> MilestoneEvent:
    """Create the milestone's one current event, under the case's row lock. Two people
    recording the same milestone at once: the second is told, not shown an error page."""
    case.lock_for_change()
    if _current_event(case, milestone_id) is not None:
        raise ValidationError("This milestone is already recorded: undo it first")
    try:
        with transaction.atomic():
            return MilestoneEvent.objects.create(case=case, milestone_id=milestone_id, **recorded)
    except IntegrityError:
        raise ValidationError("This milestone is already recorded: undo it first") from None


def _current_event(case, milestone_id: str) -> MilestoneEvent | None:
    return MilestoneEvent.objects.filter(
        case=case, milestone_id=milestone_id, withdrawn_at__isnull=True
    ).first()


def _check_milestone(case, milestone_id: str) -> None:
    protocol = active_protocol()
    if milestone_id not in protocol.milestone_ids:
        raise ValidationError(f"{milestone_id} is not a milestone of this protocol")
    if any(due.done_by in DONE_FACTS for due in protocol.milestone(milestone_id).due_rules):
        # Done by a fact (the referral or allocation date): a second record beside it
        # could only disagree with it.
        raise ValidationError(
            "This step is done by its date on the 'Referral, decisions and birth' page"
        )
    if not CaseMilestone.objects.filter(case=case, milestone_id=milestone_id).exists():
        raise ValidationError("This milestone does not apply to the case yet")


def milestone_done_by_step(milestone_id: str) -> str | None:
    """The kind of recorded step that does a milestone in the protocol in use (None: none
    does, or the milestone is not in it). The first such rule's kind, where several do."""
    protocol = active_protocol()
    if milestone_id not in protocol.milestone_ids:
        return None
    for due in protocol.milestone(milestone_id).due_rules:
        if due.done_by_step is not None:
            return due.done_by_step
    return None


def hand_tick_refusal(milestone_id: str) -> str:
    """Why a milestone cannot be ticked done by hand ("": it can, as far as this goes)."""
    if milestone_done_by_step(milestone_id) is None:
        return ""
    title = active_protocol().milestone(milestone_id).title
    return (
        f"{title} is done by recording the work itself, on the page where that work is"
        " recorded (this milestone's page links to it), not by ticking it done here"
    )


@transaction.atomic
def milestone_record_done(
    *, actor, context: AuditContext | None, case, milestone_id: str, done_date: date, note: str = ""
) -> MilestoneEvent:
    """Tick a milestone done by hand: only one that no recorded work does. A milestone done
    by a recorded step is done by recording that work, on its own page; it can still be
    marked not applicable, and a tick recorded before that rule can still be undone."""
    _require_recorder(actor, milestone_id)
    _check_milestone(case, milestone_id)
    if refusal := hand_tick_refusal(milestone_id):
        raise ValidationError(refusal)
    message = event_date_error(
        done_date,
        today=timezone.localdate(),
        registered_on=timezone.localdate(case.created_at),
        label="date it was done",
    )
    if message:
        # Keyed by the form's field, so a page shows it against the date typed.
        raise ValidationError({"done_date": message})
    event = _record_event(case, milestone_id, done_date=done_date, note=note, recorded_by=actor)
    timeline_recompute(case)
    audit_record(
        actor=actor,
        event_type=AuditEventType.MILESTONE_DONE,
        case=case,
        context=context,
        extra_data={
            "milestone": milestone_id,
            "changes": {"done_date": {"before": None, "after": done_date.isoformat()}},
            "note": note,
        },
    )
    return event


@transaction.atomic
def milestone_mark_not_applicable(
    *, actor, context: AuditContext | None, case, milestone_id: str, reason: str
) -> MilestoneEvent:
    _require_recorder(actor, milestone_id)
    _check_milestone(case, milestone_id)
    if not reason.strip():
        raise ValidationError("Enter why this milestone does not apply")
    event = _record_event(
        case, milestone_id, not_applicable_reason=reason.strip(), recorded_by=actor
    )
    timeline_recompute(case)
    audit_record(
        actor=actor,
        event_type=AuditEventType.MILESTONE_NOT_APPLICABLE,
        case=case,
        context=context,
        extra_data={"milestone": milestone_id, "reason": reason.strip()},
    )
    return event


@transaction.atomic
def milestone_undo(
    *, actor, context: AuditContext | None, case, milestone_id: str
) -> MilestoneEvent:
    """Withdraw what was recorded. The event stays, marked withdrawn, and is audited."""
    _require_recorder(actor, milestone_id)
    case.lock_for_change()
    event = _current_event(case, milestone_id)
    if event is None:
        raise ValidationError("There is nothing recorded to undo")
    event.withdrawn_at = timezone.now()
    event.withdrawn_by = actor
    event.save(update_fields=["withdrawn_at", "withdrawn_by"])
    timeline_recompute(case)
    before = event.done_date.isoformat() if event.done_date else "not applicable"
    audit_record(
        actor=actor,
        event_type=AuditEventType.MILESTONE_UNDONE,
        case=case,
        context=context,
        extra_data={"milestone": milestone_id, "changes": {"recorded": {"before": before,
                                                                         "after": None}}},
    )  # fmt: skip
    return event
