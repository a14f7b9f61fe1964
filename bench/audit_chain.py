"""What chaining audit rows costs: 200 audit_record calls, alone and four at a time.

    .venv/bin/python bench/audit_chain.py                       (SQLite, var/bench-audit/)
    .venv/bin/python bench/audit_chain.py --database-url postgres://postgres@127.0.0.1:5432/x

- alone: 200 calls one after the other, each its own transaction (an audited read);
- reads at once: 4 threads x 50 such calls;
- in a service: 4 threads x 50 transactions, each writing its audit row and then doing
  5 ms more work before it commits (a service that audits before it finishes); with
  the chain, PostgreSQL holds the chain's lock from the audit row to the commit.

It empties the database it is given: never point it at the service's database.
"""

import argparse
import os
import shutil
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def configure(args) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["PREBIRTH_VAR_DIR"] = str(args.var_dir)
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        shutil.rmtree(args.var_dir, ignore_errors=True)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if args.database_url:
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    call_command("migrate", verbosity=0)


def record(n: int) -> None:
    from audit.models import AuditEventType
    from audit.services import audit_record

    audit_record(
        actor=None,
        actor_username="bench",
        event_type=AuditEventType.CASE_LIST_VIEWED,
        extra_data={"page": "bench", "n": n, "case_ids": [str(i) for i in range(20)]},
    )


def alone(count: int) -> float:
    start = time.perf_counter()
    for n in range(count):
        record(n)
    return time.perf_counter() - start


def in_a_service(threads: int, each: int, work: float | None) -> float:
    """`work` None: each row its own transaction, as an audited read writes it."""
    from django.db import connection, transaction

    def worker():
        try:
            for n in range(each):
                if work is None:
                    record(n)
                    continue
                with transaction.atomic():
                    record(n)
                    time.sleep(work)
        finally:
            connection.close()

    start = time.perf_counter()
    running = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in running:
        thread.start()
    for thread in running:
        thread.join()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default="")
    parser.add_argument("--var-dir", type=Path, default=ROOT / "var" / "bench-audit")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    configure(args)
    from django.db import connection

    from audit.models import AuditEvent

    alone(20)  # warm up
    alone_s = min(alone(200) for _ in range(args.repeats))
    reads_s = min(in_a_service(4, 50, None) for _ in range(args.repeats))
    service_s = min(in_a_service(4, 50, 0.005) for _ in range(args.repeats))
    print(f"database: {connection.vendor}")
    print(f"200 calls alone: {alone_s * 1000:.0f} ms ({alone_s * 5:.2f} ms a call)")
    print(f"4 x 50 audited reads at once (each row its own transaction): {reads_s:.2f} s")
    print(f"4 x 50 service transactions with 5 ms of work after the row: {service_s:.2f} s")
    print(f"(200 x 5 ms one after another would be 1.00 s; rows: {AuditEvent.objects.count()})")


if __name__ == "__main__":
    main()
