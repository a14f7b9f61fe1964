"""Plausibility of the facts typed into a new case."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.validation import (
    event_date_error,
    mother_date_of_birth_error,
    new_case_edd_error,
    revised_edd_error,
)

TODAY = date(2026, 11, 23)


def test_a_mother_born_in_the_future_is_refused():
    assert mother_date_of_birth_error(TODAY, TODAY) == "Date of birth must be in the past"


def test_an_implausible_age_says_how_old_the_mother_would_be():
    assert mother_date_of_birth_error(date(1900, 1, 1), TODAY) == (
        "Check the date of birth – the mother would be 126 years old"
    )
    assert mother_date_of_birth_error(date(2020, 1, 1), TODAY) == (
        "Check the date of birth – the mother would be 6 years old"
    )
    assert mother_date_of_birth_error(date(1998, 7, 14), TODAY) is None


def test_a_new_edd_may_be_up_to_44_weeks_ahead_and_4_weeks_ago():
    assert new_case_edd_error(TODAY + timedelta(weeks=44), TODAY) is None
    assert new_case_edd_error(TODAY + timedelta(weeks=44, days=1), TODAY) is not None
    assert new_case_edd_error(TODAY - timedelta(weeks=4), TODAY) is None
    assert new_case_edd_error(TODAY - timedelta(weeks=4, days=1), TODAY) is not None


@given(offset=st.integers(-28, 308))
def test_every_edd_inside_the_window_is_accepted(offset):
    assert new_case_edd_error(TODAY + timedelta(days=offset), TODAY) is None


@given(offset=st.integers(309, 2000) | st.integers(-2000, -29))
def test_every_edd_outside_the_window_is_refused(offset):
    assert new_case_edd_error(TODAY + timedelta(days=offset), TODAY) is not None


def test_a_revised_edd_has_the_same_upper_limit():
    assert revised_edd_error(TODAY + timedelta(weeks=44, days=1), TODAY) is not None
    assert revised_edd_error(TODAY - timedelta(weeks=4), TODAY) is None


def test_a_mother_is_accepted_from_her_10th_birthday_until_the_day_before_her_60th():
    assert mother_date_of_birth_error(date(2016, 11, 23), TODAY) is None
    assert mother_date_of_birth_error(date(2016, 11, 24), TODAY) == (
        "Check the date of birth – the mother would be 9 years old"
    )
    assert mother_date_of_birth_error(date(1966, 11, 24), TODAY) is None
    assert mother_date_of_birth_error(date(1966, 11, 23), TODAY) == (
        "Check the date of birth – the mother would be 60 years old"
    )


def test_an_age_of_one_is_one_year_not_one_years():
    assert mother_date_of_birth_error(date(2025, 11, 1), TODAY) == (
        "Check the date of birth – the mother would be 1 year old"
    )


def test_a_mother_born_on_29_february_turns_a_year_older_on_1_march():
    assert mother_date_of_birth_error(date(2008, 2, 29), date(2018, 2, 28)) is not None
    assert mother_date_of_birth_error(date(2008, 2, 29), date(2018, 3, 1)) is None


def test_each_edd_limit_has_its_own_message():
    assert new_case_edd_error(TODAY + timedelta(weeks=45), TODAY) == (
        "The expected due date must be no more than 44 weeks from today"
    )
    assert new_case_edd_error(TODAY - timedelta(weeks=5), TODAY) == (
        "The expected due date must be no more than 4 weeks ago for a new case"
    )
    assert revised_edd_error(TODAY + timedelta(weeks=45), TODAY) == (
        "The expected due date must be no more than 44 weeks from today"
    )
    assert revised_edd_error(TODAY - timedelta(weeks=5), TODAY).startswith(
        "The expected due date must be no more than 4 weeks ago: an earlier one would make"
        " the pregnancy over 44 weeks"
    )


@given(offset=st.integers(-28, 308))
def test_a_revised_edd_may_be_up_to_44_weeks_ahead_and_4_weeks_ago(offset):
    # Revised only before the outcome is recorded: today is at most 44+0 weeks by it.
    assert revised_edd_error(TODAY + timedelta(days=offset), TODAY) is None


@given(offset=st.integers(-2000, -29) | st.integers(309, 2000))
def test_a_revised_edd_outside_the_pregnancy_is_refused(offset):
    assert revised_edd_error(TODAY + timedelta(days=offset), TODAY) is not None


@given(offset=st.integers(309, 2000) | st.integers(-2000, -365))
def test_a_revised_edd_outside_its_window_is_refused(offset):
    assert revised_edd_error(TODAY + timedelta(days=offset), TODAY) is not None


def _birthday(dob: date, age: int) -> date:
    try:
        return dob.replace(year=dob.year + age)
    except ValueError:  # born on 29 February: the birthday is 1 March in other years
        return date(dob.year + age, 3, 1)


people = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(dob=people, today=people)
def test_a_mother_is_plausible_from_her_10th_birthday_until_her_60th(dob, today):
    message = mother_date_of_birth_error(dob, today)

    if dob >= today:
        assert message == "Date of birth must be in the past"
    elif _birthday(dob, 10) <= today < _birthday(dob, 60):
        assert message is None
    else:
        assert message is not None
        assert message.startswith("Check the date of birth – the mother would be ")


REGISTERED = date(2026, 3, 3)


def test_a_date_something_was_done_may_be_from_a_year_before_the_case_to_today():
    def check(value):
        return event_date_error(
            value, today=TODAY, registered_on=REGISTERED, label="date it was done"
        )

    assert check(TODAY) is None
    assert check(date(2025, 3, 3)) is None
    assert check(TODAY + timedelta(days=1)) == "The date it was done must be today or in the past"
    assert check(date(2025, 3, 2)) == (
        "The date it was done must be on or after 3 March 2025, no more than a year before"
        " the case was registered"
    )


def test_a_placeholder_year_such_as_1900_is_refused():
    message = event_date_error(
        date(1900, 1, 1), today=TODAY, registered_on=REGISTERED, label="date of referral"
    )

    assert message is not None and message.startswith("The date of referral must be on or after")


def test_a_year_before_29_february_is_28_february():
    leap = date(2028, 2, 29)
    assert event_date_error(date(2027, 2, 28), today=leap, registered_on=leap, label="d") is None
    assert event_date_error(date(2027, 2, 27), today=leap, registered_on=leap, label="d")


@given(
    value=st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)),
    registered=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    later=st.integers(0, 400),
)
def test_an_event_date_is_refused_exactly_when_implausible(value, registered, later):
    today = registered + timedelta(days=later)
    message = event_date_error(value, today=today, registered_on=registered, label="date")

    # A year is 365 or 366 days, so the day between is left to the worked examples.
    if value > today or value < registered - timedelta(days=366):
        assert message is not None
    elif value >= registered - timedelta(days=365):
        assert message is None
