"""Pre-birth assessments: one function per use case, each in one transaction with its audit row.

As in cases/services.py: keyword-only, the case locked first, the actor's right checked
here (not only by hiding buttons), the change saved, the timeline's recorded steps synced
(`timeline.services.steps_sync`) and the audit row written, all in one transaction.

Who may do what (docs/workflow/assessments.md):
- children's social care's social workers and team managers of the case's locality (and
  the case's named social worker) open the assessment once the case is allocated, write its
  areas and send it for authorisation;
- the case's named midwife and named health visitor add their own agency's view to
  "views of other agencies" (any midwife or health visitor of the locality while the case
  has none named in their agency);
- a team manager who did not write it and did not send it authorises it, or returns it with
  a reason (no self-approval);
- nobody changes it while it waits for authorisation or once authorised.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyCode, RoleCode
from accounts.permissions import agency_code, agency_in_sentence, can_change_cases
from assessments.models import (
    AgencyView,
    AreaStatus,
    Assessment,
    AssessmentArea,
    AssessmentState,
)
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from rules import assessment as rules
from rules.dates import format_date
from rules.text import clean_text
from rules.validation import event_date_error
from timeline.services import steps_sync

SOURCE = "assessments.assessment"
CSC_PRACTITIONERS = (RoleCode.SOCIAL_WORKER, RoleCode.TEAM_MANAGER)
# Health staff who write their agency's view: the agency -> the case's named professional.
VIEW_WRITERS = {
    AgencyCode.MIDWIFERY: ("named_midwife_id", (RoleCode.NAMED_MIDWIFE, RoleCode.MIDWIFE)),
    AgencyCode.PHN: ("named_health_visitor_id", (RoleCode.NAMED_PHN, RoleCode.HEALTH_VISITOR)),
}
MAX_TEXT = 20_000
READ_ONLY = "This assessment has been sent for authorisation: it cannot be changed now"
NOT_ALLOCATED = "The case must be allocated before its assessment can be opened"


class ChangedMeanwhile(Exception):
    """Someone saved this area (or view) after the form was shown. Nothing was saved: the
    page shows what they saved, and keeps what this person typed."""

    def __init__(self, current):
        super().__init__("Changed by someone else meanwhile")
        self.current = current


# Who may do what: asked by the services, and by the pages to decide what to show.


def _in_scope(user, case) -> bool:
    return case.locality_id in user.locality_ids


def can_write_assessment(user, case) -> bool:
    """Opens the assessment, writes its areas, sends it for authorisation."""
    if not (can_change_cases(user) and agency_code(user) == AgencyCode.CSC):
        return False
    if case.named_social_worker_id == user.pk:
        return True
    return user.has_role(*CSC_PRACTITIONERS) and _in_scope(user, case)


def view_agency_of(user, case) -> str | None:
    """The agency whose view this user may add to "views of other agencies", or None."""
    agency = agency_code(user)
    if agency not in VIEW_WRITERS or not can_change_cases(user):
        return None
    named_field, roles = VIEW_WRITERS[agency]
    named = getattr(case, named_field)
    if named is not None:
        return agency if named == user.pk else None
    return agency if user.has_role(*roles) and _in_scope(user, case) else None


def assessment_authors(assessment: Assessment) -> frozenset:
    """Who wrote it: the worker who opened it and whoever last wrote any area."""
    writers = {
        area.updated_by_id for area in assessment.areas.all() if area.updated_by_id is not None
    }
    return frozenset({assessment.opened_by_id, *writers})


def decision_refusal(user, assessment: Assessment) -> str | None:
    """Why this user may not authorise or return the assessment, or None if they may."""
    if not can_change_cases(user) or not _in_scope(user, assessment.case):
        return "Only a team manager of the case's locality can authorise its assessment"
    return rules.authorisation_refusal(
        user_id=user.pk,
        is_team_manager=agency_code(user) == AgencyCode.CSC
        and user.has_role(RoleCode.TEAM_MANAGER),
        author_ids=assessment_authors(assessment),
        submitter_id=assessment.submitted_by_id,
    )


def area_statuses(assessment: Assessment) -> dict[str, str]:
    return {area.code: area.status for area in assessment.areas.all()}


# Helpers


def _name(user) -> str:
    return user.get_full_name() or user.username


def _audit(actor, context, event, *, case, record, summary: str, **extra: Any) -> None:
    audit_record(
        actor=actor,
        event_type=event,
        case=case,
        context=context,
        extra_data={
            "summary": summary,
            "record": f"assessments.{type(record).__name__.lower()}",
            "record_id": str(record.pk),
            **extra,
        },
    )


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    def plain(value):
        if isinstance(value, date | datetime):
            return value.isoformat()
        return value

    return {
        name: {"before": plain(before.get(name)), "after": plain(value)}
        for name, value in after.items()
        if before.get(name) != value
    }


def _check_day(case, day: date, *, label: str, field: str, not_before: date | None) -> None:
    message = event_date_error(
        day,
        today=timezone.localdate(),
        registered_on=timezone.localdate(case.created_at),
        label=label,
    )
    if message is None and not_before is not None and day < not_before:
        message = f"The {label} must be on or after {format_date(not_before)}"
    if message:
        raise ValidationError({field: message})


def _locked(assessment: Assessment) -> Assessment:
    """The case locked (changes to it queue), and the assessment as it is now."""
    case = assessment.case
    case.lock_for_change()
    fresh = Assessment.objects.select_for_update().select_related("case").get(pk=assessment.pk)
    fresh.case = case
    return fresh


def _steps(assessment: Assessment) -> list[tuple[str, str, date]]:
    steps = [("assessment_opened", AgencyCode.CSC.value, assessment.opened_on)]
    if assessment.state == AssessmentState.AUTHORISED and assessment.authorised_on:
        steps.append(("assessment_authorised", AgencyCode.CSC.value, assessment.authorised_on))
        # "At the 30 day check point the assessment should have been completed": an
        # authorised assessment is that checkpoint's outcome, so it is not asked for twice.
        steps.append(("checkpoint_30_day", AgencyCode.CSC.value, assessment.authorised_on))
    return steps


def _clean(text: str) -> str:
    text = clean_text(text or "", multiline=True).strip()
    if len(text) > MAX_TEXT:
        raise ValidationError({"text": f"Enter no more than {MAX_TEXT:,} characters"})
    return text


# The use cases


@transaction.atomic
def assessment_open(
    *, actor, context: AuditContext | None, case, opened_on: date | None = None
) -> Assessment:
    """Open the case's assessment with its 15 areas not started: the allocated worker
    opens it (the `assessment_opened` step, on `opened_on`, today unless given)."""
    case.lock_for_change()
    if not can_write_assessment(actor, case):
        raise PermissionDenied("Only children's social care's workers open the assessment")
    if case.allocation_date is None:
        raise ValidationError(NOT_ALLOCATED)
    if Assessment.objects.filter(case=case).exists():
        raise ValidationError("This case's assessment is already open")
    opened_on = opened_on or timezone.localdate()
    _check_day(
        case, opened_on, label="date the assessment was opened", field="opened_on",
        not_before=case.allocation_date,
    )  # fmt: skip
    assessment = Assessment.objects.create(case=case, opened_by=actor, opened_on=opened_on)
    AssessmentArea.objects.bulk_create(
        AssessmentArea(assessment=assessment, code=code) for code in rules.AREA_CODES
    )
    steps_sync(case, source=SOURCE, source_id=assessment.pk, steps=_steps(assessment))
    _audit(
        actor, context, AuditEventType.WORK_RECORDED, case=case, record=assessment,
        summary=f"Pre-birth assessment opened on {format_date(opened_on)} by {_name(actor)}",
        step="assessment_opened", on=opened_on.isoformat(),
        changes=_changes({}, {"state": assessment.state, "opened_on": opened_on,
                              "opened_by": _name(actor)}),
    )  # fmt: skip
    return assessment


@dataclass(frozen=True)
class AreaSaved:
    changed: bool
    # The analysis, reopened because an area it is written from is no longer completed.
    analysis_reopened: bool = False


@transaction.atomic
def area_save(
    *,
    actor,
    context: AuditContext | None,
    assessment: Assessment,
    code: str,
    text: str,
    action: str,
    version: int | None,
) -> AreaSaved:
    """Save one area's text as a draft (`action` "draft") or mark it completed ("complete").
    An empty area, or the analysis while other areas are not completed, cannot be
    completed. `version` is the area's version the form showed: if someone saved it
    meanwhile, ChangedMeanwhile and nothing saved. Saved unchanged, nothing changes."""
    assessment = _locked(assessment)
    case = assessment.case
    if not can_write_assessment(actor, case):
        raise PermissionDenied("Only children's social care write the assessment's areas")
    if not assessment.open_for_change:
        raise PermissionDenied(READ_ONLY)
    if code not in rules.AREA_CODES:
        raise ValidationError({"code": "Choose one of the assessment's areas"})
    if action not in rules.SAVE_ACTIONS:
        raise ValidationError({"action": "Choose to save as a draft or mark as completed"})
    text = _clean(text)
    areas = {area.code: area for area in assessment.areas.select_for_update()}
    area = areas[code]
    statuses = {other.code: other.status for other in areas.values()}
    if action == rules.COMPLETE:
        problem = rules.completion_problem(code, text, statuses)
        if problem:
            raise ValidationError({"text": problem})
    status = rules.status_after_save(area.status, text, action)
    if (area.text, area.status) == (text, status):
        return AreaSaved(changed=False)
    if version is not None and version != area.version:
        raise ChangedMeanwhile(area)
    before = {"text": area.text, "status": area.status}
    area.text, area.status = text, status
    area.updated_by, area.updated_at = actor, timezone.now()
    area.version += 1
    area.save(update_fields=["text", "status", "updated_by", "updated_at", "version"])
    what = {
        rules.COMPLETED: "marked as completed",
        rules.IN_PROGRESS: "saved as a draft",
        rules.NOT_STARTED: "cleared",
    }[status]
    summary = f"Pre-birth assessment: {area.title} {what} by {_name(actor)}"
    analysis = areas[rules.ANALYSIS]
    reopened = (
        code != rules.ANALYSIS
        and status != rules.COMPLETED
        and analysis.status == AreaStatus.COMPLETED
    )
    if reopened:
        # The analysis is written from the others: it is not complete while they are not.
        analysis.status = AreaStatus.IN_PROGRESS
        analysis.version += 1
        analysis.save(update_fields=["status", "version"])
        summary += "; the analysis is back in progress until it is completed again"
    _audit(
        actor, context, AuditEventType.WORK_CHANGED, case=case, record=area,
        summary=summary, step="assessment_area", area=code,
        changes=_changes(before, {"text": area.text, "status": area.status}),
    )  # fmt: skip
    return AreaSaved(changed=True, analysis_reopened=reopened)


@transaction.atomic
def agency_view_save(
    *,
    actor,
    context: AuditContext | None,
    assessment: Assessment,
    text: str,
    version: int | None,
    agency: str | None = None,
) -> bool:
    """The actor's own agency's view, for "views of other agencies": the case's named
    midwife or named health visitor (any of that agency's practitioners of the locality
    while none is named). Returns whether anything changed."""
    assessment = _locked(assessment)
    case = assessment.case
    own = view_agency_of(actor, case)
    agency = agency or agency_code(actor)
    if own is None or agency != own:
        raise PermissionDenied(
            "Only the case's named midwife or named health visitor adds their own agency's view"
        )
    if not assessment.open_for_change:
        raise PermissionDenied(READ_ONLY)
    text = _clean(text)
    if not text:
        raise ValidationError({"text": f"Enter the {agency_in_sentence(agency)} view"})
    view = AgencyView.objects.select_for_update().filter(assessment=assessment, agency=agency)
    view = view.first()
    if view is not None and view.text == text:
        return False
    if version is not None and version != (view.version if view else 0):
        raise ChangedMeanwhile(view)
    before = {"text": view.text if view else None, "author": _name(view.author) if view else None}
    if view is None:
        view = AgencyView(assessment=assessment, agency=agency)
    view.text, view.author, view.updated_at = text, actor, timezone.now()
    view.version += 1
    view.save()
    _audit(
        actor, context,
        AuditEventType.WORK_CHANGED if before["text"] else AuditEventType.WORK_RECORDED,
        case=case, record=view, step="agency_view", agency=agency,
        summary=(f"Pre-birth assessment: the {agency_in_sentence(agency)} view of the family"
                 f" {'changed' if before['text'] else 'added'} by {_name(actor)}"),
        changes=_changes(before, {"text": text, "author": _name(actor)}),
    )  # fmt: skip
    return True


def _moment(case, when: datetime | None, *, label: str, not_before: date) -> datetime:
    when = when or timezone.now()
    _check_day(case, timezone.localdate(when), label=label, field="when", not_before=not_before)
    return when


@transaction.atomic
def assessment_submit(
    *, actor, context: AuditContext | None, assessment: Assessment, when: datetime | None = None
) -> Assessment:
    """Send the assessment, all 15 areas completed, to a team manager to authorise."""
    assessment = _locked(assessment)
    case = assessment.case
    if not can_write_assessment(actor, case):
        raise PermissionDenied("Only children's social care send the assessment for authorisation")
    if not assessment.open_for_change:
        raise ValidationError("This assessment has already been sent for authorisation")
    problem = rules.submission_problem(area_statuses(assessment))
    if problem:
        raise ValidationError(problem)
    when = _moment(case, when, label="date it was sent", not_before=assessment.opened_on)
    before = {"state": assessment.state}
    assessment.state = AssessmentState.SUBMITTED
    assessment.submitted_at, assessment.submitted_by = when, actor
    assessment.version += 1
    assessment.save(update_fields=["state", "submitted_at", "submitted_by", "version"])
    day = timezone.localdate(when)
    _audit(
        actor, context, AuditEventType.ASSESSMENT_SUBMITTED, case=case, record=assessment,
        summary=(f"Pre-birth assessment sent for authorisation on {format_date(day)}"
                 f" by {_name(actor)}"),
        on=day.isoformat(),
        changes=_changes(before, {"state": assessment.state, "submitted_by": _name(actor)}),
    )  # fmt: skip
    return assessment


@transaction.atomic
def assessment_decide(
    *,
    actor,
    context: AuditContext | None,
    assessment: Assessment,
    authorise: bool,
    reason: str = "",
    when: datetime | None = None,
) -> Assessment:
    """A team manager who did not write or send it authorises the assessment (its
    completion: the `assessment_authorised` step, on the day) or returns it, with what
    must change, for the areas to be changed and sent again."""
    assessment = _locked(assessment)
    case = assessment.case
    refusal = decision_refusal(actor, assessment)
    if refusal:
        raise PermissionDenied(refusal)
    if assessment.state != AssessmentState.SUBMITTED:
        raise ValidationError("This assessment is not waiting for authorisation")
    reason = clean_text(reason or "", multiline=True).strip()
    if len(reason) > MAX_TEXT:
        raise ValidationError({"reason": f"Enter no more than {MAX_TEXT:,} characters"})
    if not authorise and not reason:
        raise ValidationError({"reason": "Enter what needs to change before it is authorised"})
    when = _moment(
        case, when, label="date of the decision",
        not_before=timezone.localdate(assessment.submitted_at),
    )  # fmt: skip
    day = timezone.localdate(when)
    before = {"state": assessment.state, "authorised_on": assessment.authorised_on}
    assessment.state = AssessmentState.AUTHORISED if authorise else AssessmentState.RETURNED
    assessment.decided_at, assessment.decided_by = when, actor
    assessment.decision_reason = reason
    assessment.authorised_on = day if authorise else None
    assessment.version += 1
    assessment.save(
        update_fields=["state", "decided_at", "decided_by", "decision_reason", "authorised_on",
                       "version"]
    )  # fmt: skip
    steps_sync(case, source=SOURCE, source_id=assessment.pk, steps=_steps(assessment))
    if authorise:
        summary = f"Pre-birth assessment authorised on {format_date(day)} by {_name(actor)}"
    else:
        summary = (f"Pre-birth assessment returned for changes on {format_date(day)}"
                   f" by {_name(actor)}: {reason}")  # fmt: skip
    _audit(
        actor, context, AuditEventType.ASSESSMENT_DECIDED, case=case, record=assessment,
        summary=summary, step="assessment_authorised" if authorise else "assessment_returned",
        on=day.isoformat(), reason=reason,
        changes=_changes(before, {"state": assessment.state,
                                  "authorised_on": assessment.authorised_on}),
    )  # fmt: skip
    return assessment
