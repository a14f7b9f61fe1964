"""Working days: not a Saturday or Sunday, and not a bank holiday.

"Within N working days of X" means due on the Nth working day after X. Bank
holidays come from the `holidays` package, including substitute days (Boxing Day
2026 falls on a Saturday, so Monday 28 December 2026 is a bank holiday).

Working days are kept as a sorted list of day numbers, so adding or counting
them is a binary search, not a walk: the engine does this millions of times.
"""

from bisect import bisect_right
from datetime import MAXYEAR, MINYEAR, date
from functools import cache

import holidays

_MARGIN_YEARS = 2


class WorkingDayCalendar:
    def __init__(self, country: str = "UK", subdiv: str = "ENG"):
        self.country = country
        self.subdiv = subdiv
        self._by_year: dict[int, frozenset[date]] = {}
        self._first_year = 0
        self._last_year = -1
        self._ordinals: list[int] = []
        # Day numbers safely inside the list (a margin from its ends), for a cheap check.
        self._safe_low = 1
        self._safe_high = 0

    def holidays_in(self, year: int) -> frozenset[date]:
        cached = self._by_year.get(year)
        if cached is None:
            found = holidays.country_holidays(self.country, subdiv=self.subdiv, years=year)
            cached = self._by_year[year] = frozenset(found)
        return cached

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in(day.year)

    def _cover(self, *days: date) -> list[int]:
        """The working-day list, extended to cover these days with room either side."""
        if all(self._safe_low <= day.toordinal() <= self._safe_high for day in days):
            return self._ordinals
        # The margin stops at the ends of the calendar: a date in the year 1 is still a date.
        low = max(min(day.year for day in days) - _MARGIN_YEARS, MINYEAR)
        high = min(max(day.year for day in days) + _MARGIN_YEARS, MAXYEAR)
        if low < self._first_year or high > self._last_year:
            low = min(low, self._first_year) if self._ordinals else low
            high = max(high, self._last_year)
            start, end = date(low, 1, 1).toordinal(), date(high, 12, 31).toordinal()
            self._ordinals = [
                n for n in range(start, end + 1) if self.is_working_day(date.fromordinal(n))
            ]
            self._first_year, self._last_year = low, high
            self._safe_low = date(min(low + 1, MAXYEAR), 1, 1).toordinal()
            self._safe_high = date(max(high - 1, MINYEAR), 12, 31).toordinal()
        return self._ordinals

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be zero or more")
        if n == 0:
            return start
        ordinals = self._cover(start)
        index = bisect_right(ordinals, start.toordinal()) + n - 1
        if index >= len(ordinals):
            if self._last_year == MAXYEAR:
                raise OverflowError("date value out of range")
            ordinals = self._cover(start, date(self._last_year + 1, 12, 31))
            return self.add_working_days(start, n)
        return date.fromordinal(ordinals[index])

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negative when end is before start)."""
        ordinals = self._cover(start, end)
        return bisect_right(ordinals, end.toordinal()) - bisect_right(ordinals, start.toordinal())

    def first_day_within(self, due: date, n: int) -> date:
        """The first day from which at most n working days remain until `due`."""
        ordinals = self._cover(due)
        index = bisect_right(ordinals, due.toordinal()) - n - 1
        if index < 0:
            if self._first_year == MINYEAR:
                raise OverflowError("date value out of range")
            ordinals = self._cover(date(self._first_year - 1, 1, 1), due)
            return self.first_day_within(due, n)
        return date.fromordinal(ordinals[index])


@cache
def calendar_for(subdiv: str = "ENG", country: str = "UK") -> WorkingDayCalendar:
    """One shared calendar per region, so its holiday cache is reused."""
    return WorkingDayCalendar(country=country, subdiv=subdiv)


ENGLAND_AND_WALES = calendar_for("ENG")
