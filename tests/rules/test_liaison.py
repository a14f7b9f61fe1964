"""The pre-birth liaison meeting's three lists (the procedure's first paragraph): worked
examples at each edge, then properties for any family and any meeting day."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.gestation import date_at_gestation
from rules.liaison import LIST_ORDER, LIST_TITLES, LiaisonFacts, LiaisonList, liaison_item

MEETING = date(2027, 3, 9)
SINCE = date(2027, 2, 9)  # the previous liaison meeting
EDD = date(2027, 8, 10)  # 18+0 on the meeting's day
DUE = date_at_gestation(EDD, 16)


def item(**changes):
    facts = LiaisonFacts(**{"edd": EDD, "referral_date": None, **changes})
    return liaison_item(facts, on=MEETING, since=SINCE)


def test_the_worked_example_dates():
    assert date(2027, 2, 23) == DUE
    assert (MEETING - DUE).days == 14


def test_a_pregnancy_not_yet_referred_is_in_the_first_list_with_its_gestation_and_lateness():
    found = item()

    assert found.list == LiaisonList.NOT_REFERRED
    assert found.reason == (
        "Not yet referred: 18+0 weeks pregnant; referral was due at 16+0 on 23 February 2027,"
        " 14 days ago"
    )


def test_a_pregnancy_not_yet_at_16_weeks_is_listed_with_when_its_referral_is_due():
    found = item(edd=EDD + timedelta(days=21))

    assert found.list == LiaisonList.NOT_REFERRED
    assert found.reason.endswith("referral due at 16+0 on 16 March 2027")


def test_on_the_day_the_referral_is_due_it_says_today():
    assert item(edd=EDD + timedelta(days=14)).reason.endswith("referral is due at 16+0 today")


def test_a_baby_born_without_a_referral_is_still_not_referred():
    found = item(birth_date=MEETING - timedelta(days=3))

    assert found.list == LiaisonList.NOT_REFERRED
    assert found.reason.startswith("Not yet referred: born 6 March 2027;")


def test_a_referral_after_16_weeks_in_the_period_is_late_with_how_late():
    found = item(referral_date=DUE + timedelta(days=10))

    assert found.list == LiaisonList.LATE_REFERRAL
    assert found.reason == "Referred on 5 March 2027 at 17+3 weeks, 10 days after 16+0"


@pytest.mark.parametrize("late", [0, -1, -30])
def test_a_referral_on_or_before_16_weeks_is_not_late(late):
    assert item(referral_date=DUE + timedelta(days=late)) is None


def test_a_late_referral_before_the_period_is_not_listed_again():
    assert item(referral_date=SINCE - timedelta(days=1), edd=EDD - timedelta(days=60)) is None
    assert item(referral_date=SINCE, edd=EDD - timedelta(days=60)).list == "late_referral"


def test_a_late_referral_with_overdue_work_says_so():
    found = item(referral_date=DUE + timedelta(days=1), overdue_milestones=2)

    assert found.list == LiaisonList.LATE_REFERRAL
    assert found.reason.endswith("1 day after 16+0; 2 overdue milestones")


@pytest.mark.parametrize(
    ("milestones", "actions", "reason"),
    [
        (1, 0, "Referred: 1 overdue milestone"),
        (0, 2, "Referred: 2 overdue actions"),
        (3, 1, "Referred: 3 overdue milestones and 1 overdue action"),
    ],
)
def test_a_referred_family_with_overdue_work_is_not_progressing(milestones, actions, reason):
    found = item(referral_date=DUE, overdue_milestones=milestones, overdue_actions=actions)

    assert found == type(found)(LiaisonList.NOT_PROGRESSING, reason)


def test_a_referred_family_on_track_is_in_no_list():
    assert item(referral_date=DUE - timedelta(days=5)) is None


def test_an_ended_or_closed_family_is_in_no_list():
    assert item(ended=True) is None
    assert item(ended=True, referral_date=DUE + timedelta(days=3), overdue_actions=1) is None


def test_a_referral_recorded_for_after_the_meeting_day_is_not_yet_a_fact():
    assert item(referral_date=MEETING + timedelta(days=1)) is None


def test_every_list_has_a_title_in_meeting_order():
    assert list(LIST_ORDER) == list(LiaisonList)
    assert set(LIST_TITLES) == set(LiaisonList)


days = st.integers(min_value=-300, max_value=300)


@given(
    edd_offset=days,
    referral=st.one_of(st.none(), days),
    ended=st.booleans(),
    milestones=st.integers(0, 5),
    actions=st.integers(0, 5),
    period=st.integers(0, 90),
)
def test_any_family_is_in_at_most_one_list_and_the_right_one(
    edd_offset, referral, ended, milestones, actions, period
):
    edd = MEETING + timedelta(days=edd_offset)
    referral_date = None if referral is None else MEETING + timedelta(days=referral)
    since = MEETING - timedelta(days=period)
    facts = LiaisonFacts(edd, referral_date, None, ended, milestones, actions)

    found = liaison_item(facts, on=MEETING, since=since)

    if ended or (referral_date is not None and referral_date > MEETING):
        assert found is None
    elif referral_date is None:
        assert found.list == LiaisonList.NOT_REFERRED
    elif since <= referral_date and referral_date > date_at_gestation(edd, 16):
        assert found.list == LiaisonList.LATE_REFERRAL
        assert f"{(referral_date - date_at_gestation(edd, 16)).days} day" in found.reason
    elif milestones or actions:
        assert found.list == LiaisonList.NOT_PROGRESSING
    else:
        assert found is None
    if found is not None:
        assert found.reason and found.reason[0].isupper()


@given(weeks=st.integers(8, 30), days_=st.integers(0, 6), late=st.integers(1, 60))
def test_the_protocols_referral_gestation_decides_what_is_late(weeks, days_, late):
    due = date_at_gestation(EDD, weeks, days_)
    facts = LiaisonFacts(EDD, due + timedelta(days=late))
    on = due + timedelta(days=late)

    found = liaison_item(facts, on=on, since=on, referral_weeks=weeks, referral_days=days_)
    on_time = LiaisonFacts(EDD, due)

    assert found.list == LiaisonList.LATE_REFERRAL
    assert f"after {weeks}+{days_}" in found.reason
    assert (
        liaison_item(on_time, on=due, since=due, referral_weeks=weeks, referral_days=days_) is None
    )
