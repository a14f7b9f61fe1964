from django.conf import settings
from django.db import migrations, models


def fill_owners(apps, schema_editor):
    """Stored rows get their owner from the protocol in use, so My work is right at once
    (a later recompute_timelines would set the same)."""
    from rules.protocol import ProtocolError, named_protocol, protocol_file

    choice = settings.PREBIRTH_PROTOCOL
    try:
        protocol = protocol_file(choice) if choice.endswith(".toml") else named_protocol(choice)
    except ProtocolError:
        return  # manage.py check reports it; recompute_timelines fills the owners later
    CaseMilestone = apps.get_model("timeline", "CaseMilestone")
    for rule in protocol.milestones:
        CaseMilestone.objects.filter(milestone_id=rule.id).update(owner=rule.owner)


class Migration(migrations.Migration):
    dependencies = [
        ("timeline", "0003_milestone_ends_when_due"),
    ]

    operations = [
        migrations.AddField(
            model_name="casemilestone",
            name="owner",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.RunPython(fill_owners, migrations.RunPython.noop),
    ]
