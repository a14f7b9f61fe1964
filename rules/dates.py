"""Dates as people read and type them: "10 June 2027", GOV.UK day/month/year input,
and the one parser for every date the service is given (typed, or ISO in the contract).

A date the parser accepts is within the domain's plausible range (EARLIEST_DATE to
LATEST_DATE), so everything after it can add and subtract weeks without overflowing.
"""

import calendar
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
# The plausible range for any date in the service: a mother's date of birth is after
# 1900, and nothing in the procedure is planned beyond the bank holidays we know
# (the `holidays` package lists England's to 2100).
FIRST_YEAR = 1900
LAST_YEAR = 2099
EARLIEST_DATE = date(FIRST_YEAR, 1, 1)
LATEST_DATE = date(LAST_YEAR, 12, 31)
# Real UTC offsets run from -12:00 to +14:00.
UTC_OFFSETS = (-timedelta(hours=12), timedelta(hours=14))
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
# ASCII digits only: str.isdigit() also accepts "²", which int() then refuses.
_DIGITS = re.compile(r"[0-9]+")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?"
    r"(Z|(?P<sign>[+-])(?P<hours>[0-9]{2}):?(?P<minutes>[0-9]{2}))?"
)


def format_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {calendar.month_name[value.month]} {value.year}"


def format_time(value: datetime) -> str:
    """GOV.UK style: 9am, 2:05pm, 12pm for midday, 12am for midnight."""
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute:
        return f"{hour}:{value.minute:02d}{suffix}"
    return f"{hour}{suffix}"


def format_datetime(value: datetime) -> str:
    """10 June 2027 at 2:05pm, in London time; a naive datetime is taken as London time."""
    local = value.astimezone(LONDON) if value.tzinfo else value
    return f"{format_date(local.date())} at {format_time(local)}"


class DatePartsError(ValueError):
    """A date typed into day, month and year boxes that is not a date.

    `field` names the box at fault ("day", "month", "year"), or None for the whole date.
    When more than one box is empty, `field` is the first of them.
    """

    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.field = field


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


def _month_number(month: str) -> int | None:
    if _DIGITS.fullmatch(month):
        return int(month) if len(month) <= 2 else None
    return _MONTHS.get(month.lower())


def parse_date_parts(day: str, month: str, year: str, label: str = "date") -> date:
    """The date typed into a GOV.UK date input, or DatePartsError with a message.

    Messages follow the GOV.UK date input pattern: "Enter the date of birth",
    "Date of birth must include a month", "Date of birth must include a day and year",
    "Date of birth must be a real date", "Year must include 4 numbers", and for a year
    outside the plausible range "Date of birth must be between 1900 and 2099".
    """
    day, month, year = (part.strip() for part in (day, month, year))
    if not (day or month or year):
        raise DatePartsError(f"Enter the {label}", None)
    missing = [name for name, part in (("day", day), ("month", month), ("year", year)) if not part]
    if missing:
        raise DatePartsError(
            f"{_sentence(label)} must include a {' and '.join(missing)}", missing[0]
        )
    real_date = f"{_sentence(label)} must be a real date"
    # Lengths before int(): a 40-digit day would overflow date(), a 5,000-digit one int().
    if not _DIGITS.fullmatch(day) or len(day) > 2:
        raise DatePartsError(real_date, "day")
    month_number = _month_number(month)
    if month_number is None:
        raise DatePartsError(real_date, "month")
    if not _DIGITS.fullmatch(year) or len(year) != 4:
        raise DatePartsError("Year must include 4 numbers", "year")
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise DatePartsError(
            f"{_sentence(label)} must be between {FIRST_YEAR} and {LAST_YEAR}", "year"
        )
    if not 1 <= month_number <= 12:
        raise DatePartsError(real_date, "month")
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        raise DatePartsError(real_date, "day") from None


class IsoDateError(ValueError):
    """A date or date and time in the contract that is not one, or out of range."""


def parse_iso_date(text: object) -> date:
    """A date written YYYY-MM-DD within the plausible range, or IsoDateError."""
    if not isinstance(text, str) or not _ISO_DATE.fullmatch(text):
        raise IsoDateError("must be an ISO date like 2027-06-10")
    try:
        value = date.fromisoformat(text)
    except ValueError:
        raise IsoDateError(f"{text!r} is not a real date") from None
    return _in_range(value, text)


def parse_iso_datetime(text: object) -> datetime:
    """A date and time like 2027-06-12T14:30, with or without a UTC offset (kept), within
    the plausible range, or IsoDateError."""
    match = _ISO_DATETIME.fullmatch(text) if isinstance(text, str) else None
    if match is None or not isinstance(text, str):
        raise IsoDateError("must be an ISO date and time like 2027-06-12T14:30")
    if match["sign"]:
        offset = timedelta(hours=int(match["hours"]), minutes=int(match["minutes"]))
        offset = -offset if match["sign"] == "-" else offset
        if not UTC_OFFSETS[0] <= offset <= UTC_OFFSETS[1]:
            raise IsoDateError(f"{text!r} has a time zone offset outside -12:00 to +14:00")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise IsoDateError(f"{text!r} is not a real date and time") from None
    _in_range(value.date(), text)
    return value


def _in_range(value: date, text: str) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise IsoDateError(
            f"{text!r} is not between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"
        )
    return value
