"""Dates in words, and dates typed into the GOV.UK day, month and year boxes."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.dates import DatePartsError, format_date, format_datetime, parse_date_parts


def test_dates_read_like_10_june_2027():
    assert format_date(date(2027, 6, 10)) == "10 June 2027"
    assert format_date(date(2027, 6, 1)) == "1 June 2027"
    assert format_date(None) == ""


def test_times_are_shown_in_london_time_gov_uk_style():
    assert format_datetime(datetime(2027, 6, 10, 13, 5, tzinfo=UTC)) == "10 June 2027 at 2:05pm"
    assert format_datetime(datetime(2027, 1, 10, 12, 0, tzinfo=UTC)) == "10 January 2027 at 12pm"
    assert format_datetime(datetime(2027, 1, 10, 0, 0, tzinfo=UTC)) == "10 January 2027 at 12am"


def test_month_names_and_numbers_are_both_accepted():
    assert parse_date_parts("10", "6", "2027") == date(2027, 6, 10)
    assert parse_date_parts("10", "June", "2027") == date(2027, 6, 10)
    assert parse_date_parts(" 10 ", "jun", "2027") == date(2027, 6, 10)


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        (("", "", ""), None, "Enter the date of birth"),
        (("", "6", "2027"), "day", "Date of birth must include a day"),
        (("10", "", "2027"), "month", "Date of birth must include a month"),
        (("10", "6", ""), "year", "Date of birth must include a year"),
        (("31", "2", "2027"), "day", "Date of birth must be a real date"),
        (("10", "13", "2027"), "month", "Date of birth must be a real date"),
        (("10", "6", "27"), "year", "Year must include 4 numbers"),
        (("x", "6", "2027"), "day", "Date of birth must be a real date"),
    ],
)
def test_each_mistake_names_the_box_at_fault(parts, field, message):
    with pytest.raises(DatePartsError) as error:
        parse_date_parts(*parts, label="date of birth")

    assert error.value.field == field
    assert str(error.value) == message


@given(st.dates(min_value=date(1000, 1, 1)))
def test_any_real_date_typed_as_numbers_comes_back(value):
    assert parse_date_parts(str(value.day), str(value.month), str(value.year)) == value
