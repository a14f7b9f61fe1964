"""Re-derive every case's stored timeline from its facts, e.g. after a protocol change.

Reports how many cases and milestones changed, and which due dates moved.
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from cases.models import Case
from timeline.services import active_protocol, timeline_recompute

BATCH = 500


class Command(BaseCommand):
    help = "Recompute every case's stored milestones from its facts and the active protocol."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-details", action="store_true", help="only print the totals")

    def handle(self, *args, quiet_details=False, **options):
        protocol = active_protocol()
        today = timezone.localdate()
        moved: Counter[str] = Counter()
        cases_changed = 0
        ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            with transaction.atomic():
                batch = Case.objects.filter(pk__in=ids[start : start + BATCH]).prefetch_related(
                    "events"
                )
                for case in batch:
                    changes = timeline_recompute(case, today=today, protocol=protocol)
                    if changes:
                        cases_changed += 1
                        moved.update(change.milestone_id for change in changes)
        self.stdout.write(
            f"Protocol {protocol.name}, version {protocol.version}: "
            f"{len(ids)} cases recomputed, {cases_changed} with due dates that moved."
        )
        if not quiet_details:
            for milestone_id, count in sorted(moved.items()):
                self.stdout.write(f"  {milestone_id}: {count} case{'s' if count != 1 else ''}")
