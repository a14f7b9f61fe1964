"""Recording a decision from its page: choose the kind, fill in its form; bad input is
shown in the error summary with what was typed kept."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from plans.models import Decision
from tests import plans_fixtures
from tests.plans_fixtures import TODAY, date_fields, milestone

assessed_case = plans_fixtures.assessed_case  # the fixture


@time_machine.travel(TODAY, tick=False)
def test_choosing_the_kind_leads_to_its_form(client, social_worker, assessed_case):
    case = assessed_case()
    client.force_login(social_worker)

    index = client.get(reverse("plans_index", args=[case.id])).content.decode()
    assert "Record a decision" in index
    response = client.get(reverse("plans_decision_choose", args=[case.id]), {"kind": "icpc"})

    assert response.status_code == 302
    assert response["Location"] == reverse("plans_decision_record", args=[case.id, "icpc"])
    nothing = client.get(reverse("plans_decision_choose", args=[case.id]), {"kind": "tea"})
    assert (
        nothing.status_code == 200 and "Choose what you are recording" in nothing.content.decode()
    )


@time_machine.travel(TODAY, tick=False)
def test_the_conference_recorded_from_its_page(client, social_worker, assessed_case):
    case = assessed_case(significant_harm=True)
    client.force_login(social_worker)
    day = TODAY - timedelta(days=2)

    response = client.post(
        reverse("plans_decision_record", args=[case.id, "icpc"]),
        {**date_fields("on", day), "conference_outcome": "cp_plan", "plan_category": "neglect",
         "outcome": "Core group in 10 days"},
    )  # fmt: skip

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.cp_plan and milestone(case, "icpc").done_date == day
    index = client.get(reverse("plans_index", args=[case.id])).content.decode()
    assert (
        "Initial child protection conference" in index
        and "child protection plan (neglect)" in index
    )
    detail = client.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "Decisions and plans" in detail and "Core group in 10 days" in detail


@time_machine.travel(TODAY, tick=False)
def test_bad_input_keeps_what_was_typed(client, social_worker, assessed_case):
    case = assessed_case()
    client.force_login(social_worker)

    response = client.post(
        reverse("plans_decision_record", args=[case.id, "strategy-discussion"]),
        {"on_day": "31", "on_month": "2", "on_year": "2027", "outcome": "Section 47 to start"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Select whether the strategy discussion identified a risk" in page
    assert "Section 47 to start" in page and 'value="31"' in page
    assert not Decision.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_the_panel_needs_its_decision(client, social_worker, assessed_case):
    case = assessed_case()
    client.force_login(social_worker)

    response = client.post(
        reverse("plans_decision_record", args=[case.id, "bla-panel"]), date_fields("on", TODAY)
    )

    assert "Enter the decision" in response.content.decode()
    assert not Decision.objects.exists()
