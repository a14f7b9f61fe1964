"""The name-search indexes (cases/0010) written at once, not through GIN's pending list.

With the pending list (GIN's default, `fastupdate`), new names are kept in an unsorted
list that every search reads whole until a VACUUM merges it: after many registrations,
a search read up to 4 MB of it, however few names matched. People are registered one at
a time, so adding each to the index at once costs little, and a search reads only the
entries of its own trigrams. PostgreSQL only."""

from django.db import migrations

INDEXES = ("cases_person_given_name_trgm", "cases_person_family_name_trgm")


def without_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} SET (fastupdate = off)")
        # What is in the list already goes into the index now.
        schema_editor.execute(f"SELECT gin_clean_pending_list('{name}'::regclass)")


def with_pending_list(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"ALTER INDEX {name} RESET (fastupdate)")


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_case_timeline_fingerprint")]

    operations = [migrations.RunPython(without_pending_list, with_pending_list)]
