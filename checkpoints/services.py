"""Checkpoints and specialist assessments: one function per use case, each in one
transaction with its audit row.

As in cases/services.py: keyword-only, the case locked first, the actor's right checked
here (not only by hiding buttons), bad input refused with a ValidationError keyed by the
form's field, the record saved, the step it establishes kept in step
(timeline.services.steps_sync, which recomputes the timeline), and one audit row
(WORK_RECORDED, WORK_CHANGED, WORK_WITHDRAWN) with the step, a sentence for the case
history and the fields' before and after.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyCode, RoleCode
from accounts.permissions import agency_code, can_change_csc_decisions
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from cases.selectors import visible_cases
from checkpoints.models import (
    Checkpoint,
    CheckpointKind,
    NetworkRoute,
    Participant,
    ParticipantAgency,
    SpecialistAssessment,
    SpecialistKind,
    ThirtyDayOutcome,
)
from checkpoints.selectors import late_requests, plan_dates
from rules.checkpoints import missing_from_meeting, missing_warning
from rules.dates import format_date
from rules.text import clean_text
from rules.validation import event_date_error
from timeline.models import CaseMilestone
from timeline.services import steps_sync

CHECKPOINT_SOURCE = "checkpoints.checkpoint"
SPECIALIST_SOURCE = "checkpoints.specialistassessment"
SPECIALIST_STEP = "specialist_assessment"
# Who records checkpoints and specialist assessments: children's social care's social
# workers and team managers (the issue: "Only CSC records them; a team manager or the
# social worker").
RECORDING_ROLES = (RoleCode.SOCIAL_WORKER, RoleCode.TEAM_MANAGER)
NOT_A_RECORDER = (
    "Only a social worker or team manager in children's social care records checkpoints"
    " and specialist assessments"
)
CHANGED_MEANWHILE = (
    "Someone else changed this record after you opened this page, so your changes have not"
    " been saved. Check what it says now, then save again."
)
# In the history's sentences: "10-day checkpoint", "multi-agency assessment meeting".
KIND_WORDS = {
    CheckpointKind.AGENCIES_INFORMED: "involved agencies informed",
    CheckpointKind.CHECKPOINT_10_DAY: "10-day checkpoint",
    CheckpointKind.MULTI_AGENCY_MEETING: "multi-agency assessment meeting",
    CheckpointKind.CHECKPOINT_30_DAY: "30-day checkpoint",
    CheckpointKind.FAMILY_NETWORK: "family network",
}


def can_record_checkpoints(user) -> bool:
    """A social worker or team manager of children's social care (pages ask this to offer
    the links; the services refuse everyone else)."""
    return can_change_csc_decisions(user) and user.has_role(*RECORDING_ROLES)


def is_team_manager(user) -> bool:
    """Someone who can hold a checkpoint as the team manager."""
    return (
        user is not None
        and user.is_active
        and user.has_role(RoleCode.TEAM_MANAGER)
        and agency_code(user) == AgencyCode.CSC
    )


def _require_recorder(actor, case) -> None:
    if not can_record_checkpoints(actor):
        raise PermissionDenied(NOT_A_RECORDER)
    if not visible_cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied("You can only record work on cases you can see")


def _text(value: str, *, multiline: bool = False) -> str:
    return clean_text(value or "", multiline=multiline).strip()


def _date_error(day: date | None, case, label: str) -> str | None:
    if day is None:
        return f"Enter the {label}"
    return event_date_error(
        day,
        today=timezone.localdate(),
        registered_on=timezone.localdate(case.created_at),
        label=label,
    )


def _audit(actor, context, event_type, *, case, step: str, record: str, record_id, summary: str,
           on: date | None, changes: dict[str, Any], **extra: Any) -> None:  # fmt: skip
    extra_data = {"step": step, "summary": summary, "record": record,
                  "record_id": str(record_id), **extra}  # fmt: skip
    if on is not None:
        extra_data["on"] = on.isoformat()
    if changes:
        extra_data["changes"] = changes
    audit_record(actor=actor, event_type=event_type, case=case, context=context,
                 extra_data=extra_data)  # fmt: skip


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(set(before) | set(after))
        if before.get(name) != after.get(name)
    }


# Checkpoints ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantDetails:
    """An agency told, or a person at the meeting (`user` when a named professional)."""

    agency: str
    name: str = ""
    role: str = ""
    user: Any = None

    @property
    def described(self) -> str:
        return Participant(agency=self.agency, name=self.name, role=self.role).described


@dataclass(frozen=True)
class CheckpointDetails:
    """What a checkpoint records; each kind uses some of it (the rest is ignored)."""

    held_on: date | None
    notes: str = ""
    team_manager: Any = None
    outcome: str = ""
    reason: str = ""
    route: str = ""
    family_present: bool | None = None
    participants: Sequence[ParticipantDetails] = ()


def _kind_label(kind: str) -> str:
    return KIND_WORDS[CheckpointKind(kind)]


def _checked(case, kind: str, details: CheckpointDetails) -> CheckpointDetails:
    """The details as the kind records them (text cleaned, other kinds' facts dropped),
    or a ValidationError keyed by the form's fields."""
    errors: dict[str, str] = {}
    labels = {
        CheckpointKind.AGENCIES_INFORMED: "date the agencies were informed",
        CheckpointKind.CHECKPOINT_10_DAY: "date of the 10-day checkpoint",
        CheckpointKind.MULTI_AGENCY_MEETING: "date of the meeting",
        CheckpointKind.CHECKPOINT_30_DAY: "date of the 30-day checkpoint",
        CheckpointKind.FAMILY_NETWORK: "date",
    }
    message = _date_error(details.held_on, case, labels[kind])
    if message is None and case.allocation_date and details.held_on < case.allocation_date:
        message = (
            f"The {labels[kind]} must be on or after the allocation on"
            f" {format_date(case.allocation_date)}"
        )
    if message:
        errors["held_on"] = message
    kept: dict[str, Any] = {"held_on": details.held_on,
                            "notes": _text(details.notes, multiline=True)}  # fmt: skip
    participants = tuple(
        ParticipantDetails(
            agency=p.agency, name=_text(p.name)[:200], role=_text(p.role)[:200], user=p.user
        )
        for p in details.participants
    )
    if any(p.agency not in ParticipantAgency.values for p in participants):
        raise ValidationError("Choose agencies from the list")
    if kind == CheckpointKind.AGENCIES_INFORMED:
        kept["participants"] = tuple(replace(p, role="", user=None) for p in participants)
        if not participants:
            errors["agencies"] = "Select the agencies you informed, or name another agency"
    elif kind == CheckpointKind.CHECKPOINT_10_DAY:
        if details.team_manager is None:
            errors["team_manager"] = "Select the team manager you met"
        elif not is_team_manager(details.team_manager):
            errors["team_manager"] = "Select a team manager in children's social care"
        kept["team_manager"] = details.team_manager
    elif kind == CheckpointKind.MULTI_AGENCY_MEETING:
        if details.family_present is None:
            errors["family_present"] = "Select whether the family was at the meeting"
        if not participants:
            errors["attendees"] = "Enter who attended the meeting"
        kept.update(participants=participants, family_present=details.family_present)
    elif kind == CheckpointKind.CHECKPOINT_30_DAY:
        if details.outcome not in ThirtyDayOutcome.values:
            errors["outcome"] = (
                "Select whether the assessment is complete or needs the full 45 days"
            )
        manager = details.team_manager
        if manager is not None and not is_team_manager(manager):
            errors["team_manager"] = "Select a team manager in children's social care"
        if details.outcome == ThirtyDayOutcome.FULL_45_DAYS:
            reason = _text(details.reason, multiline=True)
            if not reason:
                errors["reason"] = "Enter why the assessment needs the full 45 days"
            if manager is None:
                errors["team_manager"] = "Select the team manager who agreed the full 45 days"
            kept.update(outcome=details.outcome, reason=reason, team_manager=manager)
        else:
            kept.update(outcome=details.outcome, team_manager=manager)
    elif kind == CheckpointKind.FAMILY_NETWORK:
        if details.route not in NetworkRoute.values:
            errors["route"] = (
                "Select whether a Family Group Conference referral was made or the wider"
                " family explored"
            )
        if details.route == NetworkRoute.WIDER_FAMILY and not kept["notes"]:
            errors["notes"] = "Enter what was explored of the wider family and support networks"
        kept["route"] = details.route
    if errors:
        raise ValidationError(errors)
    return CheckpointDetails(**kept)


def _snapshot(details: CheckpointDetails) -> dict[str, Any]:
    """What a checkpoint says, as the audit row stores it (JSON, readable)."""
    manager = details.team_manager
    return {
        "held_on": details.held_on.isoformat() if details.held_on else None,
        "notes": details.notes,
        "team_manager": (manager.get_full_name() or manager.username) if manager else None,
        "outcome": details.outcome,
        "reason": details.reason,
        "route": details.route,
        "family_present": details.family_present,
        # In no particular order: the same people ticked or typed in another order are
        # the same record.
        "participants": sorted(p.described for p in details.participants),
    }


def checkpoint_details(checkpoint: Checkpoint) -> CheckpointDetails:
    """A stored checkpoint's details, to compare a change against or to fill a form."""
    return CheckpointDetails(
        held_on=checkpoint.held_on,
        notes=checkpoint.notes,
        team_manager=checkpoint.team_manager,
        outcome=checkpoint.outcome,
        reason=checkpoint.reason,
        route=checkpoint.route,
        family_present=checkpoint.family_present,
        participants=tuple(
            ParticipantDetails(agency=p.agency, name=p.name, role=p.role, user=p.user)
            for p in checkpoint.participants.select_related("user").order_by("position", "id")
        ),
    )


def checkpoint_summary(kind: str, details: CheckpointDetails) -> str:
    """One sentence for the case history."""
    day = format_date(details.held_on)
    manager = details.team_manager
    manager_name = (manager.get_full_name() or manager.username) if manager else ""
    if kind == CheckpointKind.AGENCIES_INFORMED:
        told = ", ".join(p.name or ParticipantAgency(p.agency).label for p in details.participants)
        return f"Involved agencies informed of the pre-birth assessment by {day}: {told}"
    if kind == CheckpointKind.CHECKPOINT_10_DAY:
        return f"10-day checkpoint with {manager_name} (team manager) on {day}"
    if kind == CheckpointKind.MULTI_AGENCY_MEETING:
        count = len(details.participants)
        family = "family present" if details.family_present else "family not present"
        sentence = (
            f"Multi-agency assessment meeting on {day}: {count} professional"
            f"{'' if count == 1 else 's'} attending, {family}"
        )
        warning = missing_warning(missing_from_meeting(p.agency for p in details.participants))
        return f"{sentence}. {warning}" if warning else sentence
    if kind == CheckpointKind.CHECKPOINT_30_DAY:
        if details.outcome == ThirtyDayOutcome.COMPLETE:
            return f"30-day checkpoint on {day}: assessment complete"
        return (
            f"30-day checkpoint on {day}: the full 45 days agreed with {manager_name}"
            f" because {details.reason}"
        )
    if details.route == NetworkRoute.FGC_REFERRAL:
        return f"Family Group Conference referral made on {day}"
    return f"Wider family and support networks explored on {day}"


def _require_applies(case, kind: str) -> None:
    if not CaseMilestone.objects.filter(case=case, milestone_id=kind).exists():
        raise ValidationError(
            "This checkpoint does not apply to the case yet: the checkpoints start when the"
            " case is allocated"
        )


def _store(checkpoint: Checkpoint, details: CheckpointDetails) -> None:
    checkpoint.held_on = details.held_on
    checkpoint.notes = details.notes
    checkpoint.team_manager = details.team_manager
    checkpoint.outcome = details.outcome
    checkpoint.reason = details.reason
    checkpoint.route = details.route
    checkpoint.family_present = details.family_present


def _store_participants(checkpoint: Checkpoint, participants) -> None:
    checkpoint.participants.all().delete()
    Participant.objects.bulk_create(
        Participant(
            checkpoint=checkpoint,
            agency=p.agency,
            name=p.name,
            role=p.role,
            user=p.user,
            position=n,
        )  # fmt: skip
        for n, p in enumerate(participants)
    )


def _sync(checkpoint: Checkpoint) -> None:
    steps = (
        [] if checkpoint.withdrawn_at else [(checkpoint.kind, AgencyCode.CSC, checkpoint.held_on)]
    )
    steps_sync(checkpoint.case, source=CHECKPOINT_SOURCE, source_id=checkpoint.pk, steps=steps)


@transaction.atomic
def checkpoint_record(
    *, actor, context: AuditContext | None, case, kind: str, details: CheckpointDetails
) -> Checkpoint:
    """Record a checkpoint; it does its milestone (done_by = "record:<kind>")."""
    if kind not in CheckpointKind.values:
        raise ValueError(f"{kind!r} is not a checkpoint")
    _require_recorder(actor, case)
    case.lock_for_change()
    _require_applies(case, kind)
    details = _checked(case, kind, details)
    if Checkpoint.objects.filter(case=case, kind=kind, withdrawn_at__isnull=True).exists():
        raise ValidationError("This checkpoint is already recorded: change it instead")
    checkpoint = Checkpoint(case=case, kind=kind, recorded_by=actor)
    _store(checkpoint, details)
    checkpoint.save()
    _store_participants(checkpoint, details.participants)
    _sync(checkpoint)
    _audit(
        actor, context, AuditEventType.WORK_RECORDED, case=case, step=kind,
        record=CHECKPOINT_SOURCE, record_id=checkpoint.pk,
        summary=checkpoint_summary(kind, details), on=details.held_on,
        changes=_changes({}, _snapshot(details)),
    )  # fmt: skip
    return checkpoint


def _locked(model, record, seen_version):
    """The record as it is now, under the case's lock; refused if withdrawn or changed
    since the form was shown."""
    record.case.lock_for_change()
    current = model.objects.select_related("case").get(pk=record.pk)
    if current.withdrawn_at is not None:
        raise ValidationError("This record has been withdrawn: it can no longer be changed")
    if seen_version is not None and str(seen_version) != str(current.version):
        raise ValidationError(CHANGED_MEANWHILE, code="changed_meanwhile")
    return current


@transaction.atomic
def checkpoint_change(
    *, actor, context: AuditContext | None, checkpoint: Checkpoint, details: CheckpointDetails,
    seen_version: str | None = None,
) -> Checkpoint:  # fmt: skip
    """Correct a checkpoint. Saved unchanged, nothing is written; a changed date moves the
    step, and so the milestone."""
    _require_recorder(actor, checkpoint.case)
    checkpoint = _locked(Checkpoint, checkpoint, seen_version)
    case = checkpoint.case
    before = _snapshot(checkpoint_details(checkpoint))
    if _snapshot(details) == before:
        # Saved as it was: nothing to write, even if a rule has moved since (a later
        # allocation date) and would now refuse what is stored.
        return checkpoint
    details = _checked(case, checkpoint.kind, details)
    changes = _changes(before, _snapshot(details))
    if not changes:
        return checkpoint
    _store(checkpoint, details)
    checkpoint.version += 1
    checkpoint.save()
    if "participants" in changes:
        _store_participants(checkpoint, details.participants)
    _sync(checkpoint)
    names = ", ".join(name.replace("_", " ") for name in changes).replace("held on", "date")
    _audit(
        actor, context, AuditEventType.WORK_CHANGED, case=case, step=checkpoint.kind,
        record=CHECKPOINT_SOURCE, record_id=checkpoint.pk,
        summary=f"{checkpoint_summary(checkpoint.kind, details)} (corrected: {names})",
        on=details.held_on, changes=changes,
    )  # fmt: skip
    return checkpoint


def _withdrawal_reason(reason: str) -> str:
    reason = _text(reason, multiline=True)
    if not reason:
        raise ValidationError({"reason": "Enter why this record is being withdrawn"})
    return reason


@transaction.atomic
def checkpoint_withdraw(
    *, actor, context: AuditContext | None, checkpoint: Checkpoint, reason: str
) -> Checkpoint:
    """Withdraw a checkpoint recorded in error: its step goes, so its milestone reopens
    (unless another record does it). The row stays, with who withdrew it and why."""
    _require_recorder(actor, checkpoint.case)
    reason = _withdrawal_reason(reason)
    checkpoint = _locked(Checkpoint, checkpoint, None)
    checkpoint.mark_withdrawn(actor, reason)
    _sync(checkpoint)
    kind = _kind_label(checkpoint.kind)
    day = format_date(checkpoint.held_on)
    _audit(
        actor, context, AuditEventType.WORK_WITHDRAWN, case=checkpoint.case, step=checkpoint.kind,
        record=CHECKPOINT_SOURCE, record_id=checkpoint.pk,
        summary=f"{kind[0].upper()}{kind[1:]} on {day} withdrawn: {reason}",
        on=checkpoint.held_on, changes={}, reason=reason,
    )  # fmt: skip
    return checkpoint


# Specialist assessments -------------------------------------------------------------------


@dataclass(frozen=True)
class SpecialistDetails:
    kind: str
    requested_on: date | None
    other_name: str = ""
    provider: str = ""
    completed_on: date | None = None
    outcome: str = ""


def _checked_specialist(case, details: SpecialistDetails) -> SpecialistDetails:
    errors: dict[str, str] = {}
    if details.kind not in SpecialistKind.values:
        errors["kind"] = "Select the kind of specialist assessment"
    other_name = _text(details.other_name)[:200] if details.kind == SpecialistKind.OTHER else ""
    if details.kind == SpecialistKind.OTHER and not other_name:
        errors["other_name"] = "Enter the name of the specialist assessment"
    message = _date_error(details.requested_on, case, "date it was requested")
    if message:
        errors["requested_on"] = message
    if details.completed_on is not None:
        message = _date_error(details.completed_on, case, "date it was completed")
        if message is None and details.requested_on and details.completed_on < details.requested_on:
            message = "The date it was completed must be on or after the date it was requested"
        if message:
            errors["completed_on"] = message
    if errors:
        raise ValidationError(errors)
    return SpecialistDetails(
        kind=details.kind, requested_on=details.requested_on, other_name=other_name,
        provider=_text(details.provider)[:200], completed_on=details.completed_on,
        outcome=_text(details.outcome, multiline=True),
    )  # fmt: skip


def _specialist_snapshot(details: SpecialistDetails) -> dict[str, Any]:
    return {
        "kind": details.kind,
        "other_name": details.other_name,
        "requested_on": details.requested_on.isoformat() if details.requested_on else None,
        "provider": details.provider,
        "completed_on": details.completed_on.isoformat() if details.completed_on else None,
        "outcome": details.outcome,
    }


def specialist_details(assessment: SpecialistAssessment) -> SpecialistDetails:
    return SpecialistDetails(
        kind=assessment.kind, requested_on=assessment.requested_on,
        other_name=assessment.other_name, provider=assessment.provider,
        completed_on=assessment.completed_on, outcome=assessment.outcome,
    )  # fmt: skip


def _store_specialist(assessment: SpecialistAssessment, details: SpecialistDetails) -> None:
    for name, value in vars(details).items():
        setattr(assessment, name, value)


def specialist_summary(assessment: SpecialistAssessment) -> str:
    """ "Hair strand test requested on 3 December 2026 from Example Laboratory, completed on
    … Requested after the initial child protection conference on …: the procedure says not
    to wait"."""
    sentence = f"{assessment.name} requested on {format_date(assessment.requested_on)}"
    if assessment.provider:
        sentence += f" from {assessment.provider}"
    if assessment.completed_on:
        sentence += f", completed on {format_date(assessment.completed_on)}"
    current = SpecialistAssessment.objects.filter(case=assessment.case, withdrawn_at__isnull=True)
    late = late_requests(current, *plan_dates(assessment.case)).get(assessment.pk)
    if late is not None:
        sentence += f". {late.message}"
    return sentence


@transaction.atomic
def specialist_assessment_request(
    *, actor, context: AuditContext | None, case, details: SpecialistDetails
) -> SpecialistAssessment:
    _require_recorder(actor, case)
    case.lock_for_change()
    details = _checked_specialist(case, details)
    assessment = SpecialistAssessment(case=case, recorded_by=actor)
    _store_specialist(assessment, details)
    assessment.save()
    _audit(
        actor, context, AuditEventType.WORK_RECORDED, case=case, step=SPECIALIST_STEP,
        record=SPECIALIST_SOURCE, record_id=assessment.pk,
        summary=specialist_summary(assessment), on=details.requested_on,
        changes=_changes({}, _specialist_snapshot(details)),
    )  # fmt: skip
    return assessment


@transaction.atomic
def specialist_assessment_update(
    *, actor, context: AuditContext | None, assessment: SpecialistAssessment,
    details: SpecialistDetails, seen_version: str | None = None,
) -> SpecialistAssessment:  # fmt: skip
    """Record its completion and outcome, or correct it. Saved unchanged, nothing is
    written."""
    _require_recorder(actor, assessment.case)
    assessment = _locked(SpecialistAssessment, assessment, seen_version)
    before = _specialist_snapshot(specialist_details(assessment))
    if _specialist_snapshot(details) == before:
        return assessment  # saved as it was
    details = _checked_specialist(assessment.case, details)
    changes = _changes(before, _specialist_snapshot(details))
    if not changes:
        return assessment
    _store_specialist(assessment, details)
    assessment.version += 1
    assessment.save()
    on = details.completed_on or details.requested_on
    _audit(
        actor, context, AuditEventType.WORK_CHANGED, case=assessment.case, step=SPECIALIST_STEP,
        record=SPECIALIST_SOURCE, record_id=assessment.pk,
        summary=specialist_summary(assessment), on=on, changes=changes,
    )  # fmt: skip
    return assessment


@transaction.atomic
def specialist_assessment_withdraw(
    *, actor, context: AuditContext | None, assessment: SpecialistAssessment, reason: str
) -> SpecialistAssessment:
    _require_recorder(actor, assessment.case)
    reason = _withdrawal_reason(reason)
    assessment = _locked(SpecialistAssessment, assessment, None)
    assessment.mark_withdrawn(actor, reason)
    _audit(
        actor, context, AuditEventType.WORK_WITHDRAWN, case=assessment.case,
        step=SPECIALIST_STEP, record=SPECIALIST_SOURCE, record_id=assessment.pk,
        summary=(f"{assessment.name} requested on {format_date(assessment.requested_on)}"
                 f" withdrawn: {reason}"),
        on=assessment.requested_on, changes={}, reason=reason,
    )  # fmt: skip
    return assessment
