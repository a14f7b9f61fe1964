"""python manage.py restore PATH [--force]

Puts a backup made by `manage.py backup` into the configured database and DOCUMENTS_ROOT,
then checks them against the backup's manifest (web/backup.py), and records the restore
in the restored audit log (not for a backup an older version made: its log cannot take
the row before `migrate`). Refuses a database that
has tables, or documents already stored, unless --force (which replaces them). Stop the
service first. Bad input: a message naming the field, exit code 2; a restore that does
not match its backup: exit code 1.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from audit.models import AuditEventType
from audit.services import audit_record
from web import backup

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
    help = "Restore a backup made by manage.py backup into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the backup file")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace the database's tables and the stored documents (all lost)",
        )

    def handle(self, *args, path, force=False, **options):
        try:
            restored = backup.restore(path, force=force)
        except backup.BackupError as error:
            raise CommandError(str(error), returncode=EXIT_BAD_INPUT) from error
        except (RuntimeError, backup.RestoreMismatch) as error:
            raise CommandError(str(error)) from error
        manifest = restored.manifest
        tables = manifest["tables"]
        self.stdout.write(
            f"Restored the backup made {manifest['made_at']}: {len(tables)} tables,"
            f" {sum(table['rows'] for table in tables.values()):,} rows and"
            f" {manifest['documents']['files']:,} document file(s), checked against its"
            " manifest"
        )
        if not restored.unapplied:
            # The restored log ends where the backup's did: this row says a restore put it
            # back, so rows written after the backup was made are not lost without trace.
            audit_record(
                actor=None,
                actor_username="manage.py restore",
                event_type=AuditEventType.BACKUP_RESTORED,
                extra_data={"file": str(Path(path).resolve()),
                            "backup_made_at": manifest["made_at"], "replaced": force},
            )  # fmt: skip
        else:
            self.stdout.write(
                f"This version has {len(restored.unapplied)} migration(s) the backup had not"
                " applied: run manage.py migrate, then manage.py recompute_timelines. (The"
                " restore is not in the audit log: the older version's log cannot take the row.)"
            )
