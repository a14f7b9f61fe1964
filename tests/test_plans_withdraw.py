"""A decision recorded in error is withdrawn with a reason: kept, marked, and what it did
undone — its step, and the facts it set if they are still as it left them."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from plans import services
from tests import plans_fixtures
from tests.plans_fixtures import TODAY, milestone

assessed_case = plans_fixtures.assessed_case  # the fixture

DAY = TODAY - timedelta(days=4)


@time_machine.travel(TODAY, tick=False)
def test_withdrawing_the_conference_undoes_its_step_and_the_plan(
    client, social_worker, assessed_case
):
    case = assessed_case(significant_harm=True)
    decision = services.decision_record(
        actor=social_worker, context=None, case=case, kind="icpc", on=DAY,
        conference_outcome="cp_plan",
    )  # fmt: skip
    assert milestone(case, "icpc").done_date == DAY
    client.force_login(social_worker)
    url = reverse("plans_decision_withdraw", args=[case.id, decision.id])

    refused = client.post(url, {"reason": ""})
    assert "Enter why the decision is being withdrawn" in refused.content.decode()

    response = client.post(url, {"reason": "Recorded on the wrong case"})

    assert response.status_code == 302
    case.refresh_from_db()
    assert milestone(case, "icpc").done_date is None
    assert case.csc_input == "assessment" and not case.cp_plan
    assert case.significant_harm  # set before the conference: not its to undo
    decision.refresh_from_db()
    assert decision.is_withdrawn and decision.withdrawn_reason == "Recorded on the wrong case"
    row = AuditEvent.objects.get(case=case, event_type=AuditEventType.WORK_WITHDRAWN)
    assert row.extra_data["record_id"] == str(decision.pk)
    assert row.extra_data["changes"]["csc_input"]["after"] == "assessment"
    index = client.get(reverse("plans_index", args=[case.id])).content.decode()
    assert "Withdrawn" in index and "Recorded on the wrong case" in index


@time_machine.travel(TODAY, tick=False)
def test_a_level_changed_since_stays(social_worker, assessed_case):
    case = assessed_case()
    decision = services.decision_record(
        actor=social_worker, context=None, case=case, kind="child_in_need", on=DAY
    )
    from cases import services as case_services

    case_services.case_update_details(
        actor=social_worker, context=None, case=case, csc_input="child_protection"
    )

    services.decision_withdraw(actor=social_worker, context=None, decision=decision,
                               reason="Wrong date")  # fmt: skip

    case.refresh_from_db()
    assert case.csc_input == "child_protection"


@time_machine.travel(TODAY, tick=False)
def test_a_fact_another_decision_still_says_stays(social_worker, assessed_case):
    case = assessed_case()
    first = services.decision_record(actor=social_worker, context=None, case=case,
                                     kind="strategy_discussion", on=DAY - timedelta(days=7),
                                     significant_harm=True)  # fmt: skip
    services.decision_record(actor=social_worker, context=None, case=case,
                             kind="strategy_discussion", on=DAY, significant_harm=True)  # fmt: skip

    services.decision_withdraw(actor=social_worker, context=None, decision=first, reason="Dup")

    case.refresh_from_db()
    assert case.significant_harm
    assert case.strategy_discussion_date == DAY  # the one still standing
