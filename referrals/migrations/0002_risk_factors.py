"""The risk sensible model's lists (high risk indicators, underlying risk factors). Kept
as data: an administrator adds or retires items without a release."""

from django.db import migrations


def add_risk_factors(apps, schema_editor):
    from referrals.reference_data import ensure_risk_factors

    ensure_risk_factors(apps)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]
    operations = [migrations.RunPython(add_risk_factors, migrations.RunPython.noop)]
