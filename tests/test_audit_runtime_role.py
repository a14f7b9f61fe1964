"""The role the service runs as can add audit rows but never change, remove or unprotect
them: it has SELECT and INSERT on the audit table and owns no table (PostgreSQL)."""

import uuid

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from audit import chain
from audit.roles import runtime_grants

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Roles and grants are PostgreSQL's; SQLite has none. "
    "Run with DATABASE_URL=postgres://... to check them.",
)


def connect(user: str) -> psycopg.Connection:
    """Another connection to the test database, outside the test's transaction."""
    settings = connection.settings_dict
    return psycopg.connect(
        host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
        dbname=settings["NAME"], user=user, password=settings["PASSWORD"] or None,
        autocommit=True,
    )  # fmt: skip


@pytest.fixture
def runtime_role(db):
    """A login role with the runtime grants, made and dropped by the test's owner
    (roles are cluster-wide: a new name each run)."""
    role = f"prebirth_runtime_{uuid.uuid4().hex[:12]}"
    with connect(connection.settings_dict["USER"]) as owner:
        owner.execute(f'CREATE ROLE "{role}" LOGIN')
        try:
            for statement in runtime_grants(connection, role):
                owner.execute(statement)
            yield role
        finally:
            owner.execute(f'DROP OWNED BY "{role}"')
            owner.execute(f'DROP ROLE "{role}"')


AUDIT_INSERT = """INSERT INTO audit_auditevent
    (at, actor_username, event_type, user_agent, path, extra_data, previous_hash, row_hash)
    VALUES (now(), 'runtime', 'signed_in', '', '', '{}', %s, %s) RETURNING id"""

REFUSED = [
    "UPDATE audit_auditevent SET path = 'rewritten'",
    "DELETE FROM audit_auditevent",
    "TRUNCATE audit_auditevent",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_event_no_change ON audit_auditevent",
    "DROP TRIGGER audit_event_no_truncate ON audit_auditevent",
    "ALTER TABLE audit_auditevent ADD COLUMN note text",
    "DROP TABLE audit_auditevent",
]


@postgresql_only
@pytest.mark.parametrize("statement", REFUSED)
def test_the_runtime_role_adds_audit_rows_but_cannot_change_or_unprotect_them(
    runtime_role, statement
):
    with connect(runtime_role) as runtime, runtime.transaction(force_rollback=True):
        # It takes the chain's lock and reads the last hash, as audit_record does.
        locked = runtime.execute("SELECT pg_try_advisory_xact_lock(%s)", [chain.CHAIN_LOCK])
        assert locked.fetchone() == (True,)
        runtime.execute("SELECT row_hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        added = runtime.execute(AUDIT_INSERT, [chain.GENESIS, "a" * 64]).fetchone()
        assert added is not None

        with pytest.raises(psycopg.errors.InsufficientPrivilege), runtime.transaction():
            runtime.execute(statement)

        # Its own row is still there after the refusal.
        still = runtime.execute("SELECT count(*) FROM audit_auditevent WHERE id = %s", added)
        assert still.fetchone() == (1,)


APPEARANCES_REFUSED = [
    "UPDATE audit_auditcaseappearance SET at = now()",
    "DELETE FROM audit_auditcaseappearance",
    "TRUNCATE audit_auditcaseappearance",
    "ALTER TABLE audit_auditcaseappearance DISABLE TRIGGER ALL",
    "DROP TRIGGER audit_appearance_no_change ON audit_auditcaseappearance",
    "DROP TABLE audit_auditcaseappearance",
]


@postgresql_only
@pytest.mark.parametrize("statement", APPEARANCES_REFUSED)
def test_the_runtime_role_reads_and_adds_case_appearances_but_cannot_change_them(
    runtime_role, statement
):
    with connect(runtime_role) as runtime, runtime.transaction(force_rollback=True):
        runtime.execute("SELECT count(*) FROM audit_auditcaseappearance")
        with pytest.raises(psycopg.errors.InsufficientPrivilege), runtime.transaction():
            runtime.execute(statement)


@postgresql_only
def test_the_runtime_role_reads_and_writes_the_app_tables(runtime_role):
    with connect(runtime_role) as runtime, runtime.transaction(force_rollback=True):
        runtime.execute("SELECT count(*) FROM cases_case")
        runtime.execute("UPDATE cases_case SET edd = edd WHERE false")
        runtime.execute("DELETE FROM django_session WHERE false")
        with pytest.raises(psycopg.errors.InsufficientPrivilege), runtime.transaction():
            runtime.execute("TRUNCATE django_session")


@postgresql_only
def test_the_grants_are_printed_from_the_tables_there_are(runtime_role, capsys):
    call_command("grant_runtime_role", runtime_role)

    printed = capsys.readouterr().out.splitlines()
    assert f'GRANT SELECT, INSERT ON TABLE "public"."audit_auditevent" TO "{runtime_role}";' in (
        printed
    )
    assert (
        f'GRANT SELECT, INSERT ON TABLE "public"."audit_auditcaseappearance" TO "{runtime_role}";'
        in printed
    )
    assert (
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE "public"."cases_case" TO "{runtime_role}";'
        in printed
    )
    assert not any("TRUNCATE" in line or "ALL PRIVILEGES" in line for line in printed)


@postgresql_only
def test_a_superuser_is_refused_as_the_runtime_role(db):
    with pytest.raises(CommandError, match="superuser"):
        call_command("grant_runtime_role", connection.settings_dict["USER"])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's refusal, on SQLite")
def test_sqlite_has_no_roles_to_grant(db):
    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("grant_runtime_role", "prebirth_app")
