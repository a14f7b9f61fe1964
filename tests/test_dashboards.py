"""My work, the team view and the locality view: right rows, right people, constant queries."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import CscTeam, RoleCode
from assessments.models import Assessment, AssessmentArea, AssessmentState
from cases import services as case_services
from cases.models import Case, Person
from timeline.models import CaseMilestone

TODAY = date(2027, 2, 15)
EDD = date(2027, 6, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=ZoneInfo("Europe/London")),
                             tick=False):  # fmt: skip
        yield


def refer(case, actor, referral=date(2027, 1, 20), allocation=date(2027, 1, 21)):
    case_services.case_facts_update(
        actor=actor, context=None, case=case, referral_date=referral, allocation_date=allocation
    )
    return case


@pytest.fixture
def priyas_case(named_midwife, social_worker, make_case):
    case = make_case(named_midwife, edd=EDD, named_social_worker=social_worker,
                     family_name="Ashdown")  # fmt: skip
    return refer(case, social_worker)


def test_my_work_lists_overdue_and_due_soon_milestones_of_my_cases(
    client, social_worker, priyas_case
):
    client.force_login(social_worker)

    response = client.get(reverse("my_work"))

    rows = {(row.milestone_id, row.status_now) for row in response.context["page_obj"]}
    assert ("multi_agency_meeting", "overdue") in rows
    assert ("intro_home_visit", "overdue") in rows
    # 30 working days after 21 January is 4 March: inside the next 10 working days of 15 Feb?
    # No: 10 working days from 15 February is 1 March, so the 30-day checkpoint is not listed.
    assert not {m for m, _ in rows} & {"checkpoint_30_day", "assessment_completed"}
    counts = response.context["counts"]
    assert counts["overdue"] == len([r for r in rows if r[1] == "overdue"])
    page = response.content.decode()
    assert "Unborn baby of Kerry Ashdown" in page
    assert "by 4 days" in page  # multi-agency meeting due 11 February


def test_my_work_can_show_only_overdue(client, social_worker, priyas_case):
    client.force_login(social_worker)

    response = client.get(reverse("my_work"), {"show": "overdue"})

    assert {row.status_now for row in response.context["page_obj"]} == {"overdue"}


def test_my_work_leaves_out_cases_i_am_not_named_on(client, make_user, priyas_case):
    colleague = make_user("sunita", RoleCode.SOCIAL_WORKER)
    client.force_login(colleague)

    response = client.get(reverse("my_work"))

    assert list(response.context["page_obj"]) == []
    assert response.context["counts"] == {"overdue": 0, "due_soon": 0}


def test_the_team_view_is_for_managers(client, social_worker):
    client.force_login(social_worker)

    assert client.get(reverse("team")).status_code == 403


def test_the_team_view_shows_each_workers_load_and_the_cases_by_closeness_to_birth(
    client, team_manager, social_worker, named_midwife, make_case, priyas_case
):
    team_manager.team = social_worker.team = CscTeam.SAFEGUARDING
    team_manager.save()
    social_worker.save()
    later = make_case(named_midwife, edd=EDD + timedelta(days=30),
                      named_social_worker=social_worker, family_name="Later")  # fmt: skip
    client.force_login(team_manager)

    response = client.get(reverse("team"))

    load = {row["worker"].username: row for row in response.context["load"]}
    assert load["priya"]["cases"] == 2
    # The later case has no referral, and its 16 weeks (23 January) have passed.
    assert load["priya"]["cases_with_overdue"] == 2
    assert load["priya"]["overdue_milestones"] == 6
    cases = list(response.context["page_obj"])
    assert [case.id for case in cases] == [priyas_case.id, later.id]
    assert cases[0].overdue_count == 5


def test_the_locality_view_counts_overdue_and_names_the_next_milestone(
    client, social_worker, priyas_case
):
    client.force_login(social_worker)

    response = client.get(reverse("locality"), {"overdue": "on", "sort": "overdue"})

    [case] = response.context["page_obj"]
    assert case.id == priyas_case.id
    assert case.overdue_count == 5
    assert (
        case.next_due_title == "30-day checkpoint: assessment complete, or the full 45 days agreed"
    )
    assert case.next_due_date == date(2027, 3, 4)


def test_the_locality_view_leaves_out_other_localities(client, outsider, priyas_case):
    client.force_login(outsider)

    response = client.get(reverse("locality"))

    assert list(response.context["page_obj"]) == []


def bulk_cases(start: int, count: int, locality, worker, creator) -> None:
    """Many cases at once, each with one overdue and one upcoming milestone, and its
    assessment (opened and sent by `creator`) waiting for authorisation."""
    people = Person.objects.bulk_create(
        Person(given_name="Test", family_name=f"Mother{n}", date_of_birth=date(1998, 1, 1))
        for n in range(start, start + count)
    )
    cases = Case.objects.bulk_create(
        Case(locality=locality, mother=person, edd=EDD, identified_date=date(2026, 11, 1),
             identified_source="booking", csc_input="assessment", named_social_worker=worker,
             created_by=creator, reference=f"PB-T{n:05d}")
        for n, person in enumerate(people, start=start)
    )  # fmt: skip
    CaseMilestone.objects.bulk_create(
        CaseMilestone(case=case, milestone_id=milestone_id, position=n, title=milestone_id,
                      state="open", due_date=due, warning_from=due - timedelta(days=14))
        for case in cases
        for n, (milestone_id, due) in enumerate(
            [("intro_home_visit", date(2027, 2, 1)), ("multi_agency_meeting", date(2027, 2, 20))]
        )
    )  # fmt: skip
    sent = datetime(2027, 2, 12, 9, tzinfo=ZoneInfo("Europe/London"))
    assessments = Assessment.objects.bulk_create(
        Assessment(case=case, opened_by=creator, opened_on=date(2027, 1, 21),
                   state=AssessmentState.SUBMITTED, submitted_by=creator, submitted_at=sent)
        for case in cases
    )  # fmt: skip
    AssessmentArea.objects.bulk_create(
        AssessmentArea(assessment=assessment, code="accommodation", status="completed",
                       text="Flat", updated_by=creator, updated_at=sent)
        for assessment in assessments
    )  # fmt: skip


@pytest.mark.parametrize("page", ["my_work", "team", "locality", "case_list"])
def test_dashboard_queries_are_the_same_for_10_cases_as_for_1000(
    client, team_manager, named_midwife, locality, page
):
    team_manager.__dict__.pop("locality_ids", None)
    client.force_login(team_manager)
    mendip = locality("mendip")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(page))
        assert response.status_code == 200
        return len(captured)

    bulk_cases(0, 10, mendip, team_manager, named_midwife)
    with_10 = queries()
    bulk_cases(10, 990, mendip, team_manager, named_midwife)
    with_1000 = queries()

    assert Case.objects.count() == 1000
    assert with_1000 == with_10
    if page in {"my_work", "team"}:  # the assessments waiting for this manager are listed
        listed = client.get(reverse(page)).context["to_authorise"]
        assert len(listed) == 50 and all(assessment.may_decide for assessment in listed)


def test_my_work_can_be_sorted_by_closeness_to_birth(
    client, social_worker, named_midwife, make_case, priyas_case
):
    sooner = refer(
        make_case(named_midwife, edd=EDD - timedelta(days=20), named_social_worker=social_worker),
        social_worker,
    )
    client.force_login(social_worker)

    rows = list(client.get(reverse("my_work"), {"sort": "edd"}).context["page_obj"])

    assert rows[0].case_id == sooner.id
    assert rows[-1].case_id == priyas_case.id


def test_my_work_counts_due_soon_by_each_milestones_own_warning_window(
    client, social_worker, named_midwife, make_case
):
    # Allocated Thursday 11 February: the introductory visit is due Thursday 25 February,
    # 8 working days away, and warns 5 working days ahead (from 18 February).
    case = make_case(named_midwife, edd=EDD, named_social_worker=social_worker)
    refer(case, social_worker, referral=date(2027, 2, 10), allocation=date(2027, 2, 11))
    client.force_login(social_worker)

    before = client.get(reverse("my_work"), {"show": "due_soon"})
    with time_machine.travel(datetime(2027, 2, 18, 9, tzinfo=ZoneInfo("Europe/London"))):
        client.force_login(social_worker)  # a new day, a new session
        from_the_window = client.get(reverse("my_work"), {"show": "due_soon"})

    assert "intro_home_visit" not in {row.milestone_id for row in before.context["page_obj"]}
    listed = {row.milestone_id: row.status_now for row in from_the_window.context["page_obj"]}
    assert listed["intro_home_visit"] == "due_soon"
    assert from_the_window.context["counts"]["due_soon"] == len(listed)


def test_my_work_says_what_due_soon_means(client, social_worker, priyas_case):
    client.force_login(social_worker)

    page = client.get(reverse("my_work")).content.decode()

    assert "Due soon: within each step's warning window, 10 working days for most." in page
    assert "next 10 working days" not in page
