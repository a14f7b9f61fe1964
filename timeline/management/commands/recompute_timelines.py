"""Re-derive every case's stored timeline from its facts, e.g. after a protocol change.

Reports how many cases and milestones changed, and which due dates moved.
"""

from collections import Counter

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases.services import timelines_recompute_all
from timeline.services import active_protocol


class Command(BaseCommand):
    help = "Recompute every case's stored milestones from its facts and the active protocol."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-details", action="store_true", help="only print the totals")

    def handle(self, *args, quiet_details=False, **options):
        protocol = active_protocol()
        moved: Counter[str] = Counter()
        cases = cases_changed = 0
        for changes in timelines_recompute_all(today=timezone.localdate(), protocol=protocol):
            cases += 1
            if changes:
                cases_changed += 1
                moved.update({change.milestone_id for change in changes})
        self.stdout.write(
            f"Protocol {protocol.name}, version {protocol.version}: "
            f"{cases} case{'s' if cases != 1 else ''} recomputed, "
            f"{cases_changed} with due dates that moved."
        )
        if not quiet_details:
            for milestone_id, count in sorted(moved.items()):
                self.stdout.write(f"  {milestone_id}: {count} case{'s' if count != 1 else ''}")
