"""Walk the audit log's hash chain in id order and say whether it is whole.

    manage.py verify_audit [--expect ROW_HASH]

Exits 0 printing how many rows were verified and the latest row's hash (keep it
somewhere the database's owner cannot reach; pass it to --expect next time, which
fails if no row carries it: the log was cut short or rewritten since). Exits 1 naming
the first row that was changed, or that does not follow the row before it (a row
removed between them, or one inserted out of place). Reads in chunks, so it runs in
constant memory on millions of rows.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from audit import chain
from audit.models import AuditEvent

CHUNK = 2000


class Command(BaseCommand):
    help = "Check that no audit row has been changed, removed or inserted out of place."

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect",
            metavar="ROW_HASH",
            help="a row_hash printed by an earlier run, which must still be in the chain",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, expect=None, database=DEFAULT_DB_ALIAS, **options):
        rows = (
            AuditEvent.objects.using(database)
            .order_by("id")
            .values("id", "row_hash", *chain.HASHED_FIELDS)
        )
        count, previous, found = 0, None, expect is None
        for row in rows.iterator(chunk_size=CHUNK):
            if previous is None and row["previous_hash"] != chain.GENESIS:
                raise CommandError(
                    f"Audit row {row['id']} is the first, but chains onto an earlier row: "
                    "the rows before it were removed.",
                    returncode=1,
                )
            if previous is not None and row["previous_hash"] != previous["row_hash"]:
                raise CommandError(
                    f"Audit row {row['id']} does not follow audit row {previous['id']}: "
                    "a row between them was removed, or one of them was inserted out of "
                    "place.",
                    returncode=1,
                )
            if chain.row_hash(row) != row["row_hash"]:
                raise CommandError(
                    f"Audit row {row['id']} has been changed: what it holds no longer "
                    "matches its hash (or it was inserted with a made-up one).",
                    returncode=1,
                )
            found = found or row["row_hash"] == expect
            count, previous = count + 1, row
        if not found:
            raise CommandError(
                f"No audit row has the hash {expect}: the log has been cut short or "
                "rewritten since that hash was recorded.",
                returncode=1,
            )
        if previous is None:
            self.stdout.write("Verified 0 audit rows: the log is empty.")
            return
        self.stdout.write(
            f"Verified {count} audit rows: none changed, removed or inserted out of place.\n"
            f"Latest row: {previous['id']}, hash {previous['row_hash']}\n"
            "Keep that hash outside this database, and check it is still there next time "
            "with --expect."
        )
