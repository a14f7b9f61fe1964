"""Working days: not a Saturday or Sunday, and not a bank holiday.

"Within N working days of X" means due on the Nth working day after X. Bank
holidays come from the `holidays` package, including substitute days (Boxing Day
2026 falls on a Saturday, so Monday 28 December 2026 is a bank holiday).
"""

from datetime import date, timedelta
from functools import cache

import holidays


class WorkingDayCalendar:
    def __init__(self, country: str = "UK", subdiv: str = "ENG"):
        self.country = country
        self.subdiv = subdiv
        self._by_year: dict[int, frozenset[date]] = {}

    def holidays_in(self, year: int) -> frozenset[date]:
        cached = self._by_year.get(year)
        if cached is None:
            found = holidays.country_holidays(self.country, subdiv=self.subdiv, years=year)
            cached = self._by_year[year] = frozenset(found)
        return cached

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self.holidays_in(day.year)

    def add_working_days(self, start: date, n: int) -> date:
        if n < 0:
            raise ValueError("n must be zero or more")
        day = start
        remaining = n
        while remaining:
            day += timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days d with start < d <= end (negative when end is before start)."""
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count


@cache
def calendar_for(subdiv: str = "ENG", country: str = "UK") -> WorkingDayCalendar:
    """One shared calendar per region, so its holiday cache is reused."""
    return WorkingDayCalendar(country=country, subdiv=subdiv)


ENGLAND_AND_WALES = calendar_for("ENG")
