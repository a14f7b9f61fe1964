"""Scheduled jobs started on every node at once: one runs, the others say so and do
nothing (web/jobs.py). "Another node" here holds the job's lock from its own database
connection (PostgreSQL's advisory lock) or its own open file (SQLite's lock file)."""

import fcntl
import io
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from audit.models import AuditEvent, AuditEventType
from web.jobs import JobRunning, _lock_key, one_run_at_a_time

pytestmark = pytest.mark.django_db


@contextmanager
def held_elsewhere(job: str):
    if connection.vendor == "postgresql":
        other = connection.get_new_connection(connection.get_connection_params())
        key = _lock_key(job)
        try:
            taken = other.execute("SELECT pg_try_advisory_lock(%s)", [key])
            assert taken.fetchone()[0], f"{job}'s lock is held"
            yield
            # Let go before closing: a closed session's locks go only when its server
            # process has ended, a moment after close() returns (a busy machine saw it).
            other.execute("SELECT pg_advisory_unlock(%s)", [key])
        finally:
            other.close()
    else:
        with open(settings.VAR_DIR / f"job-{job}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            yield


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    "command",
    [("recompute_timelines",), ("apply_retention", "--dry-run"), ("sweep_documents",)],
)
def test_a_job_running_elsewhere_is_not_run_again(command):
    with held_elsewhere(command[0]):
        printed = run(*command)

    assert printed == f"{command[0]} is already running (here or on another node): nothing done.\n"


def test_recompute_runs_once_the_other_run_is_over_and_only_then_writes_its_audit_row():
    with held_elsewhere("recompute_timelines"):
        run("recompute_timelines")
    assert not AuditEvent.objects.filter(event_type=AuditEventType.TIMELINES_RECOMPUTED).exists()

    printed = run("recompute_timelines")

    assert "recomputed" in printed
    assert AuditEvent.objects.filter(event_type=AuditEventType.TIMELINES_RECOMPUTED).count() == 1


def test_a_backup_started_while_another_is_written_writes_no_file(tmp_path):
    with held_elsewhere("backup"):
        printed = run("backup", str(tmp_path / "one.backup"))

    assert "already running" in printed
    assert not (tmp_path / "one.backup").exists()


def test_the_lock_is_one_jobs_and_is_let_go_when_the_run_ends_even_by_an_error():
    with held_elsewhere("recompute_timelines"):
        with pytest.raises(JobRunning), one_run_at_a_time("recompute_timelines"):
            pass  # pragma: no cover – never entered
        with one_run_at_a_time("sweep_documents"):  # another job's lock is its own
            pass
    with pytest.raises(RuntimeError), one_run_at_a_time("recompute_timelines"):
        raise RuntimeError("the job failed")
    with held_elsewhere("recompute_timelines"):  # free again for another node
        pass
