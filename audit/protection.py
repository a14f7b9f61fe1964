"""Database triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE)
of audit rows, whatever code asks: the audit events (installed by migration audit/0002)
and the cases each list or export showed (audit/0013).

`install` protects each of the tables there are (a migration protects its own table as
it makes it). `remove` exists for the test suite only: a browser test's database is
emptied between tests, which the triggers would otherwise (rightly) refuse.
"""

MESSAGE = "audit events cannot be changed or deleted"

# Each protected table and the prefix of its triggers' names. The first one's trigger
# names (audit_event_*) are the ones migration 0002 made: kept, so nothing is renamed.
TABLES = {
    "audit_auditevent": "audit_event",
    "audit_auditcaseappearance": "audit_appearance",
}


def _install(vendor: str, table: str, name: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"""CREATE TRIGGER IF NOT EXISTS {name}_no_update
                BEFORE UPDATE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
            f"""CREATE TRIGGER IF NOT EXISTS {name}_no_delete
                BEFORE DELETE ON {table} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
        ]
    if vendor == "postgresql":
        return [
            f"""CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
                BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
            f"DROP TRIGGER IF EXISTS {name}_no_change ON {table};",
            f"""CREATE TRIGGER {name}_no_change BEFORE UPDATE OR DELETE ON {table}
                FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();""",
            # TRUNCATE skips row triggers: refuse it with a statement trigger.
            f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {table};",
            f"""CREATE TRIGGER {name}_no_truncate BEFORE TRUNCATE ON {table}
                FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();""",
        ]
    raise RuntimeError(f"Audit rows cannot be protected on a {vendor} database")


def _remove(vendor: str, table: str, name: str) -> list[str]:
    if vendor == "sqlite":
        return [
            f"DROP TRIGGER IF EXISTS {name}_no_update;",
            f"DROP TRIGGER IF EXISTS {name}_no_delete;",
        ]
    if vendor == "postgresql":
        return [
            f"DROP TRIGGER IF EXISTS {name}_no_change ON {table};",
            f"DROP TRIGGER IF EXISTS {name}_no_truncate ON {table};",
        ]
    raise RuntimeError(f"Audit rows cannot be protected on a {vendor} database")


def _existing(connection) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    return [(table, name) for table, name in TABLES.items() if table in tables]


def install(connection) -> None:
    statements = [
        statement
        for table, name in _existing(connection)
        for statement in _install(connection.vendor, table, name)
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def remove(connection) -> None:
    statements = [
        statement
        for table, name in _existing(connection)
        for statement in _remove(connection.vendor, table, name)
    ]
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
