"""Every change to a case, one function per use case.

Each function is keyword-only, runs in one transaction, checks the actor may
make the change, saves, and writes the audit row in that same transaction.
Views never call `.save()` themselves.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.permissions import can_change_cases
from audit.models import AuditEventType
from audit.services import audit_record, field_changes
from cases.models import (
    Baby,
    Case,
    CscInput,
    EddRevision,
    Partner,
    Person,
    PregnancyOutcome,
)
from timeline.services import timeline_recompute

CASE_DETAIL_FIELDS = (
    "locality",
    "identified_date",
    "identified_source",
    "csc_input",
    "named_social_worker",
    "named_midwife",
    "named_health_visitor",
)
PERSON_FIELDS = ("given_name", "family_name", "date_of_birth", "nhs_number", "address", "postcode")


@dataclass(frozen=True)
class BabyDetails:
    born_at: datetime
    sex: str
    given_name: str = ""
    family_name: str = ""
    nhs_number: str = ""
    birth_weight_grams: int | None = None


def _require_writer(actor) -> None:
    if not can_change_cases(actor):
        raise PermissionDenied("You cannot change cases")


def _snapshot(instance, fields) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


@transaction.atomic
def case_register(
    *,
    actor,
    request,
    mother: dict[str, Any],
    partner: dict[str, Any] | None,
    edd: date,
    **details: Any,
) -> Case:
    _require_writer(actor)
    if details["locality"].id not in actor.locality_ids:
        raise PermissionDenied("You can only register cases in your own localities")
    mother_person = Person.objects.create(**mother)
    case = Case.objects.create(mother=mother_person, edd=edd, created_by=actor, **details)
    EddRevision.objects.create(
        case=case,
        edd=edd,
        reason="Expected due date when the case was registered",
        recorded_by=actor,
    )
    recorded = {f"mother.{k}": v for k, v in mother.items()}
    recorded.update({"edd": edd, **details})
    if partner:
        partner_person = Person.objects.create(**partner["person"])
        Partner.objects.create(
            case=case, person=partner_person, relationship=partner["relationship"]
        )
        recorded.update({f"partner.{k}": v for k, v in partner["person"].items()})
        recorded["partner.relationship"] = partner["relationship"]
    timeline_recompute(case)
    audit_record(
        actor=actor,
        event_type=AuditEventType.CASE_CREATED,
        case=case,
        request=request,
        extra_data={"changes": field_changes({}, recorded)},
    )
    return case


@transaction.atomic
def case_update_details(*, actor, request, case: Case, **changes: Any) -> Case:
    _require_writer(actor)
    unknown = set(changes) - set(CASE_DETAIL_FIELDS)
    if unknown:
        raise ValueError(f"Not case details: {', '.join(sorted(unknown))}")
    before = _snapshot(case, changes)
    for name, value in changes.items():
        setattr(case, name, value)
    diff = field_changes(before, _snapshot(case, changes))
    if diff:
        case.save()
        audit_record(
            actor=actor,
            event_type=AuditEventType.CASE_CHANGED,
            case=case,
            request=request,
            extra_data={"changes": diff},
        )
    return case


FACT_FIELDS = (
    "referral_date",
    "complex",
    "allocation_date",
    "significant_harm",
    "strategy_discussion_date",
    "pre_proceedings",
    "bla_panel",
    "cp_plan",
    "discharge",
    "placement",
    "placement_date",
)


@transaction.atomic
def case_facts_update(*, actor, request, case: Case, **changes: Any) -> Case:
    """Change the facts the timeline is computed from, and recompute it."""
    _require_writer(actor)
    unknown = set(changes) - set(FACT_FIELDS)
    if unknown:
        raise ValueError(f"Not timeline facts: {', '.join(sorted(unknown))}")
    if not case.is_born and {"discharge", "placement", "placement_date"} & {
        name for name, value in changes.items() if value
    }:
        raise ValidationError("Discharge and placement need a live birth to be recorded first")
    before = _snapshot(case, changes)
    for name, value in changes.items():
        setattr(case, name, value)
    diff = field_changes(before, _snapshot(case, changes))
    if diff:
        case.save()
        timeline_recompute(case)
        audit_record(
            actor=actor,
            event_type=AuditEventType.FACTS_CHANGED,
            case=case,
            request=request,
            extra_data={"changes": diff},
        )
    return case


@transaction.atomic
def mother_update(*, actor, request, case: Case, **changes: Any) -> Case:
    _require_writer(actor)
    person = case.mother
    before = _snapshot(person, changes)
    for name, value in changes.items():
        if name not in PERSON_FIELDS:
            raise ValueError(f"Not a person's detail: {name}")
        setattr(person, name, value)
    diff = field_changes(before, _snapshot(person, changes))
    if diff:
        person.save()
        audit_record(
            actor=actor,
            event_type=AuditEventType.CASE_CHANGED,
            case=case,
            request=request,
            extra_data={"changes": {f"mother.{k}": v for k, v in diff.items()}},
        )
    return case


@transaction.atomic
def edd_revise(*, actor, request, case: Case, edd: date, reason: str) -> Case:
    _require_writer(actor)
    if not reason.strip():
        raise ValidationError("Enter the reason the due date changed")
    if case.outcome:
        raise ValidationError("The due date cannot change once the pregnancy outcome is recorded")
    previous = case.edd
    EddRevision.objects.create(
        case=case, edd=edd, previous_edd=previous, reason=reason.strip(), recorded_by=actor
    )
    case.edd = edd
    case.save(update_fields=["edd", "updated_at"])
    timeline_recompute(case)
    audit_record(
        actor=actor,
        event_type=AuditEventType.EDD_REVISED,
        case=case,
        request=request,
        extra_data={
            "changes": field_changes({"edd": previous}, {"edd": edd}),
            "reason": reason.strip(),
        },
    )
    return case


@transaction.atomic
def partner_add(
    *, actor, request, case: Case, person: dict[str, Any], relationship: str
) -> Partner:
    _require_writer(actor)
    partner = Partner.objects.create(
        case=case, person=Person.objects.create(**person), relationship=relationship
    )
    recorded = {f"partner.{k}": v for k, v in person.items()}
    recorded["partner.relationship"] = relationship
    audit_record(
        actor=actor,
        event_type=AuditEventType.PARTNER_ADDED,
        case=case,
        request=request,
        extra_data={"changes": field_changes({}, recorded)},
    )
    return partner


@transaction.atomic
def outcome_record(
    *,
    actor,
    request,
    case: Case,
    outcome: str,
    outcome_date: date,
    babies: list[BabyDetails] = (),  # type: ignore[assignment]
) -> Case:
    """Record how the pregnancy ended. A loss stops every reminder at once."""
    _require_writer(actor)
    if case.outcome:
        raise ValidationError("The outcome of this pregnancy has already been recorded")
    if outcome == PregnancyOutcome.LIVE_BIRTH and not babies:
        raise ValidationError("Enter the details of the baby")
    if outcome != PregnancyOutcome.LIVE_BIRTH and babies:
        raise ValidationError("Only a live birth has babies' details")
    for order, details in enumerate(babies, start=1):
        Baby.objects.create(
            case=case,
            birth_order=order,
            born_at=details.born_at,
            sex=details.sex,
            given_name=details.given_name,
            family_name=details.family_name,
            nhs_number=details.nhs_number,
            birth_weight_grams=details.birth_weight_grams,
        )
    tracked = ("outcome", "outcome_date", "birth_date")
    before = _snapshot(case, tracked)
    case.outcome = outcome
    case.outcome_date = outcome_date
    if outcome == PregnancyOutcome.LIVE_BIRTH:
        case.birth_date = outcome_date
    case.save()
    timeline_recompute(case)
    changes = field_changes(before, _snapshot(case, tracked))
    changes["babies"] = {"before": 0, "after": len(babies)}
    audit_record(
        actor=actor,
        event_type=AuditEventType.OUTCOME_RECORDED,
        case=case,
        request=request,
        extra_data={"changes": changes},
    )
    return case


__all__ = [
    "BabyDetails",
    "CscInput",
    "case_facts_update",
    "case_register",
    "case_update_details",
    "edd_revise",
    "mother_update",
    "outcome_record",
    "partner_add",
]
