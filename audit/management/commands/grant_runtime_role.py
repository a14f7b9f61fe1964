"""Print (or, with --execute, run) the GRANTs for the role the service runs as.

    manage.py grant_runtime_role prebirth_app [--execute] [--database owner]

Run it as the owner of the tables, after every migrate. See docs/deploy.md.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from audit.roles import RoleError, runtime_grants


class Command(BaseCommand):
    help = (
        "The GRANTs for the runtime role: the app's tables read and written, audit rows "
        "only read and added, nothing owned."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the PostgreSQL role the service connects as")
        parser.add_argument("--execute", action="store_true", help="run them, not print them")
        parser.add_argument(
            "--database",
            default=DEFAULT_DB_ALIAS,
            help="the connection to use: it must be the tables' owner (e.g. owner)",
        )

    def handle(self, *args, role, execute, database, **options):
        connection = connections[database]
        try:
            statements = runtime_grants(connection, role)
        except RoleError as error:
            raise CommandError(str(error)) from error
        if not execute:
            self.stdout.write("\n".join(statements))
            return
        with transaction.atomic(using=database), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Granted {role} the runtime privileges ({len(statements)} statements).")
