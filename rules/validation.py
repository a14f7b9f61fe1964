"""Rules for facts typed into a new or changed case. Each returns a message or None."""

from datetime import date, timedelta

MAX_WEEKS_AHEAD = 44
MAX_WEEKS_PAST_NEW_CASE = 4
MAX_WEEKS_PAST_REVISED = 52
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
    if edd > today + timedelta(weeks=MAX_WEEKS_AHEAD):
        return "The expected due date must be no more than 44 weeks from today"
    if edd < today - timedelta(weeks=MAX_WEEKS_PAST_REVISED):
        return "The expected due date must be no more than 52 weeks ago"
    return None
