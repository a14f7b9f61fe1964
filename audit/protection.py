"""Database triggers that refuse UPDATE and DELETE (and, on PostgreSQL, TRUNCATE)
of audit rows, whatever code asks. Installed by migration audit/0002.

`remove` exists for the test suite only: a browser test's database is emptied
between tests, which the triggers would otherwise (rightly) refuse.
"""

MESSAGE = "audit events cannot be changed or deleted"

_INSTALL = {
    "sqlite": [
        f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_update
            BEFORE UPDATE ON audit_auditevent BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
        f"""CREATE TRIGGER IF NOT EXISTS audit_event_no_delete
            BEFORE DELETE ON audit_auditevent BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION audit_event_refuse_change() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql;""",
        "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
        """CREATE TRIGGER audit_event_no_change BEFORE UPDATE OR DELETE ON audit_auditevent
            FOR EACH ROW EXECUTE FUNCTION audit_event_refuse_change();""",
        # TRUNCATE skips row triggers: refuse it with a statement trigger.
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
        """CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_auditevent
            FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_change();""",
    ],
}
_REMOVE = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS audit_event_no_update;",
        "DROP TRIGGER IF EXISTS audit_event_no_delete;",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS audit_event_no_change ON audit_auditevent;",
        "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;",
    ],
}


def _statements(table: dict[str, list[str]], vendor: str) -> list[str]:
    if vendor not in table:
        raise RuntimeError(f"Audit rows cannot be protected on a {vendor} database")
    return table[vendor]


def install(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(_INSTALL, connection.vendor):
            cursor.execute(statement)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for statement in _statements(_REMOVE, connection.vendor):
            cursor.execute(statement)
