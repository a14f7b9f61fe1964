"""Every change to a case, one function per use case.

Each function is keyword-only, runs in one transaction, checks the actor may
make the change, saves, and writes the audit row in that same transaction.
Views never call `.save()` themselves.
"""

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import can_change_cases, can_change_csc_decisions, can_restrict_case
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record, field_changes
from cases.models import (
    Baby,
    Case,
    CaseRestriction,
    CscInput,
    EddRevision,
    Partner,
    Person,
    PregnancyOutcome,
    Sex,
)
from cases.selectors import could_see
from rules.dates import format_datetime
from rules.facts import FactProblem, fact_problems
from rules.protocol import Protocol
from rules.validation import revised_edd_error
from timeline.models import CaseMilestone
from timeline.services import (
    MilestoneWrites,
    case_facts,
    timeline_fingerprint,
    timeline_is_current,
    timeline_recompute,
)

CASE_DETAIL_FIELDS = (
    "locality",
    "identified_date",
    "identified_source",
    "csc_input",
    "named_social_worker",
    "named_midwife",
    "named_health_visitor",
)


@dataclass(frozen=True)
class BabyDetails:
    born_at: datetime
    sex: str = ""  # optional: "" until it is recorded
    given_name: str = ""
    family_name: str = ""
    nhs_number: str = ""
    birth_weight_grams: int | None = None


def _require_writer(actor) -> None:
    if not can_change_cases(actor):
        raise PermissionDenied("You cannot change cases")


def _add_partner(
    case: Case, person: dict[str, Any], relationship: str
) -> tuple[Partner, dict[str, Any]]:
    """Add a father or partner; returns it and what was recorded, for the audit row."""
    partner = Partner.objects.create(
        case=case, person=Person.objects.create(**person), relationship=relationship
    )
    recorded = {f"partner.{k}": v for k, v in person.items()}
    return partner, {**recorded, "partner.relationship": relationship}


def _snapshot(instance, fields) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


DUPLICATE_REASON_REQUIRED = "Enter why you are registering this case despite the possible match"


@transaction.atomic
def case_register(
    *,
    actor,
    context: AuditContext | None,
    mother: dict[str, Any],
    partner: dict[str, Any] | None,
    edd: date,
    possible_duplicates: Sequence[str] = (),
    duplicate_reason: str = "",
    **details: Any,
) -> Case:
    """`possible_duplicates`: the open cases the registrant was warned of
    (cases.selectors.possible_duplicates) and went on anyway, for `duplicate_reason`."""
    _require_writer(actor)
    if possible_duplicates and not duplicate_reason.strip():
        raise ValidationError(DUPLICATE_REASON_REQUIRED, code="duplicate_reason_required")
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
        recorded.update(_add_partner(case, partner["person"], partner["relationship"])[1])
    timeline_recompute(case)
    extra_data: dict[str, Any] = {"changes": field_changes({}, recorded)}
    if possible_duplicates:
        extra_data.update(possible_duplicates=list(possible_duplicates), reason=duplicate_reason)
    audit_record(
        actor=actor,
        event_type=AuditEventType.CASE_CREATED,
        case=case,
        context=context,
        extra_data=extra_data,
    )
    return case


class ChangedMeanwhile(ValidationError):
    """The case was saved by someone else after the page making this change was shown."""

    code = "changed_meanwhile"


def _check_unchanged(case: Case, seen_version: str | None) -> None:
    """Refuse a change made from a page shown before someone else saved the case.
    Call with the case locked (lock_for_change)."""
    if seen_version is not None and seen_version != str(case.version):
        changed_at = format_datetime(timezone.localtime(case.updated_at))
        raise ChangedMeanwhile(
            f"Someone else changed this case at {changed_at}, after you opened this page,"
            " so your changes have not been saved. Check what is shown against the case"
            " now, then save again.",
            code=ChangedMeanwhile.code,
        )


def fact_problems_after(case: Case, changes: dict[str, Any]) -> list[FactProblem]:
    """What would be impossible about the case's facts with these changes made
    (rules/facts.py decides; a form asks first, so it can show each against its box)."""
    changed = copy.copy(case)
    for name, value in changes.items():
        setattr(changed, name, value)
    return fact_problems(
        case_facts(changed, timezone.now()),
        registered_on=timezone.localdate(case.created_at) if case.created_at else None,
    )


def _check_facts(case: Case, changes: dict[str, Any]) -> None:
    """Refuse facts that could not be true, whoever calls: a page, a command, the API."""
    problems = fact_problems_after(case, changes)
    if problems:
        raise ValidationError([problem.message for problem in problems])


def _change_case(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    changes: dict[str, Any],
    allowed,
    event_type,
    recompute: bool,
    seen_version: str | None,
    check: Callable[[Case], None] | None = None,
) -> Case:
    """Apply field changes, and if anything changed: save, recompute, audit before/after.
    With `seen_version` (the version the form showed) a change made meanwhile is refused;
    `check` vets the change against the case as it is now, once it is locked."""
    _require_writer(actor)
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValueError(f"Cannot change {', '.join(sorted(unknown))} here")
    case.lock_for_change()
    _check_unchanged(case, seen_version)
    if check is not None:
        check(case)
    if recompute:
        _check_facts(case, changes)
    before = _snapshot(case, changes)
    for name, value in changes.items():
        setattr(case, name, value)
    diff = field_changes(before, _snapshot(case, changes))
    if diff:
        # Only the changed columns: a concurrent change to other fields is kept.
        case.save(update_fields=list(changes))
        if recompute:
            timeline_recompute(case)
        audit_record(
            actor=actor,
            event_type=event_type,
            case=case,
            context=context,
            extra_data={"changes": diff},
        )
    return case


@transaction.atomic
def case_update_details(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    seen_version: str | None = None,
    **changes: Any,
) -> Case:
    """Locality, level of CSC input, named professionals, identification. The level of
    CSC input says whether there is a child protection plan or pre-proceedings, so the
    timeline is recomputed when it changes."""
    return _change_case(
        actor=actor, context=context, case=case, changes=changes, allowed=CASE_DETAIL_FIELDS,
        event_type=AuditEventType.CASE_CHANGED, recompute="csc_input" in changes,
        seen_version=seen_version, check=_csc_only(actor, changes),
    )  # fmt: skip


# Children's social care's facts: only CSC changes them (others see them).
CSC_FACTS = frozenset(
    {"referral_date", "complex", "allocation_date", "significant_harm",
     "strategy_discussion_date", "bla_panel", "placement", "placement_date", "csc_input"}
)  # fmt: skip


def _csc_only(actor, changes: dict[str, Any]) -> Callable[[Case], None]:
    """A check for _change_case: someone outside CSC may save a page showing CSC's facts,
    but not change them."""

    def check(case: Case) -> None:
        changing = {
            name for name in CSC_FACTS & set(changes) if getattr(case, name) != changes[name]
        }
        if changing and not can_change_csc_decisions(actor):
            names = sorted(str(Case._meta.get_field(name).verbose_name) for name in changing)
            raise PermissionDenied("Only children's social care changes the " + ", ".join(names))

    return check


FACT_FIELDS = (
    "referral_date",
    "complex",
    "allocation_date",
    "significant_harm",
    "strategy_discussion_date",
    "bla_panel",
    "planned_discharge_date",
    "discharge",
    "placement",
    "placement_date",
)


@transaction.atomic
def case_facts_update(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    seen_version: str | None = None,
    **changes: Any,
) -> Case:
    """Change the facts the timeline is computed from, and recompute it. Facts that could
    not be true (rules/facts.py) are refused."""
    return _change_case(
        actor=actor, context=context, case=case, changes=changes, allowed=FACT_FIELDS,
        event_type=AuditEventType.FACTS_CHANGED, recompute=True, seen_version=seen_version,
        check=_csc_only(actor, changes),
    )  # fmt: skip


@transaction.atomic
def edd_revise(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    edd: date,
    reason: str,
    seen_version: str | None = None,
) -> Case:
    _require_writer(actor)
    if not reason.strip():
        raise ValidationError("Enter the reason the due date changed")
    case.lock_for_change()
    _check_unchanged(case, seen_version)
    if case.outcome:
        raise ValidationError("The due date cannot change once the pregnancy outcome is recorded")
    message = revised_edd_error(edd, timezone.localdate())
    if message:
        raise ValidationError(message)
    _check_facts(case, {"edd": edd})
    previous = case.edd
    EddRevision.objects.create(
        case=case, edd=edd, previous_edd=previous, reason=reason.strip(), recorded_by=actor
    )
    case.edd = edd
    case.save(update_fields=["edd"])
    timeline_recompute(case)
    audit_record(
        actor=actor,
        event_type=AuditEventType.EDD_REVISED,
        case=case,
        context=context,
        extra_data={
            "changes": field_changes({"edd": previous}, {"edd": edd}),
            "reason": reason.strip(),
        },
    )
    return case


@transaction.atomic
def partner_add(
    *, actor, context: AuditContext | None, case: Case, person: dict[str, Any], relationship: str
) -> Partner:
    _require_writer(actor)
    partner, recorded = _add_partner(case, person, relationship)
    audit_record(
        actor=actor,
        event_type=AuditEventType.PARTNER_ADDED,
        case=case,
        context=context,
        extra_data={"changes": field_changes({}, recorded)},
    )
    return partner


def _save_outcome(case: Case, **values: Any) -> dict[str, Any]:
    """Set the outcome fields, save them, recompute the timeline; returns the changes."""
    _check_facts(case, values)
    before = _snapshot(case, values)
    for name, value in values.items():
        setattr(case, name, value)
    case.save(update_fields=list(values))
    timeline_recompute(case)
    return field_changes(before, values)


def _locked_baby(case: Case, baby: Baby) -> Baby:
    """Lock the case and read the baby as it is now."""
    case.lock_for_change()
    baby.refresh_from_db()
    if baby.case_id != case.pk:
        raise ValueError("The baby is not this case's")
    return baby


@transaction.atomic
def outcome_record(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    outcome: str,
    outcome_date: date,
    babies: list[BabyDetails] = (),  # type: ignore[assignment]
) -> Case:
    """Record how the pregnancy ended. A loss stops every reminder at once."""
    _require_writer(actor)
    case.lock_for_change()
    if case.outcome:
        raise ValidationError("The outcome of this pregnancy has already been recorded")
    if outcome == PregnancyOutcome.LIVE_BIRTH and not babies:
        raise ValidationError("Enter the details of the baby")
    if outcome != PregnancyOutcome.LIVE_BIRTH and babies:
        raise ValidationError("Only a live birth has babies' details")
    if any(details.sex not in ("", *Sex.values) for details in babies):
        raise ValidationError("Choose the baby's sex from the list, or leave it out")
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
    changes = _save_outcome(
        case,
        outcome=outcome,
        outcome_date=outcome_date,
        # The first baby's; a twin may be born after midnight.
        birth_date=outcome_date if outcome == PregnancyOutcome.LIVE_BIRTH else case.birth_date,
    )
    changes["babies"] = {"before": 0, "after": len(babies)}
    audit_record(
        actor=actor,
        event_type=AuditEventType.OUTCOME_RECORDED,
        case=case,
        context=context,
        extra_data={"changes": changes},
    )
    return case


@transaction.atomic
def baby_death_record(
    *, actor, context: AuditContext | None, case: Case, baby: Baby, died_on: date
) -> Case:
    """Record that a baby born alive has died. When no baby of the pregnancy is still
    living, the outcome becomes a neonatal death: open milestones close, and what was
    done stays on record."""
    _require_writer(actor)
    baby = _locked_baby(case, baby)
    if baby.died_on is not None:
        raise ValidationError("This baby's death is already recorded")
    if not case.is_born:
        raise ValidationError("A death can only be recorded for a baby whose birth is recorded")
    if not timezone.localtime(baby.born_at).date() <= died_on <= timezone.localdate():
        raise ValidationError("The date of death must be between the birth and today")
    baby.died_on = died_on
    baby.save(update_fields=["died_on"])
    changes = {f"baby.{baby.birth_order}.died_on": {"before": None, "after": died_on.isoformat()}}
    if not case.babies.filter(died_on__isnull=True).exists():
        changes |= _save_outcome(
            case,
            outcome=PregnancyOutcome.NEONATAL_DEATH,
            # The last of the babies' deaths, whatever order they were recorded in.
            outcome_date=max(case.babies.values_list("died_on", flat=True)),
        )
    audit_record(
        actor=actor,
        event_type=AuditEventType.BABY_DEATH_RECORDED,
        case=case,
        context=context,
        extra_data={"changes": changes},
    )
    return case


@transaction.atomic
def baby_death_withdraw(
    *, actor, context: AuditContext | None, case: Case, baby: Baby, reason: str
) -> Case:
    """Take back a death recorded in error (the wrong twin, the wrong family). If it had
    made the case a neonatal death, the case is a live birth again and its timeline
    reopens. The audit keeps both the record and its withdrawal, with the reason."""
    _require_writer(actor)
    if not reason.strip():
        raise ValidationError("Enter why the record of this death is being withdrawn")
    baby = _locked_baby(case, baby)
    if baby.died_on is None:
        raise ValidationError("No death is recorded for this baby")
    changes = {f"baby.{baby.birth_order}.died_on": {"before": baby.died_on.isoformat(),
                                                     "after": None}}  # fmt: skip
    baby.died_on = None
    baby.save(update_fields=["died_on"])
    if case.outcome == PregnancyOutcome.NEONATAL_DEATH:
        changes |= _save_outcome(
            case, outcome=PregnancyOutcome.LIVE_BIRTH, outcome_date=case.birth_date
        )
    audit_record(
        actor=actor,
        event_type=AuditEventType.BABY_DEATH_WITHDRAWN,
        case=case,
        context=context,
        extra_data={"changes": changes, "withdrawn": True, "reason": reason.strip()},
    )
    return case


def timelines_recompute_all(
    *, today: date, protocol: Protocol, batch: int = 500, everything: bool = False
):
    """Recompute every case, a batch per transaction, the batch's writes together.
    Yields (case id, its due-date changes) for each; the changes are None for a case
    passed over: one whose facts, protocol and engine are those its timeline was computed
    from, on a day before it could change, whose milestones are not read (`everything`:
    none is passed over)."""
    ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    writes = MilestoneWrites(protocol)
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            # Locked like any change (the batch's facts and events cannot move under it);
            # the prefetches run after the locking query.
            cases = (
                Case.objects.select_for_update(no_key=True)
                .filter(pk__in=ids[start : start + batch])
                .prefetch_related("events", "steps")
            )
            to_do = []
            for case in cases:
                facts = case_facts(case, today)
                fingerprint = timeline_fingerprint(facts, writes.engine)
                if not everything and timeline_is_current(case, fingerprint, today):
                    yield case.pk, None
                else:
                    to_do.append((case, facts, fingerprint))
            stored: dict[Any, list[CaseMilestone]] = {case.pk: [] for case, _, _ in to_do}
            for row in CaseMilestone.objects.filter(case__in=list(stored)):
                stored[row.case_id].append(row)
            for case, facts, fingerprint in to_do:
                yield case.pk, writes.add(case, facts, stored[case.pk], fingerprint)
            writes.save()


__all__ = [
    "BabyDetails",
    "baby_death_record",
    "baby_death_withdraw",
    "CscInput",
    "case_facts_update",
    "case_register",
    "case_update_details",
    "edd_revise",
    "outcome_record",
    "partner_add",
    "timelines_recompute_all",
]


def _usernames(users) -> list[str]:
    return sorted(user.username for user in users)


@transaction.atomic
def case_restrict(
    *, actor, context: AuditContext | None, case: Case, users: Sequence, reason: str
) -> CaseRestriction:
    """Restrict the case to `users` (or change who it is restricted to), for `reason`. Only
    a team or operations manager of the case's locality; each person named must be able
    to see the case already (a restriction narrows access, never widens it). The actor
    may leave themself out, and then no longer sees the case: the form warns them."""
    if not can_restrict_case(actor, case):
        raise PermissionDenied("Only a manager of the case's locality restricts a case")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the case is restricted"})
    chosen = {user.pk: user for user in users}
    if not chosen:
        raise ValidationError({"users": "Choose at least one person who may see the case"})
    allowed = set(could_see(case).filter(pk__in=chosen).values_list("pk", flat=True))
    if allowed != set(chosen):
        raise ValidationError({"users": "Choose only people who can already see the case"})
    case.lock_for_change()
    restriction = CaseRestriction.objects.filter(case=case).first()
    if restriction is None:
        restriction = CaseRestriction.objects.create(
            case=case, reason=reason, created_by=actor, changed_by=actor
        )
        restriction.users.set(chosen.values())
        audit_record(
            actor=actor, event_type=AuditEventType.CASE_RESTRICTED, case=case, context=context,
            extra_data={"users": _usernames(chosen.values()), "reason": reason},
        )  # fmt: skip
        return restriction
    before = {"users": _usernames(restriction.users.all()), "reason": restriction.reason}
    after = {"users": _usernames(chosen.values()), "reason": reason}
    if before == after:
        return restriction
    restriction.reason = reason
    restriction.changed_by = actor
    restriction.save(update_fields=["reason", "changed_by", "changed_at"])
    restriction.users.set(chosen.values())
    audit_record(
        actor=actor, event_type=AuditEventType.RESTRICTION_CHANGED, case=case, context=context,
        extra_data={"changes": field_changes(before, after) | _user_changes(before, after)},
    )  # fmt: skip
    return restriction


def _user_changes(before: dict, after: dict) -> dict:
    if before["users"] == after["users"]:
        return {}
    return {"users": {"before": before["users"], "after": after["users"]}}


@transaction.atomic
def case_unrestrict(*, actor, context: AuditContext | None, case: Case, reason: str) -> None:
    """Lift a case's restriction, for `reason`: everyone who could see it before sees it
    again. A manager of its locality named on the restriction (the only ones who see it).
    Audited with who was named, so the audit log keeps the restriction's history."""
    if not can_restrict_case(actor, case):
        raise PermissionDenied("Only a manager of the case's locality lifts a restriction")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Enter why the restriction is lifted"})
    case.lock_for_change()
    restriction = CaseRestriction.objects.filter(case=case).first()
    if restriction is None:
        raise ValidationError("The case is not restricted")
    before = {"users": _usernames(restriction.users.all()), "reason": restriction.reason}
    restriction.users.clear()
    restriction.delete()
    audit_record(
        actor=actor, event_type=AuditEventType.RESTRICTION_CHANGED, case=case, context=context,
        extra_data={"lifted": True, "reason": reason, "before": before},
    )  # fmt: skip
