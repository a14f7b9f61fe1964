"""What a reviewer walking each persona's day found, kept fixed."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import RoleCode
from cases import services
from dashboards import selectors
from timeline import services as timeline_services

TODAY = date(2027, 2, 15)


@pytest.fixture
def health_visitor(make_user):
    return make_user("hannah", RoleCode.HEALTH_VISITOR)


@pytest.fixture
def allocated(social_worker, named_midwife, make_case):
    with time_machine.travel(TODAY, tick=False):
        case = make_case(named_midwife, edd=date(2027, 6, 10), named_social_worker=social_worker)
        services.case_facts_update(
            actor=social_worker, context=None, case=case,
            referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21),
        )  # fmt: skip
    return case


@time_machine.travel(TODAY, tick=False)
def test_a_health_visitor_cannot_clear_the_referral_by_saving_the_facts_page(
    client, health_visitor, allocated
):
    client.force_login(health_visitor)
    milestones = allocated.milestones.count()
    page = client.get(reverse("case_facts_change", args=[allocated.id])).content.decode()

    # The referral and allocation are shown, not offered as boxes.
    assert 'name="referral_date_day"' not in page
    assert "20 January 2027" in page
    response = client.post(
        reverse("case_facts_change", args=[allocated.id]),
        {"version": allocated.version, "referral_date_day": "", "allocation_date_day": ""},
    )

    allocated.refresh_from_db()
    assert response.status_code == 302
    assert allocated.referral_date == date(2027, 1, 20)
    assert allocated.milestones.count() == milestones


@time_machine.travel(TODAY, tick=False)
def test_only_childrens_social_care_changes_its_facts_whoever_calls(health_visitor, allocated):
    with pytest.raises(PermissionDenied):
        services.case_facts_update(
            actor=health_visitor, context=None, case=allocated, allocation_date=None
        )
    with pytest.raises(PermissionDenied):
        services.case_update_details(
            actor=health_visitor, context=None, case=allocated, csc_input="closed"
        )
    # Saving what is already there is not a change.
    services.case_facts_update(
        actor=health_visitor, context=None, case=allocated, referral_date=date(2027, 1, 20)
    )


@time_machine.travel(TODAY, tick=False)
def test_a_step_done_by_a_fact_cannot_also_be_recorded_by_hand(social_worker, allocated):
    with pytest.raises(ValidationError, match="done by its date"):
        timeline_services.milestone_record_done(
            actor=social_worker, context=None, case=allocated, milestone_id="allocation",
            done_date=TODAY,
        )  # fmt: skip
    assert not allocated.events.exists()


@time_machine.travel(TODAY, tick=False)
def test_an_edd_that_would_make_the_pregnancy_over_44_weeks_is_refused(
    client, social_worker, allocated
):
    client.force_login(social_worker)
    far_back = TODAY - timedelta(weeks=6)

    page = client.post(reverse("edd_revise", args=[allocated.id]), {
        "edd_day": far_back.day, "edd_month": far_back.month, "edd_year": far_back.year,
        "reason": "Typed last year's date", "version": allocated.version,
    }).content.decode()  # fmt: skip

    allocated.refresh_from_db()
    assert allocated.edd == date(2027, 6, 10)
    assert "would make the pregnancy over 44 weeks" in page
    with pytest.raises(ValidationError):
        services.edd_revise(
            actor=social_worker, context=None, case=allocated, edd=far_back, reason="x"
        )


@time_machine.travel(TODAY, tick=False)
def test_my_work_leaves_out_a_case_closed_to_csc_as_the_team_view_does(social_worker, allocated):
    assert allocated.id in selectors.my_case_ids(social_worker)

    services.case_update_details(
        actor=social_worker, context=None, case=allocated, csc_input="closed"
    )

    assert allocated.id not in selectors.my_case_ids(social_worker)


@time_machine.travel(TODAY, tick=False)
def test_an_allocated_case_with_no_social_worker_waits_on_the_team_page(
    team_manager, social_worker, allocated
):
    assert allocated not in selectors.awaiting_allocation(team_manager)

    services.case_update_details(
        actor=social_worker, context=None, case=allocated, named_social_worker=None
    )

    assert allocated in selectors.awaiting_allocation(team_manager)


@time_machine.travel(TODAY, tick=False)
def test_a_refusal_page_says_why(client, social_worker, allocated):
    services.outcome_record(
        actor=social_worker, context=None, case=allocated, outcome="miscarriage",
        outcome_date=TODAY, babies=[],
    )  # fmt: skip
    client.force_login(social_worker)

    response = client.get(reverse("edd_revise", args=[allocated.id]))

    assert response.status_code == 403
    assert (
        "The outcome is recorded: the due date can no longer change." in response.content.decode()
    )


def test_no_social_worker_is_a_gap_only_while_the_case_is_open_to_csc(
    client, social_worker, named_midwife, make_case
):
    make_case(named_midwife, family_name="Unreferred", csc_input="none")
    make_case(named_midwife, family_name="Assessing", csc_input="assessment")
    client.force_login(social_worker)

    listed = client.get(reverse("case_list"), {"gaps": "social_worker"}).context["page_obj"]

    assert [case.mother.family_name for case in listed] == ["Assessing"]
