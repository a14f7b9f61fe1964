"""The PostgreSQL role the service runs as: it may read and write the app's tables but
only read and add audit rows (and the cases each showed), and owns nothing, so it
cannot ALTER the audit tables, disable or drop their triggers, or TRUNCATE them.
Migrations run as the owner role.

The grants are worked out from the tables there are now (run it again after a
migration adds one; default privileges cover tables the owner creates meanwhile).
See docs/deploy.md, "Database roles".
"""

# The audit rows and the cases each one showed (audit.AuditCaseAppearance): both only
# ever added to (audit/protection.py).
AUDIT_TABLES = frozenset({"audit_auditevent", "audit_auditcaseappearance"})
APP_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"
AUDIT_PRIVILEGES = "SELECT, INSERT"


class RoleError(Exception):
    pass


def runtime_grants(connection, role: str) -> list[str]:
    """The statements that give `role` the runtime privileges, to be run as the owner
    of the tables (whoever runs the migrations)."""
    if connection.vendor != "postgresql":
        raise RoleError("Database roles are PostgreSQL's: SQLite has no roles to grant to")
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_database(), current_schema(), rolsuper FROM pg_roles "
            "RIGHT JOIN (SELECT 1) one ON rolname = %s",
            [role],
        )
        database, schema, superuser = cursor.fetchone()
        if superuser is None:
            raise RoleError(f"There is no role {role}: create it first (CREATE ROLE ... LOGIN)")
        if superuser:
            raise RoleError(f"{role} is a superuser: no grant can hold it back")
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'S') "
            "AND pg_get_userbyid(c.relowner) = %s ORDER BY 1",
            [schema, role],
        )
        owned = [name for (name,) in cursor.fetchall()]
        if owned:
            raise RoleError(f"{role} owns {', '.join(owned)}: the runtime role must own nothing")
        tables = sorted(
            info.name
            for info in connection.introspection.get_table_list(cursor)
            if info.type == "t"
        )
    who, where = quote(role), quote(schema)
    statements = [
        f"GRANT CONNECT ON DATABASE {quote(database)} TO {who};",
        f"GRANT USAGE ON SCHEMA {where} TO {who};",
        # Recomputed from nothing each time, so a privilege granted by hand goes too.
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who};",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who};",
    ]
    statements += [
        f"GRANT {AUDIT_PRIVILEGES if table in AUDIT_TABLES else APP_PRIVILEGES} "
        f"ON TABLE {where}.{quote(table)} TO {who};"
        for table in tables
    ]
    statements += [
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {where} TO {who};",
        # Tables a later migration creates (as the role running this) are covered too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT {APP_PRIVILEGES} ON TABLES TO {who};",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {where} GRANT USAGE, SELECT ON SEQUENCES TO {who};",
    ]
    return statements
