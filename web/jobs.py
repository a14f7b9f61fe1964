"""Scheduled jobs safe to start on every node at once: one run at a time across them all.

With several app servers sharing one PostgreSQL, the same cron line runs on each; the
first run of a job takes a PostgreSQL advisory lock named for the job and the others find
it taken, say so and do nothing (docs/deploy.md). On SQLite (one host) a lock file in
PREBIRTH_VAR_DIR does the same for the processes of that host. A lock is released when
the run ends, however it ends, or when its connection or process dies.
"""

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection


class JobRunning(Exception):
    """Another run of the same job holds its lock."""


def _lock_key(job: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks, from the job's name."""
    digest = hashlib.sha256(f"prebirth-tracker:{job}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def one_run_at_a_time(job: str) -> Iterator[None]:
    """Run the block holding `job`'s lock; raises JobRunning at once if it is held."""
    if connection.vendor == "postgresql":
        key = _lock_key(job)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if not cursor.fetchone()[0]:
                raise JobRunning(job)
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        return
    path = settings.VAR_DIR / f"job-{job}.lock"
    with open(path, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as running:
            raise JobRunning(job) from running
        yield  # the lock goes with the file when it is closed


class OneRunCommand(BaseCommand):
    """A management command that is a scheduled job: started while another run of it (on
    this node or another) is going, it says so and does nothing, exit 0 (cron on every
    node is expected to meet one)."""

    def execute(self, *args, **options):
        job = self.__module__.rsplit(".", 1)[-1]
        handle = self.handle

        def handle_alone(*args, **options):
            with contextlib.ExitStack() as held:
                try:
                    held.enter_context(one_run_at_a_time(job))
                except JobRunning:
                    self.stdout.write(f"{job} is already running (here or on another node): "
                                      "nothing done.")  # fmt: skip
                    return None
                return handle(*args, **options)

        self.handle = handle_alone  # type: ignore[method-assign]
        return super().execute(*args, **options)
