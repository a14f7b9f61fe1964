"""python manage.py restore PATH [--force]

Puts a backup made by `manage.py backup` into the configured database and DOCUMENTS_ROOT,
then checks them against the backup's manifest (web/backup.py). Refuses a database that
has tables, or documents already stored, unless --force (which replaces them). Stop the
service first. Bad input: a message naming the field, exit code 2; a restore that does
not match its backup: exit code 1.
"""

from django.core.management.base import BaseCommand, CommandError

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
        if restored.unapplied:
            self.stdout.write(
                f"This version has {len(restored.unapplied)} migration(s) the backup had not"
                " applied: run manage.py migrate, then manage.py recompute_timelines"
            )
