"""A team manager's Team page lists the assessments waiting for authorisation in their
localities, and never offers to authorise one they wrote."""

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


def test_the_list_costs_the_same_queries_however_many_wait(
    client, submitted, other_manager, make_case, social_worker
):
    client.force_login(other_manager)
    with CaptureQueriesContext(connection) as one:
        client.get(TEAM)
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
        page = client.get(TEAM).content.decode()

    assert "Assessments waiting for authorisation (2)" in page
    assert len(two) == len(one)
