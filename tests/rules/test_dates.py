"""Dates in words, and dates typed into the GOV.UK day, month and year boxes."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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


def test_summer_times_are_british_summer_time_and_winter_times_are_gmt():
    assert format_datetime(datetime(2027, 6, 10, 13, 5, tzinfo=UTC)) == "10 June 2027 at 2:05pm"
    assert format_datetime(datetime(2027, 12, 10, 13, 5, tzinfo=UTC)) == (
        "10 December 2027 at 1:05pm"
    )


def test_a_utc_time_late_in_the_evening_can_be_the_next_day_in_london():
    assert format_datetime(datetime(2027, 6, 10, 23, 30, tzinfo=UTC)) == "11 June 2027 at 12:30am"


def test_a_naive_datetime_is_taken_as_london_time():
    assert format_datetime(datetime(2027, 6, 10, 9, 0)) == "10 June 2027 at 9am"
    assert format_datetime(datetime(2027, 6, 10, 12, 30)) == "10 June 2027 at 12:30pm"


def test_other_time_zones_are_converted_to_london():
    new_york = ZoneInfo("America/New_York")
    assert format_datetime(datetime(2027, 6, 10, 9, 0, tzinfo=new_york)) == "10 June 2027 at 2pm"


@pytest.mark.parametrize(
    ("month", "number"),
    [("Sept", 9), ("sep", 9), ("SEPTEMBER", 9), ("dec", 12), ("07", 7), ("1", 1)],
)
def test_months_may_be_typed_as_names_abbreviations_or_numbers(month, number):
    assert parse_date_parts("3", month, "2027") == date(2027, number, 3)


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        (("", "", "2027"), "day", "Date of birth must include a day and month"),
        (("", "6", ""), "day", "Date of birth must include a day and year"),
        (("10", "", ""), "month", "Date of birth must include a month and year"),
        (("29", "2", "2027"), "day", "Date of birth must be a real date"),
        (("0", "6", "2027"), "day", "Date of birth must be a real date"),
        (("10", "0", "2027"), "month", "Date of birth must be a real date"),
        (("10", "Juni", "2027"), "month", "Date of birth must be a real date"),
        (("10", "6", "0000"), "year", "Date of birth must be a real date"),
        (("10", "6", "20277"), "year", "Year must include 4 numbers"),
        (("10", "6", "two"), "year", "Year must include 4 numbers"),
        (("²", "6", "2027"), "day", "Date of birth must be a real date"),
        (("10", "²", "2027"), "month", "Date of birth must be a real date"),
        (("10", "6", "２０２７"), "year", "Year must include 4 numbers"),
        (("-1", "6", "2027"), "day", "Date of birth must be a real date"),
    ],
)
def test_more_mistakes_each_name_the_box_at_fault(parts, field, message):
    with pytest.raises(DatePartsError) as error:
        parse_date_parts(*parts, label="date of birth")

    assert error.value.field == field
    assert str(error.value) == message


def test_a_leap_day_is_a_real_date_in_a_leap_year():
    assert parse_date_parts("29", "2", "2028") == date(2028, 2, 29)


def test_without_a_label_the_messages_speak_of_the_date():
    with pytest.raises(DatePartsError, match="^Enter the date$"):
        parse_date_parts("", "", "")
    with pytest.raises(DatePartsError, match="^Date must be a real date$"):
        parse_date_parts("31", "4", "2027")


@given(st.dates(min_value=date(1000, 1, 1)))
def test_a_date_typed_as_it_is_shown_comes_back(value):
    day, month, year = format_date(value).split()

    assert parse_date_parts(day, month, year) == value


@given(st.text(max_size=6), st.text(max_size=12), st.text(max_size=6))
def test_anything_typed_gives_a_date_or_a_date_parts_error_and_nothing_else(day, month, year):
    try:
        parse_date_parts(day, month, year, label="date of birth")
    except DatePartsError as error:
        assert error.field in {"day", "month", "year", None}
        assert str(error)
