"""The team manager's allocation queue and the allocation with its case note of directions.

The queue lists the referred, unallocated cases of the manager's localities, the oldest
referral first and then the latest gestation. Allocating sets the case's date of
allocation (the `allocation` milestone) and names the social worker; only a team manager
of the case's locality allocates."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases.models import Case
from referrals.models import Allocation
from referrals.services import case_allocate
from rules.timeline import CaseFacts, compute_timeline
from timeline.models import CaseMilestone
from timeline.services import active_protocol

TODAY = date(2027, 2, 15)
EDD = date(2027, 6, 10)  # today 23+4


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=ZoneInfo("Europe/London")),
                             tick=False):  # fmt: skip
        yield


@pytest.fixture
def other_manager(make_user):
    """A team manager in Sedgemoor."""
    return make_user("tina", RoleCode.TEAM_MANAGER, localities=("sedgemoor",))


def referred(make_case, actor, *, referral=date(2027, 2, 10), edd=EDD, **details):
    return make_case(actor, edd=edd, referral_date=referral, **details)


def allocation_data(worker, case=None, **overrides) -> dict:
    """The allocation form as posted; with the case, the version of it the page showed."""
    data = {
        "allocated_to": str(worker.pk),
        "allocated_on_day": "15",
        "allocated_on_month": "2",
        "allocated_on_year": "2027",
        "directions": "Introductory visit with both parents within ten working days.",
    }
    if case is not None:
        data["version"] = str(Case.objects.get(pk=case.pk).version)
    data.update(overrides)
    return data


def shown(response) -> list[str]:
    return [case.mother.family_name for case in response.context["page"].object_list]


def test_the_queue_lists_the_oldest_referral_first_then_the_latest_gestation(
    client, team_manager, social_worker, make_case
):
    referred(make_case, social_worker, referral=date(2027, 2, 10), edd=EDD - timedelta(days=10),
             family_name="Newest")  # fmt: skip
    referred(make_case, social_worker, referral=date(2027, 2, 1), family_name="Oldest")
    referred(make_case, social_worker, referral=date(2027, 2, 1), edd=EDD - timedelta(days=20),
             family_name="Oldest and closer to birth")  # fmt: skip
    client.force_login(team_manager)

    by_waiting = client.get(reverse("allocation_queue"))
    by_gestation = client.get(reverse("allocation_queue"), {"sort": "gestation"})

    assert shown(by_waiting) == ["Oldest and closer to birth", "Oldest", "Newest"]
    assert shown(by_gestation) == ["Oldest and closer to birth", "Newest", "Oldest"]
    page = by_waiting.content.decode()
    assert "Oldest referral first, then the latest gestation" in page
    assert "14 days" in page  # waiting since 1 February
    assert "Late by" in page  # referred after 16+0 weeks
    assert "Duty and Assessment Team" in page


def test_the_queue_leaves_out_allocated_unreferred_closed_and_other_localities_cases(
    client, team_manager, social_worker, outsider, make_case
):
    referred(make_case, social_worker, family_name="Waiting")
    referred(make_case, social_worker, family_name="Allocated", allocation_date=date(2027, 2, 11),
             named_social_worker=social_worker)  # fmt: skip
    make_case(social_worker, family_name="Not referred")
    referred(make_case, social_worker, family_name="Closed", csc_input="closed")
    referred(make_case, outsider, locality_slug="sedgemoor", family_name="Sedgemoor")
    client.force_login(team_manager)

    response = client.get(reverse("allocation_queue"))

    assert shown(response) == ["Waiting"]
    read = AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_VIEWED).latest("at", "pk")
    assert read.actor == team_manager
    assert read.extra_data["page"] == "allocation_queue"
    assert read.extra_data["case_ids"] == [str(response.context["page"].object_list[0].id)]


def test_the_queue_takes_the_same_queries_however_many_cases(
    client, team_manager, social_worker, make_case
):
    client.force_login(team_manager)
    referred(make_case, social_worker, family_name="First")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("allocation_queue")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(6):
        referred(make_case, social_worker, family_name=f"More{n}",
                 referral=date(2027, 2, 1) + timedelta(days=n))  # fmt: skip

    assert queries() == few


def test_each_row_is_routed_as_the_timeline_engine_routes_it(
    client, team_manager, social_worker, make_case
):
    """The queue reads the stored `referral` milestone and the protocol's team rule, not
    the engine per row: what it shows is still what the engine says."""
    referred(make_case, social_worker, referral=date(2027, 2, 10), family_name="Late")
    referred(make_case, social_worker, referral=date(2027, 2, 10), edd=date(2027, 9, 20),
             complex=True, family_name="Early and complex")  # fmt: skip
    referred(make_case, social_worker, referral=date(2027, 2, 10), edd=date(2027, 9, 20),
             family_name="Early")  # fmt: skip
    referred(make_case, social_worker, referral=date(2027, 2, 12), edd=date(2027, 4, 1),
             complex=True, family_name="Near term and complex")  # fmt: skip
    client.force_login(team_manager)

    rows = client.get(reverse("allocation_queue")).context["page"].object_list

    assert len(rows) == 4
    for case in rows:
        facts = CaseFacts(edd=case.edd, today=case.referral_date,
                          referral_date=case.referral_date, complex=case.complex)  # fmt: skip
        engine = compute_timeline(facts, active_protocol())
        assert case.routing.late_days == engine.late_referral_days, case.mother.family_name
        assert case.routing.due == engine.milestone("referral").due_date
        assert case.routing.team == engine.team, case.mother.family_name
    assert {case.routing.late for case in rows} == {True, False}
    assert {case.routing.team for case in rows} == {"duty_and_assessment", "safeguarding"}


def test_only_team_managers_see_the_queue_and_its_navigation(client, team_manager, social_worker):
    client.force_login(social_worker)
    assert client.get(reverse("allocation_queue")).status_code == 403
    assert 'href="/allocations/"' not in client.get(reverse("case_list")).content.decode()

    client.force_login(team_manager)
    assert 'href="/allocations/"' in client.get(reverse("case_list")).content.decode()


def test_allocating_does_the_allocation_milestone_and_names_the_worker(
    client, team_manager, social_worker, make_case
):
    case = referred(make_case, social_worker)
    client.force_login(team_manager)

    url = reverse("case_allocate", args=[case.id])
    response = client.post(url, allocation_data(social_worker, case))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.allocation_date == TODAY
    assert case.named_social_worker == social_worker
    milestone = CaseMilestone.objects.get(case=case, milestone_id="allocation")
    assert milestone.done_date == TODAY
    allocation = Allocation.objects.get(case=case)
    assert (allocation.allocated_to, allocation.allocated_by) == (social_worker, team_manager)
    event = AuditEvent.objects.get(case=case, event_type=AuditEventType.CASE_ALLOCATED)
    assert event.actor == team_manager
    assert event.extra_data["summary"] == (
        "Allocated to Priya Tester on 15 February 2027 by Mark Tester, with directions"
    )
    assert event.extra_data["record"] == "referrals.allocation"
    assert event.extra_data["record_id"] == str(allocation.pk)
    assert event.extra_data["on"] == "2027-02-15"
    assert event.extra_data["changes"]["allocated_to"] == {"before": None, "after": "Priya Tester"}
    page = client.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "Introductory visit with both parents within ten working days." in page
    assert "Allocated to" in page


def test_a_reallocation_adds_a_row_changes_the_worker_and_keeps_the_first_date(
    client, team_manager, social_worker, make_user, make_case
):
    second = make_user("sunil", RoleCode.SOCIAL_WORKER)
    case = referred(make_case, social_worker)
    case_allocate(actor=team_manager, context=None, case=case, allocated_to=social_worker,
                  allocated_on=date(2027, 2, 11), directions="First directions")  # fmt: skip
    client.force_login(team_manager)

    response = client.post(
        reverse("case_allocate", args=[case.id]),
        allocation_data(second, case, directions="Second directions"),
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.allocation_date == date(2027, 2, 11)
    assert case.named_social_worker == second
    assert [a.directions for a in case.allocations.all()] == ["Second directions",
                                                             "First directions"]  # fmt: skip
    event = AuditEvent.objects.filter(event_type=AuditEventType.CASE_ALLOCATED).latest("at", "pk")
    assert event.extra_data["summary"].startswith("Re-allocated from Priya Tester to Sunil Tester")


def test_directions_are_required_and_what_was_typed_is_kept(
    client, team_manager, social_worker, make_case
):
    case = referred(make_case, social_worker)
    client.force_login(team_manager)

    response = client.post(
        reverse("case_allocate", args=[case.id]),
        allocation_data(social_worker, directions="   ", allocated_on_day="14"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the case note of directions for the allocated worker" in page
    assert f'value="{social_worker.pk}" selected' in page
    assert 'value="14"' in page
    case.refresh_from_db()
    assert case.allocation_date is None and case.named_social_worker is None
    assert not Allocation.objects.exists()


def test_a_worker_of_another_locality_or_a_date_before_the_referral_is_refused(
    client, team_manager, social_worker, outsider, make_case
):
    case = referred(make_case, social_worker)
    client.force_login(team_manager)
    url = reverse("case_allocate", args=[case.id])

    other = client.post(url, allocation_data(outsider)).content.decode()
    early = client.post(url, allocation_data(social_worker, allocated_on_day="9")).content.decode()

    assert "Select a social worker of the case" in other
    assert "The date of allocation must be on or after the referral, 10 February 2027" in early
    assert not Allocation.objects.exists()
    with pytest.raises(Exception, match="social worker of the case"):
        case_allocate(actor=team_manager, context=None, case=case, allocated_to=outsider,
                      allocated_on=TODAY, directions="Go")  # fmt: skip


def test_a_social_worker_cannot_allocate(client, social_worker, make_case):
    case = referred(make_case, social_worker)
    client.force_login(social_worker)
    url = reverse("case_allocate", args=[case.id])

    assert client.get(url).status_code == 403
    assert client.post(url, allocation_data(social_worker)).status_code == 403
    assert "Allocate</a>" not in client.get(reverse("case_detail", args=[case.id])).content.decode()
    with pytest.raises(PermissionDenied):
        case_allocate(actor=social_worker, context=None, case=case, allocated_to=social_worker,
                      allocated_on=TODAY, directions="Go")  # fmt: skip
    case.refresh_from_db()
    assert case.allocation_date is None and not Allocation.objects.exists()


def test_a_manager_of_another_locality_gets_404(client, other_manager, social_worker, make_case):
    case = referred(make_case, social_worker)
    client.force_login(other_manager)
    url = reverse("case_allocate", args=[case.id])

    assert client.get(url).status_code == 404
    assert client.post(url, allocation_data(social_worker)).status_code == 404
    assert not Allocation.objects.exists()
    with pytest.raises(PermissionDenied):
        case_allocate(actor=other_manager, context=None, case=case, allocated_to=social_worker,
                      allocated_on=TODAY, directions="Go")  # fmt: skip


def test_the_case_page_links_the_team_manager_to_allocate(
    client, team_manager, social_worker, make_case
):
    case = referred(make_case, social_worker)
    client.force_login(team_manager)

    page = client.get(reverse("case_detail", args=[case.id])).content.decode()

    assert reverse("case_allocate", args=[case.id]) in page
