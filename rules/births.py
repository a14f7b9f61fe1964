"""Times of birth for one or more babies of a pregnancy, typed as times of day.

Babies are entered in birth order with the date of the first birth, so a time that
comes before the previous baby's means born after midnight, on the next day, unless it
is the repeated hour when the clocks go back, which stays on the same day.
"""

from datetime import UTC, date, datetime, time, timedelta, tzinfo

from rules.dates import format_date, format_datetime, format_time

# Twins more than this far apart, the later typed as earlier, is a typing mistake:
# "born after midnight" only explains a short gap.
LONGEST_GAP_OVER_MIDNIGHT = timedelta(hours=12)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


def exists(moment: datetime) -> bool:
    """False for a wall-clock time skipped when the clocks go forward."""
    there_and_back = _utc(moment).astimezone(moment.tzinfo)
    return there_and_back.replace(tzinfo=None) == moment.replace(tzinfo=None, fold=0)


def times_of_birth(first_born_on: date, times: list[time], zone: tzinfo) -> list[datetime]:
    """Each baby's date and time of birth, in `zone`, from the times typed in birth order."""
    born_on = first_born_on
    moments: list[datetime] = []
    for typed in times:
        born_at = datetime.combine(born_on, typed, tzinfo=zone)
        if moments and _utc(born_at) <= _utc(moments[-1]):
            repeated_hour = born_at.replace(fold=1)
            if _utc(repeated_hour) > _utc(moments[-1]):
                born_at = repeated_hour
            else:
                born_on += timedelta(days=1)
                born_at = datetime.combine(born_on, typed, tzinfo=zone)
        moments.append(born_at)
    return moments


def time_of_birth_errors(moments: list[datetime], now: datetime) -> dict[int, str]:
    """What is wrong with each baby's time of birth (by position from 0), if anything."""
    errors: dict[int, str] = {}
    for n, born_at in enumerate(moments):
        before = moments[n - 1] if n else None
        rolled_over = before is not None and born_at.date() > before.date()
        if not exists(born_at):
            errors[n] = (
                f"There was no {format_time(born_at)} on {format_date(born_at.date())}:"
                " the clocks went forward an hour. Enter the time as the clocks showed it"
            )
        elif (
            rolled_over
            and before is not None
            and _utc(born_at) - _utc(before) > LONGEST_GAP_OVER_MIDNIGHT
        ):
            errors[n] = (
                f"Baby {n + 1}'s time of birth is earlier than baby {n}'s. Enter the babies"
                " in the order they were born (a baby born after midnight is taken as born"
                " the next day)"
            )
        elif born_at > now:
            errors[n] = f"The time of birth must be in the past, not {format_datetime(born_at)}"
    return errors


def age_on(born_on: date, on: date) -> str:
    """A baby's age in words: "born today", "12 days old" for the first four weeks, then
    "5 weeks old" up to two years, then "3 years old"; "" before the birth."""
    days = (on - born_on).days
    if days < 0:
        return ""
    if days == 0:
        return "born today"
    if days < 28:
        return f"{days} day{'' if days == 1 else 's'} old"
    years = (on.year - born_on.year) - ((on.month, on.day) < (born_on.month, born_on.day))
    if years < 2:
        return f"{days // 7} weeks old"
    return f"{years} years old"
