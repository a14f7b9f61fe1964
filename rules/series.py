"""A monthly series of meetings: "the second Tuesday of every month".

Tracking meetings are monthly in each locality (Terms of Reference 4.1) and are kept on
the same weekday of the month, so members can block the time a year ahead.
"""

import calendar
from datetime import date

MAX_MEETINGS_IN_SERIES = 12
WEEK_ORDINALS = ("first", "second", "third", "fourth", "last")


def _week_of_month(day: date) -> int:
    """0 for the first such weekday of its month … 4 for the last (a 5th counts as last)."""
    if day.day + 7 > calendar.monthrange(day.year, day.month)[1]:
        return 4
    return min((day.day - 1) // 7, 3)


def describe(first: date) -> str:
    """ "the second Tuesday of every month" for the series starting on `first`."""
    return (
        f"the {WEEK_ORDINALS[_week_of_month(first)]} {calendar.day_name[first.weekday()]}"
        " of every month"
    )


def _nth_weekday(year: int, month: int, weekday: int, week: int) -> date:
    days = calendar.monthrange(year, month)[1]
    matching = [d for d in range(1, days + 1) if date(year, month, d).weekday() == weekday]
    return date(year, month, matching[-1] if week == 4 else matching[week])


def monthly_dates(first: date, count: int) -> list[date]:
    """`count` meeting dates, one a month from `first`, on the same weekday of the month
    ("the last Thursday" stays the last, even in a month with five Thursdays)."""
    if not 1 <= count <= MAX_MEETINGS_IN_SERIES:
        raise ValueError(f"a series has 1 to {MAX_MEETINGS_IN_SERIES} meetings")
    week = _week_of_month(first)
    dates = []
    for offset in range(count):
        year, month = divmod(first.month - 1 + offset, 12)
        dates.append(_nth_weekday(first.year + year, month + 1, first.weekday(), week))
    return dates
