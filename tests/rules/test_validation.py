"""Plausibility of the facts typed into a new case."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.validation import mother_date_of_birth_error, new_case_edd_error, revised_edd_error

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
    assert revised_edd_error(TODAY - timedelta(weeks=10), TODAY) is None
