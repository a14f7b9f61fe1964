"""A child protection plan and pre-proceedings are read from the level of CSC input:
the two can never disagree, and changing the level moves the timeline."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.urls import reverse

from cases import services

TODAY = date(2027, 6, 20)
LONDON = ZoneInfo("Europe/London")


def milestones(case) -> set[str]:
    return set(case.milestones.values_list("milestone_id", flat=True))


def details(case, **changes) -> dict:
    data = {
        "locality": case.locality_id,
        "identified_date_day": case.identified_date.day,
        "identified_date_month": case.identified_date.month,
        "identified_date_year": case.identified_date.year,
        "identified_source": case.identified_source,
        "csc_input": case.csc_input,
        "named_social_worker": "",
        "named_midwife": "",
        "named_health_visitor": "",
        "version": case.version,
    }
    return {**data, **changes}


@time_machine.travel(TODAY, tick=False)
def test_raising_the_level_to_a_plan_adds_the_review_conference(
    client, social_worker, named_midwife, make_case
):
    case = make_case(named_midwife, edd=date(2027, 6, 25), csc_input="child_in_need")
    services.outcome_record(
        actor=named_midwife, context=None, case=case, outcome="live_birth",
        outcome_date=date(2027, 6, 18),
        babies=[services.BabyDetails(born_at=datetime(2027, 6, 18, 9, 5, tzinfo=LONDON),
                                     sex="female")],
    )  # fmt: skip
    assert "cp_review_conference" not in milestones(case)
    client.force_login(social_worker)

    response = client.post(
        reverse("case_details_change", args=[case.id]),
        details(case, csc_input="child_protection"),
    )

    case.refresh_from_db()
    assert response.status_code == 302
    assert case.cp_plan and not case.pre_proceedings
    review = case.milestones.get(milestone_id="cp_review_conference")
    assert review.due_date == date(2027, 7, 16)  # 28 days after the birth


@time_machine.travel(TODAY, tick=False)
def test_pre_proceedings_steps_follow_the_level_both_ways(social_worker, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 9, 1), csc_input="child_protection")
    plo = {"legal_planning_meeting", "plo_letter", "initial_plo_meeting"}
    assert not plo & milestones(case)

    services.case_update_details(
        actor=social_worker, context=None, case=case, csc_input="pre_proceedings"
    )
    assert plo <= milestones(case)

    services.case_update_details(actor=social_worker, context=None, case=case, csc_input="closed")
    assert not plo & milestones(case)
    assert not case.cp_plan


def test_the_decisions_page_offers_no_plan_or_pre_proceedings_box(
    client, social_worker, named_midwife, make_case
):
    case = make_case(named_midwife, csc_input="pre_proceedings")
    client.force_login(social_worker)

    page = client.get(reverse("case_facts_change", args=[case.id])).content.decode()

    assert 'value="cp_plan"' not in page and 'value="pre_proceedings"' not in page
    assert "So pre-proceedings (PLO) have started, and a child protection plan is in place" in page
