"""Referrals and allocation: one function per use case, each in one transaction with its
audit row.

The referral date and whether the case is complex are facts on the case, and the date of
allocation and the named social worker are the case's too: these services change them
through `cases.services` (which lock the case, check the facts, recompute the timeline
and audit them) in the same transaction, and record the rest here. The `referral`,
`team_routing` and `allocation` milestones are done by those facts.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyCode, RoleCode
from accounts.permissions import agency_code, can_change_cases, can_change_csc_decisions
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record, field_changes
from cases.models import Case
from cases.services import case_facts_update, case_update_details, fact_problems_after
from referrals.models import Allocation, Referral, ReferrerAgency, RiskFactor, RiskFactorKind
from rules.dates import format_date
from rules.text import clean_text
from rules.validation import event_date_error

REFERRAL_FIELDS = (
    "received_on",
    "referrer_name",
    "referrer_agency",
    "high_risk_notes",
    "underlying_notes",
    "complexity_notes",
)
NAME_MAX = 200
DIRECTIONS_REQUIRED = "Enter the case note of directions for the allocated worker"


def can_record_referral(user) -> bool:
    """Children's social care records and changes the referral."""
    return can_change_csc_decisions(user)


def can_allocate(user) -> bool:
    """Only a team manager (of children's social care) allocates."""
    return (
        can_change_cases(user)
        and user.has_role(RoleCode.TEAM_MANAGER)
        and agency_code(user) == AgencyCode.CSC
    )


def _person(user) -> str:
    return user.get_full_name() or user.username


def _registered_on(case: Case) -> date | None:
    return timezone.localdate(case.created_at) if case.created_at else None


def referral_problems(case: Case, values: dict[str, Any], complex_case: bool) -> dict:
    """What is wrong with a referral, keyed by the form's field (the form asks too)."""
    problems: dict[str, str] = {}
    if not values["referrer_name"]:
        problems["referrer_name"] = "Enter the name of the person who made the referral"
    elif len(values["referrer_name"]) > NAME_MAX:
        problems["referrer_name"] = f"The referrer's name must be {NAME_MAX} characters or fewer"
    if values["referrer_agency"] not in ReferrerAgency.values:
        problems["referrer_agency"] = "Select the agency that made the referral"
    for problem in fact_problems_after(
        case, {"referral_date": values["received_on"], "complex": complex_case}
    ):
        name = {"referral_date": "received_on"}.get(problem.field, "")
        problems.setdefault(name or "__all__", problem.message)
    return problems


@transaction.atomic
def referral_record(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    received_on: date,
    referrer_name: str,
    referrer_agency: str,
    risk_factors: Iterable[RiskFactor],
    complex: bool,
    high_risk_notes: str = "",
    underlying_notes: str = "",
    complexity_notes: str = "",
    seen_version: str | None = None,
) -> Referral:
    """Record the referral to children's social care, or change it. Sets the case's
    referral date and complexity (facts: the timeline follows); saving it unchanged
    changes nothing. Only children's social care records a referral."""
    if not can_record_referral(actor):
        raise PermissionDenied("Only children's social care records the referral")
    case.lock_for_change()
    values = {
        "received_on": received_on,
        "referrer_name": clean_text(referrer_name or "").strip(),
        "referrer_agency": referrer_agency,
        "high_risk_notes": clean_text(high_risk_notes or "", multiline=True).strip(),
        "underlying_notes": clean_text(underlying_notes or "", multiline=True).strip(),
        "complexity_notes": clean_text(complexity_notes or "", multiline=True).strip(),
    }
    factors = sorted(set(risk_factors), key=lambda f: (f.kind, f.position, f.label))
    problems = referral_problems(case, values, complex)
    if problems:
        raise ValidationError(problems)
    referral = Referral.objects.select_for_update().filter(case=case).first()
    before: dict[str, Any] = {}
    if referral is not None:
        before = {name: getattr(referral, name) for name in REFERRAL_FIELDS}
        before["risk_factors"] = sorted(f.label for f in referral.risk_factors.all())
        before["complex"] = case.complex
    # The facts: the service of the case checks them, recomputes and audits them.
    case_facts_update(
        actor=actor, context=context, case=case, seen_version=seen_version,
        referral_date=received_on, complex=complex,
    )  # fmt: skip
    labels = sorted(f.label for f in factors)
    before_labels = before.pop("risk_factors", [])
    changes = field_changes(before, {**values, "complex": complex})
    if labels != before_labels:
        # A list: field_changes would write it as text.
        changes["risk_factors"] = {"before": before_labels, "after": labels}
    if referral is not None and not changes:
        return referral
    now = timezone.now()
    if referral is None:
        referral = Referral.objects.create(case=case, recorded_by=actor, recorded_at=now, **values)
    else:
        for name, value in values.items():
            setattr(referral, name, value)
        referral.updated_by, referral.updated_at = actor, now
        referral.save(update_fields=[*REFERRAL_FIELDS, "updated_by", "updated_at"])
    referral.risk_factors.set(factors)
    audit_record(
        actor=actor,
        event_type=AuditEventType.REFERRAL_RECORDED,
        case=case,
        context=context,
        extra_data={
            "summary": _referral_summary(referral, factors, complex, changed=bool(before)),
            "record": "referrals.referral",
            "record_id": str(referral.pk),
            "on": received_on.isoformat(),
            "changes": changes,
        },
    )
    return referral


def _referral_summary(referral: Referral, factors, complex_case: bool, *, changed: bool) -> str:
    high = sum(1 for f in factors if f.kind == RiskFactorKind.HIGH_RISK_INDICATOR)
    underlying = len(factors) - high
    counts = (
        f"{high} high risk indicator{'s' if high != 1 else ''} and {underlying} underlying"
        f" risk factor{'s' if underlying != 1 else ''}"
    )
    verb = "changed" if changed else "recorded"
    return (
        f"Referral of {format_date(referral.received_on)} {verb}: from"
        f" {referral.referrer_name} ({referral.get_referrer_agency_display()}), {counts},"
        f" {'complex' if complex_case else 'not complex'}"
    )


@transaction.atomic
def case_allocate(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    allocated_to,
    allocated_on: date,
    directions: str,
    seen_version: str | None = None,
) -> Allocation:
    """A team manager of the case's locality allocates it to a social worker of that
    locality, with the case note of directions. The first allocation sets the case's date
    of allocation (the `allocation` milestone); each names the social worker."""
    if not can_allocate(actor):
        raise PermissionDenied("Only a team manager allocates a case")
    case.lock_for_change()
    if case.locality_id not in actor.locality_ids:
        raise PermissionDenied("You can only allocate cases in your own localities")
    directions = clean_text(directions or "", multiline=True).strip()
    problems = allocation_problems(case, allocated_to, allocated_on, directions)
    if problems:
        raise ValidationError(problems)
    previous = case.named_social_worker
    first = case.allocation_date is None
    if first:
        case_facts_update(
            actor=actor, context=context, case=case, seen_version=seen_version,
            allocation_date=allocated_on,
        )  # fmt: skip
        seen_version = None  # checked: the case has moved on by our own change
    case_update_details(
        actor=actor, context=context, case=case, seen_version=seen_version,
        named_social_worker=allocated_to,
    )  # fmt: skip
    allocation = Allocation.objects.create(
        case=case,
        allocated_to=allocated_to,
        allocated_by=actor,
        allocated_on=allocated_on,
        directions=directions,
    )
    if previous is None or previous == allocated_to:
        summary = f"Allocated to {_person(allocated_to)} on {format_date(allocated_on)}"
    else:
        summary = (
            f"Re-allocated from {_person(previous)} to {_person(allocated_to)} on"
            f" {format_date(allocated_on)}"
        )
    audit_record(
        actor=actor,
        event_type=AuditEventType.CASE_ALLOCATED,
        case=case,
        context=context,
        extra_data={
            "summary": f"{summary} by {_person(actor)}, with directions",
            "record": "referrals.allocation",
            "record_id": str(allocation.pk),
            "on": allocated_on.isoformat(),
            "changes": field_changes(
                {"allocated_to": _person(previous) if previous else None},
                {"allocated_to": _person(allocated_to), "directions": directions},
            ),
        },
    )
    return allocation


def allocation_problems(case: Case, worker, allocated_on: date, directions: str) -> dict:
    """What is wrong with an allocation, keyed by the form's field (the form asks too)."""
    problems: dict[str, str] = {}
    if case.referral_date is None:
        problems["__all__"] = "Record the referral before the case is allocated"
    if not _may_hold(case, worker):
        problems["allocated_to"] = "Select a social worker of the case's locality"
    if not directions:
        problems["directions"] = DIRECTIONS_REQUIRED
    if message := event_date_error(
        allocated_on, today=timezone.localdate(), registered_on=_registered_on(case),
        label="date of allocation",
    ):  # fmt: skip
        problems["allocated_on"] = message
    elif case.referral_date and allocated_on < case.referral_date:
        problems["allocated_on"] = (
            f"The date of allocation must be on or after the referral,"
            f" {format_date(case.referral_date)}"
        )
    elif case.allocation_date and allocated_on < case.allocation_date:
        problems["allocated_on"] = (
            "The date of a re-allocation must be on or after the first allocation,"
            f" {format_date(case.allocation_date)}"
        )
    return problems


def _may_hold(case: Case, worker) -> bool:
    return bool(
        worker is not None
        and worker.is_active
        and worker.has_role(RoleCode.SOCIAL_WORKER)
        and agency_code(worker) == AgencyCode.CSC
        and case.locality_id in worker.locality_ids
    )
