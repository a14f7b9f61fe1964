"""Three more starting themes: no named midwife, young parent, not engaging with
antenatal care (added to meetings.reference_data.THEMES; existing themes are untouched)."""

from django.db import migrations


def add_themes(apps, schema_editor):
    from meetings.reference_data import ensure_themes

    ensure_themes(apps)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0003_liaison_lists")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
