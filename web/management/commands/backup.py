"""python manage.py backup PATH

Writes the database and the documents uploaded to cases to one new file (web/backup.py,
docs/deploy.md#backup-and-restore), then records that it did in the audit log. Bad
input: a message naming the field, exit code 2.
"""

from pathlib import Path

from django.core.management.base import CommandError

from audit.models import AuditEventType
from audit.services import audit_record
from web import backup
from web.jobs import OneRunCommand

EXIT_BAD_INPUT = 2


class Command(OneRunCommand):
    help = "Back up the database and the uploaded documents to one new file."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the file to write (it must not exist)")

    def handle(self, *args, path, **options):
        try:
            manifest = backup.backup(path)
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from error
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        tables = manifest["tables"]
        rows = sum(table["rows"] for table in tables.values())
        # In the live log, after the dump (the backup holds the log up to the row before).
        audit_record(
            actor=None,
            actor_username="manage.py backup",
            event_type=AuditEventType.BACKUP_MADE,
            extra_data={"file": str(Path(path).resolve()), "made_at": manifest["made_at"],
                        "rows": rows, "documents": manifest["documents"]["files"]},
        )  # fmt: skip
        self.stdout.write(
            f"Backed up {manifest['engine']}: {len(tables)} tables,"
            f" {rows:,} rows, "
            f"{manifest['documents']['files']:,} document file(s)"
            f" ({manifest['documents']['bytes']:,} bytes) to {path}"
        )
