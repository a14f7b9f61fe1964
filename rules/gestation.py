"""Gestation arithmetic from the expected due date (EDD).

On date d, gestation = 280 − (EDD − d) days, shown as W+D. The date of W+0 weeks
is EDD − 280 + 7W days.
"""

from dataclasses import dataclass
from datetime import date, timedelta

DAYS_IN_PREGNANCY = 280


@dataclass(frozen=True, order=True)
class Gestation:
    total_days: int

    @property
    def weeks(self) -> int:
        return self.total_days // 7

    @property
    def days(self) -> int:
        return self.total_days % 7

    def __str__(self) -> str:
        # Before 0+0 (an EDD more than 40 weeks away) there is no gestation to show.
        if self.total_days < 0:
            return "before 0+0"
        return f"{self.weeks}+{self.days}"


def gestation_on(edd: date, on: date) -> Gestation:
    return Gestation(DAYS_IN_PREGNANCY - (edd - on).days)


def days_before_edd(weeks: int, days: int = 0) -> int:
    """How many days before the EDD a gestation of W+D is reached (29+0: 77 days)."""
    return DAYS_IN_PREGNANCY - 7 * weeks - days


def date_at_gestation(edd: date, weeks: int, days: int = 0) -> date:
    return edd - timedelta(days=days_before_edd(weeks, days))


def edd_from_lmp(lmp: date) -> date:
    """Naegele's rule: the EDD is 280 days after the first day of the last period."""
    return lmp + timedelta(days=DAYS_IN_PREGNANCY)
