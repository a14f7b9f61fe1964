"""A milestone's status is decided once (rules.status): the engine, the stored rows and
the dashboards' database filters give the same answer for every demo case, on every day.

The demo is seeded on TODAY and never recomputed, so the stored rows must stay right on
later days by themselves: the end of tracking 28 days after a birth never turns overdue.
At moments of a day, dues counted in hours (the 48-hour home visit) turn at the hour.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases.management.commands.seed_demo import seed
from cases.models import Case
from rules.timeline import OPEN_STATUSES
from timeline import services
from timeline.models import CaseMilestone, due_soon_on, open_on, overdue_on

TODAY = date(2027, 2, 15)
LONDON = ZoneInfo("Europe/London")
DAYS = [TODAY + timedelta(days=n) for n in (0, 1, 2, 3, 7, 29, 60)]
# Moments, for the visits counted in hours from a discharge (the demo's are 9am to 5pm).
MOMENTS = [
    datetime.combine(TODAY + timedelta(days=n), time(hour, minute), tzinfo=LONDON)
    for n in (-1, 0, 1, 2)
    for hour, minute in ((8, 59), (12, 30), (17, 1))
]


@pytest.fixture
def demo(db, locality):
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=LONDON), tick=False):
        seed(today=TODAY, cases_per_locality=30)


def classified_by_the_queries(when) -> dict[int, str]:
    """Each stored row as the dashboards' filters see it."""

    def ids(condition) -> set[int]:
        return set(CaseMilestone.objects.filter(condition).values_list("id", flat=True))

    overdue, due_soon, still_open = (
        ids(overdue_on(when)),
        ids(due_soon_on(when)),
        ids(open_on(when)),
    )
    assert not overdue & due_soon
    assert overdue | due_soon <= still_open
    return {
        row_id: "overdue" if row_id in overdue else "due_soon" if row_id in due_soon else "open"
        for row_id in still_open
    }


def query_class(status: str) -> str | None:
    if status in {"overdue", "due_soon"}:
        return status
    return "open" if status in OPEN_STATUSES else None


def test_stored_rows_the_engine_and_the_dashboard_queries_agree(demo):
    cases = list(Case.objects.prefetch_related("milestones", "events"))
    # Either side of every due counted in hours: the minute before it and the minute after.
    hour_dues = CaseMilestone.objects.filter(due_at__isnull=False).values_list("due_at", flat=True)
    edges = [due + timedelta(minutes=sign) for due in hour_dues for sign in (-1, 1)]
    assert edges, "the demo has visits counted in hours"
    seen = set()
    for day in DAYS + MOMENTS + edges:
        queries = classified_by_the_queries(day)
        for case in cases:
            engine = {m.id: m for m in services.case_timeline(case, day).milestones}
            rows = {row.milestone_id: row for row in case.milestones.all()}
            assert set(rows) == set(engine), case.reference
            for milestone_id, row in rows.items():
                expected = engine[milestone_id]
                where = (case.reference, milestone_id, day)
                assert row.status_on(day) == expected.status, where
                assert row.days_overdue_on(day) == expected.days_overdue, where
                assert queries.get(row.id) == query_class(expected.status), where
                seen.add(expected.status)
    # The demo is a real mix, so the comparison covers every status that moves with time,
    # and the hours-based visits are there.
    assert {"overdue", "due_soon", "upcoming", "done", "done_late"} <= seen
