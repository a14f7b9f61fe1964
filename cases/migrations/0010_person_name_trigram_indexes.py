"""Names searched by any part (the case list's search, cases.selectors._search_condition)
found through an index on PostgreSQL: pg_trgm's GIN indexes on the upper-cased given and
family names, which serve Django's icontains (UPPER(name) LIKE UPPER('%word%')). SQLite
has no such index and reads the names; the results are the same.

pg_trgm is a trusted extension (PostgreSQL 13 and later): the role that runs migrations
creates it as the database's owner (docs/deploy.md)."""

from django.db import migrations

INDEXES = {
    "cases_person_given_name_trgm": "given_name",
    "cases_person_family_name_trgm": "family_name",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON cases_person "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_case_anonymised_at")]

    operations = [migrations.RunPython(create, drop)]
