"""The starting list of cross-cutting themes (ToR 3.5). Kept as data: an administrator
adds or retires themes without a release."""

from django.db import migrations

def add_themes(apps, schema_editor):
    from meetings.reference_data import ensure_themes

    ensure_themes(apps)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
