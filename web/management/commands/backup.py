"""python manage.py backup PATH

Writes the database and the documents uploaded to cases to one new file (web/backup.py,
docs/deploy.md#backup-and-restore). Bad input: a message naming the field, exit code 2.
"""

from django.core.management.base import BaseCommand, CommandError

from web import backup

EXIT_BAD_INPUT = 2


class Command(BaseCommand):
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
        self.stdout.write(
            f"Backed up {manifest['engine']}: {len(tables)} tables,"
            f" {sum(table['rows'] for table in tables.values()):,} rows, "
            f"{manifest['documents']['files']:,} document file(s)"
            f" ({manifest['documents']['bytes']:,} bytes) to {path}"
        )
