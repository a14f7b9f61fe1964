"""Gestation from the EDD: 280 − (EDD − d) days, shown as W+D."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.gestation import (
    Gestation,
    date_at_gestation,
    days_before_edd,
    edd_from_lmp,
    gestation_on,
)

EDD = date(2027, 6, 10)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


def test_on_the_due_date_gestation_is_40_weeks():
    assert str(gestation_on(EDD, EDD)) == "40+0"


def test_worked_examples_from_an_edd_of_10_june_2027():
    # 0+0 is 3 September 2026 (EDD − 280 days); 16 weeks later is 112 days later.
    assert date_at_gestation(EDD, 0) == date(2026, 9, 3)
    assert date_at_gestation(EDD, 16) == date(2026, 12, 24)
    assert date_at_gestation(EDD, 26) == date(2027, 3, 4)
    assert date_at_gestation(EDD, 30) == date(2027, 4, 1)
    assert date_at_gestation(EDD, 29, 6) == date(2027, 3, 31)
    assert str(gestation_on(EDD, date(2026, 11, 23))) == "11+4"
    assert str(gestation_on(EDD, date(2027, 3, 14))) == "27+3"


def test_a_week_after_the_due_date_is_41_weeks():
    assert str(gestation_on(EDD, EDD + timedelta(days=7))) == "41+0"


def test_before_conception_dating_shows_no_gestation():
    assert str(gestation_on(EDD, EDD - timedelta(days=281))) == "before 0+0"


def test_edd_from_the_last_period_is_280_days_later():
    assert edd_from_lmp(date(2026, 9, 3)) == EDD


@given(edd=dates, weeks=st.integers(0, 45), days=st.integers(0, 6))
def test_the_date_at_a_gestation_has_that_gestation(edd, weeks, days):
    gestation = gestation_on(edd, date_at_gestation(edd, weeks, days))

    assert (gestation.weeks, gestation.days) == (weeks, days)
    assert str(gestation) == f"{weeks}+{days}"


@given(edd=dates, on=dates, k=st.integers(-400, 400))
def test_moving_the_day_by_k_moves_gestation_by_k_days(edd, on, k):
    assert (
        gestation_on(edd, on + timedelta(days=k)).total_days == gestation_on(edd, on).total_days + k
    )


def test_milestone_weeks_from_an_edd_of_10_june_2027():
    # The procedure's 16, 26 and 30 week points, checked back the other way.
    assert str(gestation_on(EDD, date(2026, 12, 24))) == "16+0"
    assert str(gestation_on(EDD, date(2026, 12, 23))) == "15+6"
    assert str(gestation_on(EDD, date(2027, 3, 4))) == "26+0"
    assert str(gestation_on(EDD, date(2027, 4, 1))) == "30+0"
    assert str(gestation_on(EDD, date(2026, 9, 3))) == "0+0"


def test_post_term_gestation_keeps_counting():
    assert str(gestation_on(EDD, EDD + timedelta(days=17))) == "42+3"


def test_the_day_before_0_plus_0_is_shown_as_before_0_plus_0():
    gestation = gestation_on(EDD, date(2026, 9, 2))

    assert gestation.total_days == -1
    # Floor division: −1 day is week −1, day 6; the W+D form is kept for 0+0 onwards.
    assert (gestation.weeks, gestation.days) == (-1, 6)
    assert str(gestation) == "before 0+0"


def test_gestations_compare_by_their_days():
    assert Gestation(16 * 7) < Gestation(26 * 7) < Gestation(30 * 7)
    assert Gestation(100) == gestation_on(EDD, date_at_gestation(EDD, 14, 2))


@given(edd=dates, on=dates)
def test_the_date_at_a_days_gestation_is_that_day(edd, on):
    gestation = gestation_on(edd, on)

    assert date_at_gestation(edd, gestation.weeks, gestation.days) == on


@given(total=st.integers(-400, 400))
def test_weeks_and_days_recombine_to_the_total(total):
    gestation = Gestation(total)

    assert gestation.weeks * 7 + gestation.days == total
    assert 0 <= gestation.days < 7
    assert str(gestation) == (f"{total // 7}+{total % 7}" if total >= 0 else "before 0+0")


@given(lmp=dates)
def test_on_the_first_day_of_the_last_period_gestation_is_0_plus_0(lmp):
    assert str(gestation_on(edd_from_lmp(lmp), lmp)) == "0+0"


def test_29_weeks_is_reached_77_days_before_the_due_date():
    assert days_before_edd(29) == 77
    assert days_before_edd(40) == 0


@given(edd=dates, weeks=st.integers(0, 45), days=st.integers(0, 6))
def test_days_before_the_edd_agree_with_the_date_at_that_gestation(edd, weeks, days):
    assert edd - date_at_gestation(edd, weeks, days) == timedelta(days=days_before_edd(weeks, days))
