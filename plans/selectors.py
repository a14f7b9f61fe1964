"""Decisions and plans: every read, scoped to what the user may see.

The case itself comes from cases.selectors.case_for_user (404 outside the user's scope,
the read audited); these read its records.
"""

from dataclasses import dataclass

from django.http import Http404

from cases.models import Case
from plans.models import BirthPlan, Decision, PloLetter


@dataclass(frozen=True)
class CasePlans:
    decisions: list[Decision]
    birth_plan: BirthPlan | None
    plo_letter: PloLetter | None

    @property
    def standing(self) -> list[Decision]:
        return [d for d in self.decisions if not d.is_withdrawn]

    @property
    def latest(self) -> list[Decision]:
        """The three most recent decisions still standing, newest first."""
        return list(reversed(self.standing))[:3]


def case_plans(case: Case) -> CasePlans:
    """Every decision (withdrawn ones too, marked), the birth plan and the PLO letter pack
    of a case the user has been given by case_for_user. Three queries."""
    decisions = list(
        Decision.objects.filter(case=case).select_related("recorded_by", "withdrawn_by")
    )
    return CasePlans(
        decisions=decisions,
        birth_plan=BirthPlan.objects.filter(case=case).select_related("changed_by").first(),
        plo_letter=PloLetter.objects.filter(case=case).first(),
    )


def case_summary(case: Case) -> CasePlans:
    """What the case page shows: the decisions and the birth plan (two queries)."""
    return CasePlans(
        decisions=list(Decision.objects.filter(case=case).select_related("recorded_by")),
        birth_plan=BirthPlan.objects.filter(case=case).first(),
        plo_letter=None,
    )


def decision_of(case: Case, decision_id) -> Decision:
    """A decision of a case the user has already been given (by case_for_user), else 404."""
    decision = Decision.objects.filter(case=case, pk=decision_id).first()
    if decision is None:
        raise Http404("No such decision")
    decision.case = case
    return decision


def birth_plan_versions(plan: BirthPlan | None) -> list:
    if plan is None:
        return []
    return list(plan.versions.select_related("changed_by"))
