"""Dates as people read and type them: "10 June 2027", GOV.UK day/month/year input."""

import calendar
from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9


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
    local = value.astimezone(LONDON) if value.tzinfo else value
    return f"{format_date(local.date())} at {format_time(local)}"


class DatePartsError(ValueError):
    """A date typed into day, month and year boxes that is not a date.

    `field` names the box at fault ("day", "month", "year"), or None for the whole date.
    """

    def __init__(self, message: str, field: str | None):
        super().__init__(message)
        self.field = field


def _sentence(label: str) -> str:
    return label[:1].upper() + label[1:]


def parse_date_parts(day: str, month: str, year: str, label: str = "date") -> date:
    day, month, year = (part.strip() for part in (day, month, year))
    if not (day or month or year):
        raise DatePartsError(f"Enter the {label}", None)
    for name, part in (("day", day), ("month", month), ("year", year)):
        if not part:
            raise DatePartsError(f"{_sentence(label)} must include a {name}", name)
    month_number = _MONTHS.get(month.lower()) if not month.isdigit() else int(month)
    if not day.isdigit():
        raise DatePartsError(f"{_sentence(label)} must be a real date", "day")
    if month_number is None:
        raise DatePartsError(f"{_sentence(label)} must be a real date", "month")
    if not year.isdigit() or len(year) != 4:
        raise DatePartsError("Year must include 4 numbers", "year")
    if not 1 <= month_number <= 12:
        raise DatePartsError(f"{_sentence(label)} must be a real date", "month")
    try:
        return date(int(year), month_number, int(day))
    except ValueError:
        raise DatePartsError(f"{_sentence(label)} must be a real date", "day") from None
