"""Dates as people read and type them: "10 June 2027", GOV.UK day/month/year input."""

import calendar
import re
from datetime import MAXYEAR, MINYEAR, date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9
# ASCII digits only: str.isdigit() also accepts "²", which int() then refuses.
_DIGITS = re.compile(r"[0-9]+")


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
        return int(month)
    return _MONTHS.get(month.lower())


def parse_date_parts(day: str, month: str, year: str, label: str = "date") -> date:
    """The date typed into a GOV.UK date input, or DatePartsError with a message.

    Messages follow the GOV.UK date input pattern: "Enter the date of birth",
    "Date of birth must include a month", "Date of birth must include a day and year",
    "Date of birth must be a real date", "Year must include 4 numbers".
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
    if not _DIGITS.fullmatch(day):
        raise DatePartsError(real_date, "day")
    month_number = _month_number(month)
    if month_number is None:
        raise DatePartsError(real_date, "month")
    if not _DIGITS.fullmatch(year) or len(year) != 4:
        raise DatePartsError("Year must include 4 numbers", "year")
    if not 1 <= month_number <= 12:
        raise DatePartsError(real_date, "month")
    if not MINYEAR <= int(year) <= MAXYEAR:
        raise DatePartsError(real_date, "year")
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        raise DatePartsError(real_date, "day") from None
