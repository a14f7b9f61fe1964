"""A milestone's status: the one place it is decided.

The engine (rules/timeline.py) calls `milestone_status` for every milestone it works
out; a stored row (timeline.models.CaseMilestone.status_on) calls it with what was
stored; the dashboards' database filters (timeline.models: open_on, overdue_on,
pending_on, due_soon_on) are this function written as SQL, and say so.

`today` is a date. `now`, when given, is the moment on the same wall clock as an
hour-based due (the 48-hour home visit): such a due turns overdue the moment it passes.
Without `now` a day is the finest grain: an hour-based due is overdue from the next day.
"""

from datetime import date, datetime


def _date_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def is_past_due(due: date | datetime, today: date, now: datetime | None = None) -> bool:
    """Overdue if still open: after its due day, or, for a due with a time, after it."""
    if isinstance(due, datetime) and now is not None:
        return now > due
    return today > _date_of(due)


def done_when_due(due: date | datetime | None, today: date) -> date | None:
    """A milestone done by the passing of its due date (the end of tracking): done on
    its due day, once that day has come."""
    if due is None:
        return None
    due_day = _date_of(due)
    return due_day if today >= due_day else None


def milestone_status(
    *,
    due: date | datetime | None,
    warning_from: date | None,
    today: date,
    now: datetime | None = None,
    done: date | None = None,
    not_applicable: bool = False,
    closed: bool = False,
    tracked_without_date: bool = False,
) -> tuple[str, int]:
    """(status, days overdue) for a milestone.

    done: the date it was done; not_applicable: recorded so; closed: the pregnancy ended
    in a loss; tracked_without_date: it has no date by design (anchor "none"), rather
    than waiting for one. Days overdue are calendar days, for done late and overdue.
    """
    if done is not None:
        if due is not None and done > _date_of(due):
            return "done_late", (done - _date_of(due)).days
        return "done", 0
    if not_applicable:
        return "not_applicable", 0
    if closed:
        return "closed", 0
    if due is None:
        return ("upcoming" if tracked_without_date else "awaiting"), 0
    if is_past_due(due, today, now):
        return "overdue", (today - _date_of(due)).days
    if warning_from is not None and today >= warning_from:
        return "due_soon", 0
    return "upcoming", 0
