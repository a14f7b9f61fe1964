"""A team manager's Team page lists the assessments waiting for authorisation in their
localities, and never offers to authorise one they wrote; their My work lists those they
may authorise."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RoleCode
from assessments import services
from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from tests.assessment_fixtures import *  # noqa: F403 – the fixtures
from tests.assessment_fixtures import fill

TEAM = reverse("team")
MY_WORK = reverse("my_work")


def test_a_sent_assessment_is_on_the_team_page_with_a_link_to_authorise_it(
    client, submitted, other_manager
):
    client.force_login(other_manager)

    page = client.get(TEAM).content.decode()

    assert "Assessments waiting for authorisation (1)" in page
    assert reverse("assessment_decide", args=[submitted.case_id]) in page
    seen = AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_LIST_VIEWED, extra_data__page="awaiting_authorisation"
    ).latest("at", "pk")
    assert seen.extra_data["case_ids"] == [str(submitted.case_id)]


def test_the_manager_who_sent_it_is_told_another_manager_authorises_it(
    client, opened, social_worker, team_manager
):
    fill(opened, social_worker)
    services.assessment_submit(actor=team_manager, context=None, assessment=opened)
    client.force_login(team_manager)

    page = client.get(TEAM).content.decode()

    assert "Assessments waiting for authorisation (1)" in page
    assert "You wrote it: another team manager authorises it" in page
    assert reverse("assessment_decide", args=[opened.case_id]) not in page


def test_an_authorised_or_returned_assessment_leaves_the_list(client, submitted, other_manager):
    services.assessment_decide(actor=other_manager, context=None, assessment=submitted,
                               authorise=True)  # fmt: skip
    client.force_login(other_manager)

    assert "Assessments waiting for authorisation (0)" in client.get(TEAM).content.decode()


def test_a_manager_of_another_locality_does_not_see_it(client, submitted, make_user):
    elsewhere = make_user("sal", RoleCode.TEAM_MANAGER, localities=("sedgemoor",))
    client.force_login(elsewhere)

    assert "Assessments waiting for authorisation (0)" in client.get(TEAM).content.decode()


@pytest.mark.parametrize("url", [TEAM, MY_WORK])
def test_the_list_costs_the_same_queries_however_many_wait(
    client, submitted, other_manager, make_case, social_worker, url
):
    client.force_login(other_manager)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    # Allocated and named, so only this list grows (not the allocation queue).
    more = make_case(social_worker, given_name="Tia", family_name="Blake",
                     named_social_worker=social_worker)  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=more,
        referral_date=submitted.case.referral_date, allocation_date=submitted.case.allocation_date,
    )  # fmt: skip
    second = services.assessment_open(actor=social_worker, context=None, case=more)
    fill(second, social_worker)
    services.assessment_submit(actor=social_worker, context=None, assessment=second)

    with CaptureQueriesContext(connection) as two:
        page = client.get(url).content.decode()

    assert "Assessments waiting for authorisation (2)" in page
    assert len(two) == len(one)


def test_my_work_lists_an_assessment_the_manager_may_authorise(client, submitted, other_manager):
    client.force_login(other_manager)

    page = client.get(MY_WORK).content.decode()

    assert "Assessments waiting for authorisation (1)" in page
    assert '<span class="app-count">1</span> assessment to authorise' in page
    assert reverse("assessment_decide", args=[submitted.case_id]) in page
    seen = AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_LIST_VIEWED, extra_data__page="my_work_to_authorise"
    ).latest("at", "pk")
    assert seen.extra_data["case_ids"] == [str(submitted.case_id)]


def test_my_work_leaves_out_one_the_manager_sent(client, opened, social_worker, team_manager):
    fill(opened, social_worker)
    services.assessment_submit(actor=team_manager, context=None, assessment=opened)
    client.force_login(team_manager)

    assert "waiting for authorisation" not in client.get(MY_WORK).content.decode()


def test_a_manager_who_wrote_an_area_is_not_offered_the_decision_anywhere(
    client, opened, social_worker, other_manager
):
    """The no-self-approval rule counts whoever wrote an area, not only the opener and
    the sender: the Team page must not offer a decision the decision page refuses."""
    fill(opened, social_worker)
    services.area_save(actor=other_manager, context=None, assessment=opened,
                       code="accommodation", text="Two-bedroom flat, checked by the manager.",
                       action="complete", version=None)  # fmt: skip
    services.assessment_submit(actor=social_worker, context=None, assessment=opened)
    client.force_login(other_manager)
    decide = reverse("assessment_decide", args=[opened.case_id])
    assert client.get(decide).status_code == 403

    team = client.get(TEAM).content.decode()

    assert "You wrote it: another team manager authorises it" in team
    assert decide not in team
    assert "waiting for authorisation" not in client.get(MY_WORK).content.decode()


@pytest.mark.parametrize("role", [RoleCode.SOCIAL_WORKER, RoleCode.MIDWIFE])
def test_my_work_of_those_who_do_not_authorise_has_no_such_list(client, submitted, make_user, role):
    client.force_login(make_user("una", role))
    page = client.get(MY_WORK)
    assert page.status_code == 200
    assert "waiting for authorisation" not in page.content.decode()


def test_my_work_of_a_manager_of_another_locality_has_none(client, submitted, make_user):
    client.force_login(make_user("sal", RoleCode.TEAM_MANAGER, localities=("sedgemoor",)))
    assert "waiting for authorisation" not in client.get(MY_WORK).content.decode()
