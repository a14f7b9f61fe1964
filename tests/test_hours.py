"""Deadlines counted in hours turn overdue at the hour, not the next day, everywhere.

The baby was born on Tuesday 8 June 2027 and went home on Thursday 10 June at 10:00,
so the social worker's 48-hour home visit is due on Saturday 12 June at 10:00: due soon
at 09:59 and 10:00, overdue at 10:01.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from cases import services as case_services
from rules.contract import facts_from_json
from rules.protocol import default_protocol
from rules.timeline import CaseFacts, compute_timeline
from timeline.models import CaseMilestone

LONDON = ZoneInfo("Europe/London")
EDD = date(2027, 6, 10)
BIRTH = date(2027, 6, 8)
DISCHARGE = datetime(2027, 6, 10, 10, 0, tzinfo=LONDON)
DUE = datetime(2027, 6, 12, 10, 0)  # London wall-clock time
MOMENTS = [(time(9, 59), "due_soon"), (time(10, 0), "due_soon"), (time(10, 1), "overdue")]


@pytest.fixture
def gone_home(named_midwife, social_worker, make_case):
    with time_machine.travel(datetime(2027, 6, 10, 12, tzinfo=LONDON), tick=False):
        case = make_case(named_midwife, edd=EDD, named_social_worker=social_worker,
                         named_midwife=named_midwife)  # fmt: skip
        case_services.case_facts_update(
            actor=social_worker, context=None, case=case,
            referral_date=date(2026, 12, 20), allocation_date=date(2026, 12, 21),
        )  # fmt: skip
        case_services.outcome_record(
            actor=named_midwife, context=None, case=case, outcome="live_birth",
            outcome_date=BIRTH,
            babies=[case_services.BabyDetails(born_at=datetime.combine(BIRTH, time(4),
                                                                       tzinfo=LONDON),
                                              sex="female")],
        )  # fmt: skip
        case_services.case_facts_update(
            actor=social_worker, context=None, case=case, discharge=DISCHARGE, placement="home"
        )
    return case


def at(moment: time):
    return time_machine.travel(datetime.combine(date(2027, 6, 12), moment, tzinfo=LONDON),
                               tick=False)  # fmt: skip


FACTS = CaseFacts(
    edd=EDD, today=date(2027, 6, 12), birth_date=BIRTH, pregnancy_outcome="live_birth",
    discharge=DUE.replace(day=10), placement="home",
)  # fmt: skip


@pytest.mark.parametrize(("moment", "expected"), MOMENTS)
def test_the_engine_turns_an_hour_due_overdue_at_the_hour(moment, expected):
    facts = CaseFacts(**{**FACTS.__dict__, "now": datetime.combine(date(2027, 6, 12), moment)})

    visit = compute_timeline(facts, default_protocol()).milestone("home_visit_48h")

    assert visit.due == DUE
    assert visit.status == expected


def test_without_a_moment_the_engine_keeps_to_days():
    visit = compute_timeline(FACTS, default_protocol()).milestone("home_visit_48h")

    assert visit.status == "due_soon"  # all day on the 12th; overdue from the 13th


@pytest.mark.parametrize(("moment", "expected"), MOMENTS)
def test_the_contract_takes_today_as_a_date_and_time(moment, expected):
    facts = facts_from_json(
        {"edd": "2027-06-10", "today": f"2027-06-12T{moment:%H:%M}", "birth_date": "2027-06-08",
         "pregnancy_outcome": "live_birth", "discharge": "2027-06-10T10:00",
         "placement": "home"},
        default_today=date(2000, 1, 1),
    )  # fmt: skip

    assert (facts.today, facts.now) == (date(2027, 6, 12), datetime.combine(facts.today, moment))
    assert compute_timeline(facts, default_protocol()).milestone("home_visit_48h").status == (
        expected
    )


def test_a_date_only_today_in_the_contract_keeps_day_semantics():
    facts = facts_from_json(
        {"edd": "2027-06-10", "today": "2027-06-12", "birth_date": "2027-06-08",
         "pregnancy_outcome": "live_birth", "discharge": "2027-06-10T10:00",
         "placement": "home"},
        default_today=date(2000, 1, 1),
    )  # fmt: skip

    assert facts.now is None
    assert compute_timeline(facts, default_protocol()).milestone("home_visit_48h").status == (
        "due_soon"
    )


@pytest.mark.parametrize(("moment", "expected"), MOMENTS)
def test_the_stored_row_turns_overdue_at_the_hour(gone_home, moment, expected):
    row = CaseMilestone.objects.get(case=gone_home, milestone_id="home_visit_48h")

    with at(moment):
        from django.utils import timezone

        assert row.status_on(timezone.now()) == expected
    assert row.status_on(date(2027, 6, 12)) == "due_soon"  # a day alone: not before the 13th


@pytest.mark.parametrize(("moment", "expected"), MOMENTS)
def test_my_work_shows_it_overdue_at_the_hour(client, gone_home, social_worker, moment, expected):
    with at(moment):
        client.force_login(social_worker)
        response = client.get(reverse("my_work"))

    rows = {row.milestone_id: row for row in response.context["page_obj"]}
    assert rows["home_visit_48h"].status_now == expected
    counts = response.context["counts"]
    overdue_now = {m for m, row in rows.items() if row.status_now == "overdue"}
    assert counts["overdue"] == len(overdue_now)
    assert ("home_visit_48h" in overdue_now) == (expected == "overdue")
    assert "12 June 2027 at 10am" in response.content.decode()


@pytest.mark.parametrize(("moment", "expected"), MOMENTS)
def test_the_locality_and_team_counts_turn_at_the_hour(
    client, gone_home, social_worker, team_manager, moment, expected
):
    with at(moment):
        client.force_login(social_worker)
        [case] = client.get(reverse("locality")).context["page_obj"]
        before = CaseMilestone.objects.filter(case=gone_home)
        overdue_by_day = [row for row in before if row.status_on(date(2027, 6, 12)) == "overdue"]
        client.force_login(team_manager)
        load = {row["worker"].username: row for row in client.get(reverse("team")).context["load"]}

    extra = 1 if expected == "overdue" else 0
    assert case.overdue_count == len(overdue_by_day) + extra
    assert load["priya"]["overdue_milestones"] == len(overdue_by_day) + extra
    if expected == "overdue":
        assert case.next_due_title != "Home visit by the social worker within 48 hours of discharge"


@pytest.mark.parametrize(("moment", "expected"), MOMENTS)
def test_the_case_page_and_timeline_show_it_overdue_at_the_hour(
    client, gone_home, social_worker, moment, expected
):
    with at(moment):
        client.force_login(social_worker)
        timeline = client.get(reverse("case_timeline", args=[gone_home.id]))
        case_page = client.get(reverse("case_detail", args=[gone_home.id]))
        milestone = client.get(reverse("milestone_record", args=[gone_home.id, "home_visit_48h"]))

    rows = {row.milestone_id: row for row in timeline.context["rows"]}
    assert rows["home_visit_48h"].status == expected
    engine = timeline.context["timeline"].milestone("home_visit_48h")
    assert engine.status == expected
    attention = {row.milestone_id: row.status for row in case_page.context["attention"]}
    assert attention["home_visit_48h"] == expected
    assert milestone.context["row"].status == expected
    label = "Overdue" if expected == "overdue" else "Due soon"
    assert label in milestone.content.decode()
    assert "by 0 days" not in timeline.content.decode()
