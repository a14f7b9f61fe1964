"""The demo's decisions and plans match each case's stage, and change none of the facts
the demo set: each decision says what the case already holds."""

from collections import Counter
from datetime import date

from cases.models import Case
from plans.models import BirthPlan, Decision, PloLetter
from timeline.models import CaseMilestone

TODAY = date(2026, 11, 23)


def test_the_demo_records_decisions_for_each_stage_without_changing_its_facts(demo):
    kinds = Counter(Decision.objects.values_list("kind", flat=True))
    assert {"strategy_discussion", "icpc", "child_in_need", "no_further_action",
            "legal_planning_meeting", "bla_panel"} <= set(kinds)  # fmt: skip
    assert BirthPlan.objects.exists() and PloLetter.objects.exists()
    # Nothing on a case was changed by recording its decisions.
    assert not Decision.objects.exclude(fact_changes={}).exists()
    for case in Case.objects.filter(csc_input="child_in_need"):
        assert case.decisions.filter(kind="child_in_need").exists(), case
    for case in Case.objects.filter(strategy_discussion_date__isnull=False):
        assert case.decisions.filter(
            kind="strategy_discussion", on=case.strategy_discussion_date
        ).exists(), case
    # Each milestone a record does is done by that record, on its day.
    for row in CaseMilestone.objects.filter(milestone_id="icpc", done_date__isnull=False):
        assert row.case.decisions.filter(kind="icpc", on=row.done_date).exists()
    for row in CaseMilestone.objects.filter(milestone_id="birth_plan", done_date__isnull=False):
        assert row.case.birth_plan.agreed_on == row.done_date
    for row in CaseMilestone.objects.filter(milestone_id="plo_letter", done_date__isnull=False):
        assert row.case.plo_letter.state.is_sent
