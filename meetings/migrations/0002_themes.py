"""The starting list of cross-cutting themes (ToR 3.5). Kept as data: an administrator
adds or retires themes without a release."""

from django.db import migrations

THEMES = [
    ("late_referral", "Late referral"),
    ("late_booking", "Late booking or concealed pregnancy"),
    ("no_named_health_visitor", "No named health visitor"),
    ("no_named_social_worker", "No named social worker"),
    ("drift_in_assessment", "Drift in assessment"),
    ("father_not_engaged", "Father or partner not engaged"),
    ("information_sharing", "Information sharing between agencies"),
    ("housing", "Housing"),
    ("substance_misuse", "Substance misuse"),
    ("domestic_abuse", "Domestic abuse"),
    ("parental_mental_health", "Parental mental health"),
    ("learning_needs", "Parental learning needs"),
    ("care_experienced_parent", "Care-experienced parent"),
    ("previous_removal", "Previous child removed"),
    ("discharge_planning", "Discharge planning"),
    ("supervision", "Supervision not recorded"),
]


def add_themes(apps, schema_editor):
    Theme = apps.get_model("meetings", "Theme")
    for position, (code, name) in enumerate(THEMES):
        Theme.objects.update_or_create(code=code, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]
    operations = [migrations.RunPython(add_themes, migrations.RunPython.noop)]
