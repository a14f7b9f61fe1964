"""The discharge planning meeting is due before discharge: the case records a planned
discharge date, and the meeting warns ahead of it.

Born Tuesday 8 June 2027; today is Wednesday 9 June.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from timeline.models import CaseMilestone

LONDON = ZoneInfo("Europe/London")
BIRTH = date(2027, 6, 8)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 6, 9, 11, tzinfo=LONDON), tick=False):
        yield


def meeting(case) -> CaseMilestone:
    return CaseMilestone.objects.get(case=case, milestone_id="discharge_planning_meeting")


@pytest.fixture
def unborn(named_midwife, social_worker, make_case):
    case = make_case(named_midwife, edd=date(2027, 6, 10), named_social_worker=social_worker)
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=date(2026, 12, 20),
        allocation_date=date(2026, 12, 21),
    )  # fmt: skip
    return case


@pytest.fixture
def born(unborn, named_midwife):
    case_services.outcome_record(
        actor=named_midwife, context=None, case=unborn, outcome="live_birth", outcome_date=BIRTH,
        babies=[case_services.BabyDetails(born_at=datetime.combine(BIRTH, time(4), tzinfo=LONDON),
                                          sex="male")],
    )  # fmt: skip
    return unborn


def facts_form(**extra) -> dict:
    return {
        "referral_date_day": "20", "referral_date_month": "12", "referral_date_year": "2026",
        "allocation_date_day": "21", "allocation_date_month": "12", "allocation_date_year": "2026",
        **extra,
    }  # fmt: skip


def test_with_no_discharge_date_the_meeting_is_due_the_day_after_the_birth(born):
    assert meeting(born).due_date == date(2027, 6, 9)
    assert meeting(born).status_on(date(2027, 6, 9)) == "due_soon"


def test_a_planned_discharge_date_typed_on_the_form_sets_the_meetings_due_date(
    client, born, social_worker
):
    client.force_login(social_worker)
    url = reverse("case_facts_change", args=[born.id])
    assert "Planned date for the baby to leave hospital" in client.get(url).content.decode()

    response = client.post(url, facts_form(
        planned_discharge_date_day="12", planned_discharge_date_month="6",
        planned_discharge_date_year="2027", placement="home", version=born.version,
    ))  # fmt: skip

    assert response.status_code == 302
    born.refresh_from_db()
    assert born.planned_discharge_date == date(2027, 6, 12)
    assert meeting(born).due_date == date(2027, 6, 12)
    assert meeting(born).status_on(date(2027, 6, 9)) == "upcoming"
    assert meeting(born).status_on(date(2027, 6, 10)) == "due_soon"
    schedule = CaseMilestone.objects.get(case=born, milestone_id="visit_schedule")
    assert schedule.due_date == date(2027, 6, 12)


def test_a_planned_discharge_before_the_birth_is_refused_and_what_was_typed_kept(
    client, born, social_worker
):
    client.force_login(social_worker)

    page = client.post(reverse("case_facts_change", args=[born.id]), facts_form(
        planned_discharge_date_day="7", planned_discharge_date_month="6",
        planned_discharge_date_year="2027",
    )).content.decode()  # fmt: skip

    assert "The planned discharge date must be on or after the birth (8 June 2027)" in page
    assert 'href="#id_planned_discharge_date_day"' in page
    assert 'value="7"' in page  # the day typed, shown again
    born.refresh_from_db()
    assert born.planned_discharge_date is None


def test_the_planned_discharge_date_is_asked_only_once_the_baby_is_born(
    client, unborn, social_worker
):
    client.force_login(social_worker)

    page = client.get(reverse("case_facts_change", args=[unborn.id])).content.decode()

    assert "planned_discharge_date" not in page
    with pytest.raises(ValidationError):
        case_services.case_facts_update(
            actor=social_worker, context=None, case=unborn,
            planned_discharge_date=date(2027, 6, 12),
        )  # fmt: skip


def test_a_discharge_sooner_than_planned_brings_the_meeting_forward(born, social_worker):
    case_services.case_facts_update(
        actor=social_worker, context=None, case=born, planned_discharge_date=date(2027, 6, 12),
        discharge=datetime(2027, 6, 9, 10, tzinfo=LONDON), placement="home",
    )  # fmt: skip

    assert meeting(born).due_date == date(2027, 6, 9)
