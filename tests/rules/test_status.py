"""A milestone's status, decided in one place (rules.status)."""

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.status import done_when_due, milestone_status
from rules.timeline import STATUSES

DUE = date(2027, 2, 11)
WARNING_FROM = date(2027, 2, 4)


def status(today, **kwargs):
    return milestone_status(**{"due": DUE, "warning_from": WARNING_FROM, "today": today, **kwargs})


def test_an_open_milestone_is_upcoming_then_due_soon_then_overdue():
    assert status(date(2027, 2, 3)) == ("upcoming", 0)
    assert status(date(2027, 2, 4)) == ("due_soon", 0)
    assert status(DUE) == ("due_soon", 0)
    assert status(date(2027, 2, 12)) == ("overdue", 1)


def test_done_on_or_before_the_due_date_is_done_and_after_it_done_late():
    assert status(date(2027, 3, 1), done=DUE) == ("done", 0)
    assert status(date(2027, 3, 1), done=date(2027, 2, 14)) == ("done_late", 3)


def test_done_wins_over_not_applicable_and_closed():
    assert status(DUE, done=DUE, not_applicable=True, closed=True)[0] == "done"
    assert status(DUE, not_applicable=True, closed=True)[0] == "not_applicable"
    assert status(DUE, closed=True)[0] == "closed"


def test_with_no_due_date_it_waits_or_is_tracked_open():
    assert milestone_status(due=None, warning_from=None, today=DUE) == ("awaiting", 0)
    assert milestone_status(due=None, warning_from=None, today=DUE, tracked_without_date=True) == (
        "upcoming",
        0,
    )


def test_the_end_of_tracking_is_done_on_its_due_day_once_it_comes():
    assert done_when_due(DUE, date(2027, 2, 10)) is None
    assert done_when_due(DUE, DUE) == DUE
    assert done_when_due(datetime(2027, 2, 11, 10), date(2027, 3, 1)) == DUE
    assert done_when_due(None, DUE) is None


ORDER = {"upcoming": 0, "due_soon": 1, "overdue": 2}


@given(
    due=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    warning=st.integers(0, 60),
    days=st.lists(st.integers(-90, 90), min_size=2, max_size=8),
)
def test_an_open_milestone_never_goes_back_as_the_days_pass(due, warning, days):
    seen = [
        milestone_status(due=due, warning_from=due - timedelta(days=warning),
                         today=due + timedelta(days=n))
        for n in sorted(days)
    ]  # fmt: skip

    ranks = [ORDER[name] for name, _ in seen]
    assert ranks == sorted(ranks)
    for name, days_overdue in seen:
        assert (days_overdue > 0) == (name == "overdue")


@given(
    due=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
    today_offset=st.integers(-30, 30),
    done_offset=st.none() | st.integers(-30, 30),
    not_applicable=st.booleans(),
    closed=st.booleans(),
)
def test_every_status_is_one_of_the_eight_with_days_only_when_late(
    due, today_offset, done_offset, not_applicable, closed
):
    done = None if done_offset is None else due + timedelta(days=done_offset)
    name, days_overdue = milestone_status(
        due=due, warning_from=due - timedelta(days=5), today=due + timedelta(days=today_offset),
        done=done, not_applicable=not_applicable, closed=closed,
    )  # fmt: skip

    assert name in STATUSES
    assert (days_overdue > 0) == (name in {"overdue", "done_late"})
