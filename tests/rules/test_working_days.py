"""Working days exclude weekends and England and Wales bank holidays."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.working_days import ENGLAND_AND_WALES as calendar
from rules.working_days import WorkingDayCalendar

days = st.dates(min_value=date(2024, 1, 1), max_value=date(2032, 12, 31))


def test_one_working_day_after_a_friday_is_the_monday():
    assert calendar.add_working_days(date(2026, 11, 20), 1) == date(2026, 11, 23)


def test_christmas_2026_skips_christmas_day_and_the_boxing_day_substitute():
    # 25 December 2026 is a Friday; Boxing Day is a Saturday, so Monday 28th is the holiday.
    assert date(2026, 12, 28) in calendar.holidays_in(2026)
    assert calendar.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


def test_easter_2027_skips_good_friday_and_easter_monday():
    assert calendar.add_working_days(date(2027, 3, 25), 1) == date(2027, 3, 30)
    assert calendar.working_days_between(date(2027, 3, 25), date(2027, 3, 30)) == 1


def test_ten_working_days_across_the_early_may_bank_holiday():
    # Monday 3 May 2027 is the early May bank holiday.
    assert calendar.add_working_days(date(2027, 4, 30), 10) == date(2027, 5, 17)


def test_zero_working_days_is_the_same_day():
    assert calendar.add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)


@given(start=days, n=st.integers(1, 60))
def test_a_working_day_due_date_is_never_a_weekend_or_bank_holiday(start, n):
    due = calendar.add_working_days(start, n)

    assert due.weekday() < 5
    assert due not in calendar.holidays_in(due.year)
    assert due > start


@given(start=days, n=st.integers(0, 60))
def test_counting_working_days_undoes_adding_them(start, n):
    assert calendar.working_days_between(start, calendar.add_working_days(start, n)) == n


@given(start=days, a=st.integers(0, 30), b=st.integers(0, 30))
def test_adding_working_days_in_two_steps_is_the_same_as_one(start, a, b):
    assert calendar.add_working_days(calendar.add_working_days(start, a), b) == (
        calendar.add_working_days(start, a + b)
    )


@given(start=days, n=st.integers(0, 40))
def test_more_working_days_never_give_an_earlier_date(start, n):
    assert calendar.add_working_days(start, n + 1) > calendar.add_working_days(start, n)


@given(a=days, b=days)
def test_counting_backwards_is_the_negative_of_counting_forwards(a, b):
    assert calendar.working_days_between(a, b) == -calendar.working_days_between(b, a)


@given(start=days, n=st.integers(1, 60))
def test_n_working_days_take_at_least_n_calendar_days(start, n):
    assert calendar.add_working_days(start, n) - start >= timedelta(days=n)


@given(due=days, n=st.integers(0, 30))
def test_the_warning_window_starts_on_the_first_day_with_n_working_days_to_go(due, n):
    start = calendar.first_day_within(due, n)

    assert calendar.working_days_between(start, due) <= n
    assert calendar.working_days_between(start - timedelta(days=1), due) > n


# No deadline: walking up to 3,000 working days, and building a year's holidays on first
# use, can take longer than hypothesis's 200 ms on a busy machine.
@settings(deadline=None)
@given(start=st.dates(min_value=date(1950, 1, 1), max_value=date(2090, 1, 1)),
       n=st.integers(0, 3000))  # fmt: skip
def test_adding_working_days_agrees_with_walking_day_by_day(start, n):
    walked, remaining = start, n
    while remaining:
        walked += timedelta(days=1)
        remaining -= calendar.is_working_day(walked)

    assert calendar.add_working_days(start, n) == walked


def test_the_spring_and_summer_bank_holidays_2027_are_skipped():
    # Monday 31 May 2027 (spring) and Monday 30 August 2027 (summer) are bank holidays.
    assert calendar.add_working_days(date(2027, 5, 28), 1) == date(2027, 6, 1)
    assert calendar.add_working_days(date(2027, 8, 27), 1) == date(2027, 8, 31)


def test_christmas_2027_on_a_weekend_gives_two_substitute_days():
    # 25 and 26 December 2027 are a Saturday and Sunday: the 27th and 28th are bank holidays.
    assert {date(2027, 12, 27), date(2027, 12, 28)} <= calendar.holidays_in(2027)
    assert calendar.add_working_days(date(2027, 12, 24), 1) == date(2027, 12, 29)
    assert calendar.working_days_between(date(2027, 12, 24), date(2028, 1, 4)) == 4


def test_ten_working_days_across_new_year_2027():
    # Thu 17 Dec: 18, 21–24 Dec are 1–5; 25 and 28 Dec are holidays; 29–31 Dec are 6–8;
    # Friday 1 January 2027 is New Year's Day; Monday 4 and Tuesday 5 January are 9 and 10.
    assert calendar.add_working_days(date(2026, 12, 17), 10) == date(2027, 1, 5)


def test_working_days_between_counts_the_end_day_but_not_the_start_day():
    friday, monday = date(2026, 11, 20), date(2026, 11, 23)
    assert calendar.working_days_between(friday, monday) == 1
    assert calendar.working_days_between(friday, friday) == 0
    assert calendar.working_days_between(monday, friday) == -1


def test_a_negative_number_of_working_days_is_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(date(2026, 11, 20), -1)


def test_a_new_calendar_answers_far_from_its_first_question():
    # The working-day list grows both ways; answers must not depend on the order of questions.
    fresh = WorkingDayCalendar()
    assert fresh.add_working_days(date(2040, 1, 1), 5) == calendar.add_working_days(
        date(2040, 1, 1), 5
    )
    assert fresh.working_days_between(date(1995, 1, 1), date(2045, 1, 1)) == (
        calendar.working_days_between(date(1995, 1, 1), date(2045, 1, 1))
    )
    assert fresh.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)


@pytest.mark.parametrize("year", [1, 2, 3, 9998, 9999])
def test_a_calendar_answers_at_the_ends_of_what_a_date_can_hold(year):
    # The margin of years either side stops at the first and last years a date can have.
    fresh = WorkingDayCalendar()
    start = date(year, 6, 1)
    due = fresh.add_working_days(start, 10)

    assert fresh.working_days_between(start, due) == 10
    assert fresh.first_day_within(due, 3) <= due


def test_counting_past_the_last_day_a_date_can_hold_is_an_overflow_not_a_loop():
    fresh = WorkingDayCalendar()
    with pytest.raises(OverflowError):
        fresh.add_working_days(date(9999, 12, 30), 5)
    with pytest.raises(OverflowError):
        fresh.first_day_within(date(1, 1, 3), 5)
