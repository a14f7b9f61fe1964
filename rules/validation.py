"""Rules for facts typed into a new or changed case. Each returns a message or None."""

from datetime import date, timedelta

from rules.dates import format_date

# A pregnancy is over by 42 weeks; 44 leaves room for a dating scan's correction.
MAX_WEEKS_AHEAD = 44
MAX_WEEKS_PAST_NEW_CASE = 4
MAX_WEEKS_PAST_REVISED = 4
YOUNGEST_MOTHER = 10
OLDEST_MOTHER = 60


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def mother_date_of_birth_error(dob: date, today: date) -> str | None:
    if dob >= today:
        return "Date of birth must be in the past"
    age = _age_on(dob, today)
    if not YOUNGEST_MOTHER <= age < OLDEST_MOTHER:
        years = "year" if age == 1 else "years"
        return f"Check the date of birth – the mother would be {age} {years} old"
    return None


def new_case_edd_error(edd: date, today: date) -> str | None:
    if edd > today + timedelta(weeks=MAX_WEEKS_AHEAD):
        return "The expected due date must be no more than 44 weeks from today"
    if edd < today - timedelta(weeks=MAX_WEEKS_PAST_NEW_CASE):
        return "The expected due date must be no more than 4 weeks ago for a new case"
    return None


def revised_edd_error(edd: date, today: date) -> str | None:
    """An EDD is revised only while the pregnancy's outcome is not recorded, so today can
    be no later than 44 weeks by it (4 weeks after it)."""
    if edd > today + timedelta(weeks=MAX_WEEKS_AHEAD):
        return "The expected due date must be no more than 44 weeks from today"
    if edd < today - timedelta(weeks=MAX_WEEKS_PAST_REVISED):
        return (
            f"The expected due date must be no more than {MAX_WEEKS_PAST_REVISED} weeks ago:"
            " an earlier one would make the pregnancy over 44 weeks. If the baby has been"
            " born, record the outcome instead"
        )
    return None


MAX_YEARS_BEFORE_REGISTRATION = 1


def event_date_error(
    value: date, *, today: date, registered_on: date | None, label: str
) -> str | None:
    """Whether a date something happened on a case (a milestone done, a referral, a
    decision) is plausible: not in the future, and not more than a year before the case
    was registered (which also catches a placeholder year such as 1900).

    `label` names the date inside the message: "date it was done". Without
    `registered_on` (facts not yet stored) only the future is refused.
    """
    if value > today:
        return f"The {label} must be today or in the past"
    if registered_on is None:
        return None
    earliest = _years_before(registered_on, MAX_YEARS_BEFORE_REGISTRATION)
    if value < earliest:
        return (
            f"The {label} must be on or after {format_date(earliest)}, no more than a year"
            " before the case was registered"
        )
    return None


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
