"""Put DOCUMENTS_ROOT and the documents' rows back in step, and say what needs a person.

- A pending file whose row exists (the process stopped between the commit and the
  rename): renamed into place.
- A pending file with no row, more than an hour old: an upload whose transaction rolled
  back (documents/storage.py). Removed. A younger one may be an upload under way: left.
- A document's file with no row (an orphan: e.g. the database restored from an older
  backup than the files) and a row with no file: listed, never changed, and the command
  exits 1 so a scheduled run is noticed.

Run it daily, e.g. from cron: `manage.py sweep_documents`. `--dry-run` changes nothing.
"""

import time

from django.core.management.base import CommandError

from documents import storage
from documents.models import Document
from web.jobs import OneRunCommand

STALE_AFTER_SECONDS = 60 * 60


class Command(OneRunCommand):
    help = "Finish or remove pending document files; list files with no row and rows with no file."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="say what, change nothing")

    def handle(self, *args, dry_run=False, **options):
        files = list(storage.stored())
        # An anonymised case's documents have no file, on purpose (cases.retention).
        rows = set(
            Document.objects.filter(case__anonymised_at__isnull=True).values_list("pk", flat=True)
        )
        now = time.time()
        finished, removed, left, orphans = [], [], [], []
        for path, document_id, pending in files:
            if not pending:
                if document_id not in rows:
                    orphans.append(path)
            elif document_id in rows:
                finished.append(path)
                if not dry_run:
                    storage.commit(document_id)
            elif now - path.stat().st_mtime > STALE_AFTER_SECONDS:
                removed.append(path)
                if not dry_run:
                    storage.discard(document_id)
            else:
                left.append(path)
        on_disk = {document_id for _, document_id, _ in files}
        missing = sorted(str(document_id) for document_id in rows - on_disk)

        would = "would be " if dry_run else ""
        self.stdout.write(
            f"{len(finished)} pending file(s) of committed documents {would}renamed into place,"
            f" {len(removed)} pending file(s) of uploads that rolled back {would}removed,"
            f" {len(left)} pending file(s) less than an hour old left."
        )
        for path in finished + removed:
            self.stdout.write(f"  {path}")
        for path in orphans:
            self.stdout.write(f"No document has this file (left as it is): {path}")
        for document_id in missing:
            self.stdout.write(f"Document {document_id} has no file in DOCUMENTS_ROOT")
        if orphans or missing:
            raise CommandError(
                f"{len(orphans)} file(s) with no document, {len(missing)} document(s) with no"
                " file: see above"
            )
