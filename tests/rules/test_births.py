"""Times of birth across midnight and the clock changes (rules/births.py)."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.births import age_on, exists, time_of_birth_errors, times_of_birth

LONDON = ZoneInfo("Europe/London")
LATER = datetime(2030, 1, 1, tzinfo=UTC)


def test_twins_either_side_of_midnight_are_born_on_two_days():
    first, second = times_of_birth(date(2027, 6, 10), [time(23, 50), time(0, 10)], LONDON)

    assert (first.date(), second.date()) == (date(2027, 6, 10), date(2027, 6, 11))
    assert time_of_birth_errors([first, second], LATER) == {}


def test_the_repeated_autumn_hour_stays_on_the_same_day():
    # Clocks go back at 02:00 BST on 31 October 2027: 01:30 happens twice.
    first, second = times_of_birth(date(2027, 10, 31), [time(1, 40), time(1, 20)], LONDON)

    assert second.date() == date(2027, 10, 31)
    assert second.fold == 1 and second.astimezone(UTC) > first.astimezone(UTC)


def test_a_time_skipped_in_spring_is_refused():
    # Clocks go forward at 01:00 GMT on 28 March 2027: 01:30 never happened.
    (born,) = times_of_birth(date(2027, 3, 28), [time(1, 30)], LONDON)

    assert not exists(born)
    assert "the clocks went forward" in time_of_birth_errors([born], LATER)[0]


def test_a_second_baby_typed_far_earlier_is_a_mistake_not_the_next_day():
    moments = times_of_birth(date(2027, 6, 10), [time(14, 0), time(3, 0)], LONDON)

    assert "in the order they were born" in time_of_birth_errors(moments, LATER)[1]


def test_a_birth_in_the_future_is_refused():
    moments = times_of_birth(date(2027, 6, 10), [time(14, 30)], LONDON)
    now = datetime(2027, 6, 10, 14, 0, tzinfo=LONDON)

    assert "must be in the past" in time_of_birth_errors(moments, now)[0]


@given(
    born_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2060, 12, 31)),
    typed=st.lists(st.times(), min_size=1, max_size=4),
)
def test_babies_are_born_in_order_each_at_the_time_typed(born_on, typed):
    moments = times_of_birth(born_on, typed, LONDON)

    utc = [moment.astimezone(UTC) for moment in moments]
    assert utc == sorted(utc) and len(set(utc)) == len(utc)
    for moment, clock in zip(moments, typed, strict=True):
        assert moment.time() == clock.replace(fold=0)
    # Never more than a day per baby after the first.
    assert (moments[-1].date() - born_on).days <= len(typed) - 1


@pytest.mark.parametrize(
    ("born_on", "on", "age"),
    [(date(2027, 6, 8), date(2027, 6, 7), ""),
     (date(2027, 6, 8), date(2027, 6, 8), "born today"),
     (date(2027, 6, 8), date(2027, 6, 9), "1 day old"),
     (date(2027, 6, 8), date(2027, 7, 5), "27 days old"),
     (date(2027, 6, 8), date(2027, 7, 6), "4 weeks old"),
     (date(2027, 6, 8), date(2029, 6, 7), "104 weeks old"),
     (date(2027, 6, 8), date(2029, 6, 8), "2 years old")],
)  # fmt: skip
def test_a_babys_age_is_in_days_then_weeks_then_years(born_on, on, age):
    assert age_on(born_on, on) == age
