"""Each decision sets the level of CSC input and the timeline's conditions through the
cases services, and does the milestone it is the step of."""

from datetime import timedelta

import time_machine

from audit.models import AuditEvent, AuditEventType
from plans import services
from plans.models import Decision
from tests import plans_fixtures
from tests.plans_fixtures import TODAY, milestone

assessed_case = plans_fixtures.assessed_case  # the fixture

DAY = TODAY - timedelta(days=5)


def record(case, actor, kind, **values):
    return services.decision_record(
        actor=actor, context=None, case=case, kind=kind, on=values.pop("on", DAY), **values
    )


@time_machine.travel(TODAY, tick=False)
def test_a_strategy_discussion_sets_its_date_and_significant_harm(assessed_case, social_worker):
    case = assessed_case()
    assert milestone(case, "icpc") is None

    record(case, social_worker, "strategy_discussion", significant_harm=True)

    case.refresh_from_db()
    assert case.strategy_discussion_date == DAY and case.significant_harm
    icpc = milestone(case, "icpc")
    assert icpc is not None and icpc.state == "open"
    assert icpc.due_date < case.edd  # 15 working days after the discussion, at the latest


@time_machine.travel(TODAY, tick=False)
def test_a_strategy_discussion_without_significant_harm_leaves_the_conditions(
    assessed_case, social_worker
):
    case = assessed_case()

    record(case, social_worker, "strategy_discussion", significant_harm=False)

    case.refresh_from_db()
    assert case.strategy_discussion_date == DAY and not case.significant_harm
    assert milestone(case, "icpc") is None


@time_machine.travel(TODAY, tick=False)
def test_the_conference_with_a_plan_sets_the_level_and_does_the_icpc(assessed_case, social_worker):
    case = assessed_case(significant_harm=False)
    record(case, social_worker, "strategy_discussion", significant_harm=True,
           on=DAY - timedelta(days=10))  # fmt: skip

    record(case, social_worker, "icpc", conference_outcome="cp_plan", plan_category="neglect")

    case.refresh_from_db()
    assert case.csc_input == "child_protection" and case.cp_plan
    icpc = milestone(case, "icpc")
    assert icpc.done_date == DAY and icpc.state in {"done", "done_late"}
    assert milestone(case, "birth_plan").state == "open"


@time_machine.travel(TODAY, tick=False)
def test_a_conference_with_no_plan_does_the_icpc_and_leaves_the_level(assessed_case, social_worker):
    case = assessed_case()
    record(case, social_worker, "strategy_discussion", significant_harm=True,
           on=DAY - timedelta(days=10))  # fmt: skip

    record(case, social_worker, "icpc", conference_outcome="no_plan")

    case.refresh_from_db()
    assert case.csc_input == "assessment" and not case.cp_plan
    assert milestone(case, "icpc").done_date == DAY


@time_machine.travel(TODAY, tick=False)
def test_the_conference_does_not_lower_pre_proceedings(assessed_case, social_worker):
    case = assessed_case(csc_input="pre_proceedings", significant_harm=True)

    record(case, social_worker, "icpc", conference_outcome="cp_plan")

    case.refresh_from_db()
    assert case.csc_input == "pre_proceedings"


@time_machine.travel(TODAY, tick=False)
def test_a_legal_planning_meeting_starts_pre_proceedings_and_is_done(assessed_case, social_worker):
    case = assessed_case(csc_input="child_protection")
    assert milestone(case, "legal_planning_meeting") is None

    record(case, social_worker, "legal_planning_meeting", outcome="Threshold met")

    case.refresh_from_db()
    assert case.csc_input == "pre_proceedings" and case.pre_proceedings
    assert milestone(case, "legal_planning_meeting").done_date == DAY
    assert milestone(case, "plo_letter").state == "open"
    assert milestone(case, "initial_plo_meeting").state == "open"


@time_machine.travel(TODAY, tick=False)
def test_the_initial_plo_meeting_is_done_by_its_record(assessed_case, social_worker):
    case = assessed_case(csc_input="pre_proceedings")

    record(case, social_worker, "initial_plo_meeting")

    assert milestone(case, "initial_plo_meeting").done_date == DAY


@time_machine.travel(TODAY, tick=False)
def test_the_bla_panel_sets_the_condition_and_is_done(assessed_case, social_worker):
    case = assessed_case()

    record(case, social_worker, "bla_panel", outcome="Agreed: parent and child placement")

    case.refresh_from_db()
    assert case.bla_panel
    assert milestone(case, "bla_panel").done_date == DAY


@time_machine.travel(TODAY, tick=False)
def test_child_in_need_and_no_further_action_set_the_level(assessed_case, social_worker):
    case = assessed_case()

    record(case, social_worker, "child_in_need")
    case.refresh_from_db()
    assert case.csc_input == "child_in_need"

    record(case, social_worker, "no_further_action", outcome="No role for CSC")
    case.refresh_from_db()
    assert case.csc_input == "closed"


@time_machine.travel(TODAY, tick=False)
def test_a_decision_writes_its_audit_row_with_a_summary(assessed_case, social_worker):
    case = assessed_case(csc_input="child_protection")

    decision = record(case, social_worker, "legal_planning_meeting")

    row = AuditEvent.objects.filter(case=case, event_type=AuditEventType.WORK_RECORDED).get()
    assert row.actor == social_worker
    assert row.extra_data["record"] == "plans.decision"
    assert row.extra_data["record_id"] == str(decision.pk)
    assert row.extra_data["on"] == DAY.isoformat()
    assert row.extra_data["step"] == "legal_planning_meeting"
    assert row.extra_data["summary"].startswith("Legal planning meeting on ")
    assert row.extra_data["changes"]["csc_input"] == {
        "before": "child_protection", "after": "pre_proceedings",
    }  # fmt: skip
    # The level changed through the cases service, with its own row.
    assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.CASE_CHANGED).exists()


@time_machine.travel(TODAY, tick=False)
def test_a_strategy_discussion_in_the_future_is_refused_against_its_date(
    assessed_case, social_worker
):
    import pytest
    from django.core.exceptions import ValidationError

    case = assessed_case()
    with pytest.raises(ValidationError) as refused:
        record(case, social_worker, "strategy_discussion", significant_harm=True,
               on=TODAY + timedelta(days=1))  # fmt: skip

    assert refused.value.error_dict["on"][0].message == "The date must be today or in the past"
    assert not Decision.objects.exists()
    case.refresh_from_db()
    assert case.strategy_discussion_date is None
