"""An appearance for each case id the rows written before 0013 list in
`extra_data["case_ids"]` (audit/appearances.py). Only inserts: the audit rows are
read, never changed, so their chain is untouched."""

from django.db import migrations


def backfill(apps, schema_editor):
    from audit.appearances import backfill

    backfill(
        event_model=apps.get_model("audit", "AuditEvent"),
        appearance_model=apps.get_model("audit", "AuditCaseAppearance"),
        case_model=apps.get_model("cases", "Case"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0013_case_appearances")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
