"""The Team page starts with what a team manager acts on the day it arrives: referrals
waiting for allocation, and referrals that came at 29+ weeks or late."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases import services
from cases.models import Case, CscInput, Person, PregnancyOutcome
from timeline.models import CaseMilestone, MilestoneState

TODAY = date(2027, 2, 15)
EDD = date(2027, 6, 10)  # 16+0 on 24 December 2026; 29+0 on 25 March 2027; today 23+4


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=ZoneInfo("Europe/London")),
                             tick=False):  # fmt: skip
        yield


def referred(make_case, actor, *, referral, allocation=None, edd=EDD, **details):
    return make_case(actor, edd=edd, referral_date=referral, allocation_date=allocation,
                     **details)  # fmt: skip


def shown(response, name: str) -> list:
    return [case.mother.family_name for case in response.context[name].object_list]


def test_a_team_manager_lands_on_the_team_page(client, team_manager):
    client.force_login(team_manager)

    assert client.get("/").url == reverse("team")


def test_a_social_worker_still_lands_on_my_work(client, social_worker):
    client.force_login(social_worker)

    assert client.get("/").url == reverse("my_work")


def test_unallocated_referrals_are_listed_oldest_first_then_closest_to_birth(
    client, team_manager, named_midwife, social_worker, make_case
):
    referred(make_case, named_midwife, referral=date(2027, 2, 10), family_name="Newest")
    referred(make_case, named_midwife, referral=date(2027, 2, 1), family_name="Oldest")
    referred(make_case, named_midwife, referral=date(2027, 2, 1), edd=EDD - timedelta(days=20),
             family_name="Oldest and closer to birth")  # fmt: skip
    referred(make_case, named_midwife, referral=date(2027, 2, 1), allocation=date(2027, 2, 2),
             named_social_worker=social_worker, family_name="Allocated")  # fmt: skip
    client.force_login(team_manager)

    response = client.get(reverse("team"))

    assert shown(response, "awaiting") == ["Oldest and closer to birth", "Oldest", "Newest"]
    page = response.content.decode()
    assert "Referrals waiting for allocation (3)" in page
    assert "14 days" in page  # referred 1 February
    assert "23+4" in page  # gestation today
    assert page.index("Referrals waiting for allocation") < page.index("Who is carrying what")


def test_an_unallocated_referral_with_no_social_worker_is_on_the_team_page(
    client, team_manager, named_midwife, make_case
):
    """It is in no worker's list, so the team's cases never showed it."""
    case = referred(make_case, named_midwife, referral=date(2027, 2, 14))
    client.force_login(team_manager)

    page = client.get(reverse("team")).content.decode()

    assert f'href="{reverse("case_detail", args=[case.id])}"' in page


def test_closed_and_lost_cases_are_not_waiting_for_allocation(
    client, team_manager, named_midwife, make_case
):
    referred(make_case, named_midwife, referral=date(2027, 2, 1), csc_input=CscInput.CLOSED)
    lost = referred(make_case, named_midwife, referral=date(2027, 2, 1))
    services.outcome_record(actor=named_midwife, context=None, case=lost,
                            outcome=PregnancyOutcome.MISCARRIAGE, outcome_date=TODAY,
                            babies=[])  # fmt: skip
    client.force_login(team_manager)

    response = client.get(reverse("team"))

    assert shown(response, "awaiting") == [] and shown(response, "late") == []
    assert "No referrals are waiting for allocation." in response.content.decode()


def test_late_referrals_are_listed_newest_first_with_how_late(
    client, team_manager, named_midwife, make_case
):
    referred(make_case, named_midwife, referral=date(2027, 1, 3), allocation=date(2027, 1, 4),
             family_name="Late")  # fmt: skip
    referred(make_case, named_midwife, referral=date(2027, 2, 14), family_name="Later")
    referred(make_case, named_midwife, referral=date(2026, 12, 20),
             allocation=date(2026, 12, 21), family_name="On time")  # fmt: skip
    client.force_login(team_manager)

    response = client.get(reverse("team"))

    assert shown(response, "late") == ["Later", "Late"]
    page = response.content.decode()
    assert "Referred at 29 weeks or later, or late (2)" in page
    assert "Late by 10 days" in page  # due 24 December, referred 3 January
    assert "at 17+3" in page  # gestation at that referral


def test_lateness_is_read_from_the_stored_referral_milestone(
    client, team_manager, named_midwife, make_case
):
    """One home for the rule: if the engine says a referral was on time, so does Team."""
    case = referred(make_case, named_midwife, referral=date(2027, 1, 3), family_name="Late")
    CaseMilestone.objects.filter(case=case, milestone_id="referral").update(
        state=MilestoneState.DONE
    )
    client.force_login(team_manager)

    assert shown(client.get(reverse("team")), "late") == []


def test_a_referral_at_29_weeks_is_listed_whatever_the_referral_milestone_says(
    client, team_manager, named_midwife, make_case
):
    at_29 = referred(make_case, named_midwife, referral=TODAY, edd=TODAY + timedelta(days=77),
                     family_name="At 29 weeks")  # fmt: skip
    at_28_6 = referred(make_case, named_midwife, referral=TODAY, edd=TODAY + timedelta(days=78),
                       family_name="At 28+6")  # fmt: skip
    CaseMilestone.objects.filter(case__in=[at_29, at_28_6], milestone_id="referral").update(
        state=MilestoneState.DONE
    )
    client.force_login(team_manager)

    response = client.get(reverse("team"))

    assert shown(response, "late") == ["At 29 weeks"]
    assert "at 29+0" in response.content.decode()


def test_the_referral_lists_are_audited_with_the_cases_shown(
    client, team_manager, named_midwife, make_case
):
    case = referred(make_case, named_midwife, referral=date(2027, 2, 1))
    client.force_login(team_manager)

    client.get(reverse("team"))

    reads = {
        event.extra_data["page"]: event.extra_data["case_ids"]
        for event in AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_VIEWED)
    }
    assert reads["allocation_queue"] == [str(case.id)]
    assert reads["referred_late"] == [str(case.id)]


def test_a_manager_elsewhere_sees_none_of_another_localitys_referrals(
    client, make_user, named_midwife, make_case
):
    referred(make_case, named_midwife, referral=date(2027, 2, 1))
    sedgemoor_manager = make_user("sam", RoleCode.TEAM_MANAGER, localities=("sedgemoor",))
    client.force_login(sedgemoor_manager)

    response = client.get(reverse("team"))

    assert shown(response, "awaiting") == [] and shown(response, "late") == []
    read = AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_VIEWED)
    assert all(event.extra_data["case_ids"] == [] for event in read)


def test_a_case_i_am_named_on_in_another_locality_is_not_in_my_queue(
    client, make_user, team_manager, make_case
):
    """The queue is the manager's localities: a case they are named on elsewhere is not theirs
    to allocate."""
    sedgemoor_midwife = make_user("sally", RoleCode.MIDWIFE, localities=("sedgemoor",))
    make_case(sedgemoor_midwife, locality_slug="sedgemoor", referral_date=date(2027, 2, 1),
              named_social_worker=team_manager)  # fmt: skip
    client.force_login(team_manager)

    assert shown(client.get(reverse("team")), "awaiting") == []


def test_an_outsider_cannot_open_the_team_page(client, outsider):
    client.force_login(outsider)

    assert client.get(reverse("team")).status_code == 403


def test_a_long_queue_is_paginated_on_its_own(
    client, team_manager, named_midwife, make_case, settings
):
    settings.CASES_PER_PAGE = 2
    for day in (1, 2, 3):
        referred(make_case, named_midwife, referral=date(2027, 2, day), family_name=f"Day{day}")
    client.force_login(team_manager)

    response = client.get(reverse("team"), {"queue_page": 2})

    assert shown(response, "awaiting") == ["Day3"]
    assert shown(response, "late") == ["Day3", "Day2"]
    page = response.content.decode()
    assert 'aria-label="Pages of referrals waiting for allocation"' in page
    assert "queue_page=1" in page


def bulk_referrals(start: int, count: int, locality, creator) -> None:
    """Many unallocated late referrals at once, each with its stored referral milestone."""
    people = Person.objects.bulk_create(
        Person(given_name="Test", family_name=f"Mother{n}", date_of_birth=date(1998, 1, 1))
        for n in range(start, start + count)
    )
    cases = Case.objects.bulk_create(
        Case(locality=locality, mother=person, edd=EDD, identified_date=date(2026, 11, 1),
             identified_source="booking", csc_input="assessment", created_by=creator,
             referral_date=date(2027, 2, 1), reference=f"PB-R{n:05d}")
        for n, person in enumerate(people, start=start)
    )  # fmt: skip
    CaseMilestone.objects.bulk_create(
        CaseMilestone(case=case, milestone_id="referral", position=0, title="Referral",
                      state=MilestoneState.DONE_LATE, due_date=date(2026, 12, 24),
                      done_date=date(2027, 2, 1))
        for case in cases
    )  # fmt: skip


def test_the_team_page_queries_are_the_same_for_10_referrals_as_for_100(
    client, team_manager, named_midwife, locality
):
    client.force_login(team_manager)
    mendip = locality("mendip")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("team"))
        assert response.status_code == 200
        return len(captured)

    bulk_referrals(0, 10, mendip, named_midwife)
    with_10 = queries()
    bulk_referrals(10, 90, mendip, named_midwife)
    with_100 = queries()

    assert with_100 == with_10
