"""Dates in words, and dates typed into the GOV.UK day, month and year boxes."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.dates import (
    EARLIEST_DATE,
    LATEST_DATE,
    DatePartsError,
    IsoDateError,
    format_date,
    format_datetime,
    parse_date_parts,
    parse_iso_date,
    parse_iso_datetime,
)


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


@given(st.dates(min_value=EARLIEST_DATE, max_value=LATEST_DATE))
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
        (("10", "6", "0000"), "year", "Date of birth must be between 1900 and 2099"),
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


@given(st.dates(min_value=EARLIEST_DATE, max_value=LATEST_DATE))
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


@pytest.mark.parametrize(
    ("parts", "field", "message"),
    [
        (("9" * 30, "6", "2027"), "day", "Date of birth must be a real date"),
        (("9" * 5000, "6", "2027"), "day", "Date of birth must be a real date"),
        (("010", "6", "2027"), "day", "Date of birth must be a real date"),
        (("10", "9" * 5000, "2027"), "month", "Date of birth must be a real date"),
        (("10", "006", "2027"), "month", "Date of birth must be a real date"),
        (("1", "1", "0001"), "year", "Date of birth must be between 1900 and 2099"),
        (("1", "1", "0002"), "year", "Date of birth must be between 1900 and 2099"),
        (("31", "12", "1899"), "year", "Date of birth must be between 1900 and 2099"),
        (("1", "1", "2100"), "year", "Date of birth must be between 1900 and 2099"),
        (("31", "12", "9999"), "year", "Date of birth must be between 1900 and 2099"),
        (("1\x00", "6", "2027"), "day", "Date of birth must be a real date"),
    ],
)
def test_what_a_date_cannot_represent_is_refused_naming_the_box(parts, field, message):
    with pytest.raises(DatePartsError) as error:
        parse_date_parts(*parts, label="date of birth")

    assert (error.value.field, str(error.value)) == (field, message)


def test_the_plausible_range_is_accepted_to_its_ends():
    assert parse_date_parts("1", "1", "1900") == EARLIEST_DATE
    assert parse_date_parts("31", "12", "2099") == LATEST_DATE
    assert parse_iso_date("1900-01-01") == EARLIEST_DATE
    assert parse_iso_date("2099-12-31") == LATEST_DATE


@given(st.text(max_size=3), st.text(max_size=3), st.text(max_size=5),
       st.sampled_from(["", "9" * 25, "\x00", "0" * 4301]))  # fmt: skip
def test_anything_typed_with_huge_numbers_gives_a_date_parts_error(day, month, year, extra):
    for parts in ((day + extra, month, year), (day, month + extra, year), (day, month, extra)):
        try:
            value = parse_date_parts(*parts)
        except DatePartsError:
            continue
        assert EARLIEST_DATE <= value <= LATEST_DATE


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-06-10T00:00", "must be an ISO date like 2027-06-10"),
        ("20270610", "must be an ISO date like 2027-06-10"),
        ("2027-W23-4", "must be an ISO date like 2027-06-10"),
        ("2027-02-30", "'2027-02-30' is not a real date"),
        ("0003-06-10", "'0003-06-10' is not between 1900-01-01 and 2099-12-31"),
        ("9999-12-31", "'9999-12-31' is not between 1900-01-01 and 2099-12-31"),
        ("１９９９-01-01", "must be an ISO date like 2027-06-10"),
        (20270610, "must be an ISO date like 2027-06-10"),
        (["2027-06-10"], "must be an ISO date like 2027-06-10"),
        (None, "must be an ISO date like 2027-06-10"),
    ],
)
def test_an_iso_date_is_refused_unless_it_is_a_plausible_yyyy_mm_dd(text, message):
    with pytest.raises(IsoDateError) as error:
        parse_iso_date(text)

    assert str(error.value) == message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-06-12", "must be an ISO date and time like 2027-06-12T14:30"),
        ("2027-06-12T14:30+25:00", "has a time zone offset outside -12:00 to +14:00"),
        ("2027-06-12T14:30+14:01", "has a time zone offset outside -12:00 to +14:00"),
        ("2027-06-12T14:30-12:30", "has a time zone offset outside -12:00 to +14:00"),
        ("2027-06-12T25:30", "is not a real date and time"),
        ("9999-12-31T23:59-05:00", "is not between 1900-01-01 and 2099-12-31"),
        ("0001-01-01T00:00+01:00", "is not between 1900-01-01 and 2099-12-31"),
        ({"at": "2027-06-12T14:30"}, "must be an ISO date and time like 2027-06-12T14:30"),
    ],
)
def test_an_iso_date_and_time_is_refused_unless_plausible(text, message):
    with pytest.raises(IsoDateError, match=re.escape(message)):
        parse_iso_datetime(text)


def test_an_iso_date_and_time_keeps_its_offset_within_the_real_range():
    assert parse_iso_datetime("2027-06-12T14:30+14:00").utcoffset() == timedelta(hours=14)
    assert parse_iso_datetime("2027-06-12T14:30-12:00").utcoffset() == timedelta(hours=-12)
    assert parse_iso_datetime("2027-06-12T14:30") == datetime(2027, 6, 12, 14, 30)
