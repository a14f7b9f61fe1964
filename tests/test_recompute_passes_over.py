"""recompute_timelines passes over a case whose timeline is what recomputing it would give
(the same facts, protocol and engine, on a day before it could change by itself), and
computes every other: the run after an upgrade that changed nothing reads no milestone.

Born 8 June 2027; today is 9 June 2027 (tests/postnatal_cases.py).
"""

import io
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case
from tests.postnatal_cases import *  # noqa: F403 – the fixtures
from tests.postnatal_cases import LONDON, _frozen  # noqa: F401 – today is 9 June 2027
from timeline import services
from timeline.models import CaseMilestone


def stored(case) -> dict[str, tuple]:
    return {
        row.milestone_id: (row.due_date, row.state, row.done_date)
        for row in CaseMilestone.objects.filter(case=case)
    }


def recompute(*options: str) -> tuple[str, list[str]]:
    """Runs the command; returns what it printed and the SQL it ran."""
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("recompute_timelines", *options, stdout=out)
    return out.getvalue(), [query["sql"] for query in queries.captured_queries]


def milestone_reads(sql: list[str]) -> list[str]:
    return [
        q for q in sql if q.lstrip().upper().startswith("SELECT") and "timeline_casemilestone" in q
    ]


def test_a_case_computed_since_its_last_change_is_passed_over_without_reading_a_milestone(
    born, unborn
):
    born.refresh_from_db()
    assert len(born.timeline_fingerprint) == 64  # stored by the change that computed it
    before = stored(born)

    printed, sql = recompute()

    assert "1 case recomputed, 0 with due dates that moved" in printed
    assert "1 of them passed over" in printed
    assert milestone_reads(sql) == []
    assert not [q for q in sql if "timeline_casemilestone" in q]  # no write either
    assert stored(born) == before


def test_facts_changed_behind_the_services_back_are_noticed_and_the_case_computed(born):
    Case.objects.filter(pk=born.pk).update(edd=born.edd + timedelta(days=7))

    printed, sql = recompute()

    assert milestone_reads(sql)
    assert "1 with due dates that moved" in printed
    assert "passed over" not in printed
    # Computed again now, it is passed over the next time.
    assert milestone_reads(recompute()[1]) == []


def test_a_new_protocol_or_engine_computes_every_case(born, settings):
    settings.PREBIRTH_PROTOCOL = "example_alternative"

    assert milestone_reads(recompute()[1])
    born.refresh_from_db()
    assert born.protocol_version == "0.1.0-example"
    assert born.timeline_fingerprint == services.timeline_fingerprint(
        services.case_facts(born, date(2027, 6, 9)),
        services.engine_digest(services.active_protocol()),
    )


def test_the_day_tracking_ends_by_itself_the_case_is_computed_and_the_milestone_done(born):
    """The end of tracking is done by the passing of its due date (28 days after the
    birth), with no new fact: the case's steady_until is that day."""
    born.refresh_from_db()
    ends = [m for m, (due, state, _) in stored(born).items()
            if CaseMilestone.objects.get(case=born, milestone_id=m).ends_when_due]  # fmt: skip
    assert ends, "a born baby's case has a milestone done when due"
    last_steady_day = born.timeline_steady_until - timedelta(days=1)
    assert born.timeline_steady_until == min(stored(born)[m][0] for m in ends)

    with time_machine.travel(datetime.combine(last_steady_day, datetime.min.time(), LONDON)):
        assert milestone_reads(recompute()[1]) == []
    with time_machine.travel(
        datetime.combine(born.timeline_steady_until, datetime.min.time(), LONDON).replace(hour=9)
    ):
        assert milestone_reads(recompute()[1])
    done = stored(born)
    first = min(ends, key=lambda m: done[m][0])
    assert done[first][1] == "done" and done[first][2] == done[first][0]


@pytest.mark.parametrize("option", [[], ["--everything"]])
def test_deleted_milestones_come_back_only_when_every_case_is_computed(born, option):
    before = stored(born)
    CaseMilestone.objects.filter(case=born).delete()

    recompute(*option)

    assert stored(born) == (before if option else {})
