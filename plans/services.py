"""Decisions and plans: one function per use case, each in one transaction with its audit row.

Each checks that the actor is children's social care's (only CSC records CSC's decisions),
locks the case, validates (a ValidationError keyed by the form's field), saves, sets the
case's facts through cases.services (the level of CSC input, significant harm, the
strategy discussion's date, the BLA panel: stored once, on the case), keeps the recorded
steps in step (timeline.services.steps_sync) and writes the audit row.
"""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyCode
from accounts.permissions import can_change_csc_decisions
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record, field_changes
from cases import services as case_services
from cases.models import Case
from plans.models import (
    BirthPlan,
    BirthPlanVersion,
    ConferenceOutcome,
    Decision,
    PloLetter,
)
from rules import decisions, plo
from rules.dates import format_date
from rules.validation import event_date_error
from timeline.services import steps_sync

CSC = AgencyCode.CSC
OUTCOME_MAX = 5000
TEXT_MAX = 5000
# Facts a decision may set on the case, and which cases service sets each.
LEVEL = "csc_input"
FACTS = ("significant_harm", "strategy_discussion_date", "bla_panel")


class ChangedMeanwhile(ValidationError):
    """The record was saved by someone else after the page changing it was shown."""

    code = "changed_meanwhile"


def _require_csc(actor) -> None:
    if not can_change_csc_decisions(actor):
        raise PermissionDenied("Only children's social care records decisions and plans")


def _registered_on(case: Case) -> date | None:
    return timezone.localdate(case.created_at) if case.created_at else None


def _date_error(case: Case, value: date, label: str) -> str | None:
    return event_date_error(
        value, today=timezone.localdate(), registered_on=_registered_on(case), label=label
    )


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _from_json(name: str, value: Any) -> Any:
    if name == "strategy_discussion_date" and value is not None:
        return date.fromisoformat(value)
    return value


# ---------------------------------------------------------------------------
# Decisions


def implied_facts(
    *, kind: str, on: date, significant_harm: bool | None, conference_outcome: str
) -> dict[str, Any]:
    """The facts (other than the level) a decision says about the case."""
    facts: dict[str, Any] = {}
    if kind == decisions.STRATEGY_DISCUSSION:
        facts["strategy_discussion_date"] = on
        if significant_harm:
            facts["significant_harm"] = True
    elif kind == decisions.ICPC and conference_outcome == decisions.CP_PLAN:
        # A plan is made because the unborn baby is at risk of significant harm.
        facts["significant_harm"] = True
    elif kind == decisions.BLA_PANEL:
        facts["bla_panel"] = True
    return facts


def _changes_for(case: Case, *, kind: str, on: date, significant_harm, conference_outcome):
    """What this decision changes on the case now: {field: new value}."""
    changes: dict[str, Any] = {}
    facts = implied_facts(
        kind=kind, on=on, significant_harm=significant_harm, conference_outcome=conference_outcome
    )
    for name, value in facts.items():
        current = getattr(case, name)
        if name == "strategy_discussion_date":
            # The first strategy discussion starts the conference's 15 working days.
            if current is None or value < current:
                changes[name] = value
        elif current != value:
            changes[name] = value
    level = decisions.level_after(
        kind, case.csc_input, cp_plan=conference_outcome == decisions.CP_PLAN
    )
    if level != case.csc_input:
        changes[LEVEL] = level
    return changes


def _apply_facts(*, actor, context, case: Case, changes: dict[str, Any]) -> None:
    """Set the case's facts through the cases services (their checks, recompute and
    audit rows), in this transaction."""
    facts = {name: value for name, value in changes.items() if name in FACTS}
    if facts:
        case_services.case_facts_update(actor=actor, context=context, case=case, **facts)
    if LEVEL in changes:
        case_services.case_update_details(
            actor=actor, context=context, case=case, csc_input=changes[LEVEL]
        )


def _validate_decision(
    case: Case, *, kind, on, outcome, significant_harm, conference_outcome, plan_category
) -> None:
    errors: dict[str, list[str]] = {}
    if kind not in decisions.KINDS:
        raise ValidationError({"kind": ["Choose what was decided"]})
    if on is None:
        errors["on"] = ["Enter the date"]
    else:
        problem = _date_error(case, on, "date")
        if problem:
            errors["on"] = [problem]
    if len(outcome) > OUTCOME_MAX:
        errors["outcome"] = [f"The decision must be {OUTCOME_MAX} characters or fewer"]
    if kind in {decisions.NO_FURTHER_ACTION, decisions.BLA_PANEL} and not outcome.strip():
        errors["outcome"] = ["Enter the decision"]
    if kind == decisions.STRATEGY_DISCUSSION and significant_harm is None:
        errors["significant_harm"] = [
            "Select whether the strategy discussion identified a risk of significant harm"
        ]
    if kind == decisions.ICPC and conference_outcome not in ConferenceOutcome.values:
        errors["conference_outcome"] = ["Select the conference's outcome"]
    if plan_category and (kind != decisions.ICPC or conference_outcome != decisions.CP_PLAN):
        errors["plan_category"] = ["A category is given only with a child protection plan"]
    if errors:
        raise ValidationError(errors)
    # Facts that could not be true (a strategy discussion before the referral, ...).
    changes = _changes_for(
        case, kind=kind, on=on, significant_harm=significant_harm,
        conference_outcome=conference_outcome,
    )  # fmt: skip
    problems = case_services.fact_problems_after(
        case, {k: v for k, v in changes.items() if k in FACTS}
    )
    if problems:
        raise ValidationError({"on": [problem.message for problem in problems]})


def decision_summary(decision: Decision) -> str:
    """One plain sentence for the case history."""
    text = f"{decision.get_kind_display()} on {format_date(decision.on)}"
    if decision.kind == decisions.STRATEGY_DISCUSSION:
        text += (
            ": risk of significant harm identified"
            if decision.significant_harm
            else ": no risk of significant harm identified"
        )
    elif decision.kind == decisions.ICPC:
        text += f": {decision.get_conference_outcome_display().lower()}"
        if decision.plan_category:
            text += f" ({decision.get_plan_category_display().lower()})"
    elif decision.outcome:
        first_line = decision.outcome.strip().splitlines()[0]
        text += f": {first_line[:200]}"
    return text


@transaction.atomic
def decision_record(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    kind: str,
    on: date | None,
    outcome: str = "",
    significant_harm: bool | None = None,
    conference_outcome: str = "",
    plan_category: str = "",
) -> Decision:
    """Record a decision (no further action, Child in Need, a strategy discussion, the
    initial child protection conference, a legal planning meeting, the initial PLO meeting,
    the BLA panel): it sets the level of CSC input and the timeline's conditions, and
    does the milestone it is the step of."""
    _require_csc(actor)
    case.lock_for_change()
    if kind != decisions.STRATEGY_DISCUSSION:
        significant_harm = None
    if kind != decisions.ICPC:
        conference_outcome = plan_category = ""
    _validate_decision(
        case, kind=kind, on=on, outcome=outcome, significant_harm=significant_harm,
        conference_outcome=conference_outcome, plan_category=plan_category,
    )  # fmt: skip
    assert on is not None
    changes = _changes_for(
        case, kind=kind, on=on, significant_harm=significant_harm,
        conference_outcome=conference_outcome,
    )  # fmt: skip
    before = {name: getattr(case, name) for name in changes}
    decision = Decision.objects.create(
        case=case, kind=kind, on=on, outcome=outcome, significant_harm=significant_harm,
        conference_outcome=conference_outcome, plan_category=plan_category,
        fact_changes={name: {"before": _json(before[name]), "after": _json(value)}
                      for name, value in changes.items()},
        recorded_by=actor,
    )  # fmt: skip
    _apply_facts(actor=actor, context=context, case=case, changes=changes)
    step = decisions.STEPS.get(kind)
    steps_sync(
        case, source="plans.decision", source_id=decision.pk,
        steps=[(step, CSC, on)] if step else [],
    )  # fmt: skip
    extra: dict[str, Any] = {
        "summary": decision_summary(decision),
        "record": "plans.decision",
        "record_id": str(decision.pk),
        "on": on.isoformat(),
        "kind": kind,
        "changes": field_changes(before, changes),
    }
    if step:
        extra["step"] = step
    audit_record(
        actor=actor, event_type=AuditEventType.WORK_RECORDED, case=case, context=context,
        extra_data=extra,
    )  # fmt: skip
    return decision


def withdrawal_effects(decision: Decision) -> dict[str, Any]:
    """The facts withdrawing this decision puts back: {field: value before it}. Only
    facts still as it left them, and not also said by another decision still standing."""
    case = decision.case
    others = list(case.decisions.filter(withdrawn_at__isnull=True).exclude(pk=decision.pk))
    put_back: dict[str, Any] = {}
    for name, change in decision.fact_changes.items():
        if _json(getattr(case, name)) != change["after"]:
            continue  # changed since: what is there now stands
        if any(_still_says(other, name, change["after"]) for other in others):
            continue
        put_back[name] = _from_json(name, change["before"])
        if name == "strategy_discussion_date":
            # The earliest strategy discussion still standing starts the 15 working days.
            standing = [o.on for o in others if o.kind == decisions.STRATEGY_DISCUSSION]
            if standing:
                put_back[name] = min(standing)
    return put_back


def _still_says(decision: Decision, name: str, value: Any) -> bool:
    if name == LEVEL:
        return decision.fact_changes.get(LEVEL, {}).get("after") == value
    facts = implied_facts(
        kind=decision.kind, on=decision.on, significant_harm=decision.significant_harm,
        conference_outcome=decision.conference_outcome,
    )  # fmt: skip
    return name in facts and _json(facts[name]) == value


@transaction.atomic
def decision_withdraw(
    *, actor, context: AuditContext | None, decision: Decision, reason: str
) -> Decision:
    """A decision recorded in error: kept, marked withdrawn with the reason; the step it
    established goes, and the facts it set go back to what they were (if still as it
    left them)."""
    _require_csc(actor)
    case = decision.case
    case.lock_for_change()
    decision.refresh_from_db()
    if decision.is_withdrawn:
        raise ValidationError({"reason": ["This decision has already been withdrawn"]})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": ["Enter why the decision is being withdrawn"]})
    if len(reason) > TEXT_MAX:
        raise ValidationError({"reason": [f"The reason must be {TEXT_MAX} characters or fewer"]})
    put_back = withdrawal_effects(decision)
    decision.mark_withdrawn(actor, reason)
    before = {name: getattr(case, name) for name in put_back}
    _apply_facts(actor=actor, context=context, case=case, changes=put_back)
    steps_sync(case, source="plans.decision", source_id=decision.pk, steps=[])
    audit_record(
        actor=actor, event_type=AuditEventType.WORK_WITHDRAWN, case=case, context=context,
        extra_data={
            "summary": f"Withdrawn: {decision_summary(decision)}. Reason: {reason}",
            "record": "plans.decision",
            "record_id": str(decision.pk),
            "on": decision.on.isoformat(),
            "kind": decision.kind,
            "reason": reason,
            "changes": field_changes(before, put_back),
            **({"step": decisions.STEPS[decision.kind]}
               if decision.kind in decisions.STEPS else {}),
        },
    )  # fmt: skip
    return decision


# ---------------------------------------------------------------------------
# The birth plan and the PLO letter pack: one each per case, changed as they change.


def _check_version(record, seen_version: str | None) -> None:
    if record is not None and seen_version is not None and seen_version != str(record.version):
        raise ChangedMeanwhile(
            "Someone else changed this after you opened the page, so your changes have not"
            " been saved. Check what is shown now, then save again.",
            code=ChangedMeanwhile.code,
        )


def _save_version(model, record, *, case: Case, actor, values: dict[str, Any]):
    """The case's one record of `model` (the birth plan, the PLO letter) made with
    `values`, or changed to them: one version more, changed by the actor. Returns it with
    its field changes, or with None when an existing record was saved unchanged (then
    nothing is written, so no new version and no audit row)."""
    before = {name: getattr(record, name) for name in values} if record else {}
    changes = field_changes(before, values)
    if record is not None and not changes:
        return record, None
    if record is None:
        return model.objects.create(case=case, changed_by=actor, **values), changes
    for name, value in values.items():
        setattr(record, name, value)
    record.version += 1
    record.changed_by = actor
    record.save()
    return record, changes


def _audit_version(
    *, actor, context: AuditContext | None, case: Case, record, on: date | None, extra: dict
) -> None:
    """The audit row of a version saved by `_save_version`: recorded (the first) or changed,
    with the day it happened (`on`) where there is one."""
    if on:
        extra["on"] = on.isoformat()
    audit_record(
        actor=actor, case=case, context=context, extra_data=extra,
        event_type=AuditEventType.WORK_RECORDED if record.version == 1
        else AuditEventType.WORK_CHANGED,
    )  # fmt: skip


@transaction.atomic
def birth_plan_save(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    present_at_birth: str,
    not_to_be_present: str,
    other_arrangements: str = "",
    agreed_on: date | None = None,
    seen_version: str | None = None,
) -> BirthPlan | None:
    """Record or change the birth plan. Agreed (a date), it does the `birth_plan`
    milestone. Saved unchanged, nothing changes."""
    _require_csc(actor)
    case.lock_for_change()
    plan = BirthPlan.objects.select_for_update().filter(case=case).first()
    _check_version(plan, seen_version)
    values = {
        "present_at_birth": present_at_birth.strip(),
        "not_to_be_present": not_to_be_present.strip(),
        "other_arrangements": other_arrangements.strip(),
        "agreed_on": agreed_on,
    }
    errors: dict[str, list[str]] = {}
    if not values["present_at_birth"]:
        errors["present_at_birth"] = ["Enter who should be at the birth"]
    if not values["not_to_be_present"]:
        errors["not_to_be_present"] = [
            "Enter who poses a risk and cannot be present, or \u201cNo one\u201d"
        ]
    for name in ("present_at_birth", "not_to_be_present", "other_arrangements"):
        if len(values[name]) > TEXT_MAX:
            errors[name] = [f"This must be {TEXT_MAX} characters or fewer"]
    if agreed_on is not None:
        problem = _date_error(case, agreed_on, "date the birth plan was agreed")
        if problem:
            errors["agreed_on"] = [problem]
    if errors:
        raise ValidationError(errors)
    plan, changes = _save_version(BirthPlan, plan, case=case, actor=actor, values=values)
    if changes is None:
        return plan
    BirthPlanVersion.objects.create(
        birth_plan=plan, version=plan.version, changed_by=actor, **values
    )
    steps_sync(
        case, source="plans.birthplan", source_id=plan.pk,
        steps=[("birth_plan", CSC, agreed_on)] if agreed_on else [],
    )  # fmt: skip
    summary = "Birth plan " + ("recorded" if plan.version == 1 else "changed")
    if agreed_on:
        summary += f", agreed on {format_date(agreed_on)}"
    extra: dict[str, Any] = {
        "summary": summary + f": at the birth {values['present_at_birth'][:120]}; must not be"
        f" present {values['not_to_be_present'][:120]}",
        "record": "plans.birthplan",
        "record_id": str(plan.pk),
        "step": "birth_plan",
        "version": plan.version,
        "changes": changes,
    }
    _audit_version(actor=actor, context=context, case=case, record=plan, on=agreed_on,
                   extra=extra)  # fmt: skip
    return plan


@transaction.atomic
def plo_letter_save(
    *,
    actor,
    context: AuditContext | None,
    case: Case,
    sent_on: date | None,
    enclosed: list[str] | tuple[str, ...] = (),
    seen_version: str | None = None,
) -> PloLetter | None:
    """Record the PLO letter pack: when it was sent and what went with it. It counts as
    sent (the `plo_letter` milestone) only with all four enclosures (rules/plo.py).
    Nothing typed on a case with no pack, or saved unchanged: nothing changes."""
    _require_csc(actor)
    case.lock_for_change()
    letter = PloLetter.objects.select_for_update().filter(case=case).first()
    _check_version(letter, seen_version)
    unknown = set(enclosed) - set(plo.ENCLOSURE_NAMES)
    if unknown:
        raise ValidationError({"enclosed": ["Select only the enclosures listed"]})
    if sent_on is not None:
        problem = _date_error(case, sent_on, "date the letter was sent")
        if problem:
            raise ValidationError({"sent_on": [problem]})
    values: dict[str, Any] = {"sent_on": sent_on}
    values.update({name: name in enclosed for name in plo.ENCLOSURE_NAMES})
    if letter is None and sent_on is None and not enclosed:
        return None
    letter, changes = _save_version(PloLetter, letter, case=case, actor=actor, values=values)
    if changes is None:
        return letter
    state = letter.state
    steps_sync(
        case, source="plans.ploletter", source_id=letter.pk,
        steps=[("plo_letter", CSC, state.sent_on)] if state.is_sent else [],
    )  # fmt: skip
    if state.is_sent:
        summary = f"PLO letter sent on {format_date(state.sent_on)} with every enclosure"
    else:
        missing = ", ".join(plo.enclosure_label(n).lower() for n in state.missing)
        summary = "PLO letter pack recorded, not yet counted as sent" + (
            f": missing {missing}" if missing else ": no date sent"
        )
    extra: dict[str, Any] = {
        "summary": summary,
        "record": "plans.ploletter",
        "record_id": str(letter.pk),
        "step": "plo_letter",
        "sent": state.is_sent,
        "missing": list(state.missing),
        "changes": changes,
    }
    _audit_version(actor=actor, context=context, case=case, record=letter, on=sent_on,
                   extra=extra)  # fmt: skip
    return letter
