"""Every audit row carries the hash of the row before it (audit/chain.py).

The rows already written are chained here, in id order. The triggers of audit/0002
refuse the UPDATE that takes, so they are removed first and installed again after,
in this migration's one transaction (PostgreSQL; SQLite's remade table loses them
anyway).
"""

import django.utils.timezone
from django.db import migrations, models

BATCH = 2000


def remove_protection(apps, schema_editor):
    from audit.protection import remove

    remove(schema_editor.connection)


def install_protection(apps, schema_editor):
    from audit.protection import install

    install(schema_editor.connection)


def chain_existing_rows(apps, schema_editor):
    from audit import chain

    AuditEvent = apps.get_model("audit", "AuditEvent")
    rows = AuditEvent.objects.using(schema_editor.connection.alias).order_by("id")
    previous, after = chain.GENESIS, 0
    while batch := list(rows.filter(id__gt=after)[:BATCH]):
        for event in batch:
            event.previous_hash = previous
            event.row_hash = previous = chain.row_hash(
                {name: getattr(event, name) for name in chain.HASHED_FIELDS}
            )
        AuditEvent.objects.using(schema_editor.connection.alias).bulk_update(
            batch, ["previous_hash", "row_hash"]
        )
        after = batch[-1].id


class Migration(migrations.Migration):
    dependencies = [("audit", "0010_password_changed_event_type")]

    operations = [
        migrations.RunPython(remove_protection, install_protection),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(install_protection, remove_protection),
    ]
