"""Re-derive every case's stored timeline from its facts, e.g. after a protocol change.

Reports how many cases and milestones changed, and which due dates moved, and records
the run in the audit log with the protocol and the cases whose due dates moved (so each
case's access log shows it).
"""

from collections import Counter

from django.utils import timezone

from audit.models import AuditEventType
from audit.services import audit_record
from cases.services import timelines_recompute_all
from timeline.services import active_protocol
from web.jobs import OneRunCommand


class Command(OneRunCommand):
    help = "Recompute every case's stored milestones from its facts and the active protocol."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-details", action="store_true", help="only print the totals")
        parser.add_argument(
            "--everything",
            action="store_true",
            help="compute every case's timeline, also those whose facts, protocol and engine "
            "are what it was computed from (passed over otherwise)",
        )

    def handle(self, *args, quiet_details=False, everything=False, **options):
        protocol = active_protocol()
        moved: Counter[str] = Counter()
        cases = passed_over = 0
        changed: list[str] = []
        for case_id, changes in timelines_recompute_all(
            today=timezone.localdate(), protocol=protocol, everything=everything
        ):
            cases += 1
            passed_over += changes is None
            if changes:
                changed.append(str(case_id))
                moved.update({change.milestone_id for change in changes})
        cases_changed = len(changed)
        audit_record(
            actor=None,
            actor_username="manage.py recompute_timelines",
            event_type=AuditEventType.TIMELINES_RECOMPUTED,
            extra_data={"protocol": protocol.name, "version": protocol.version, "cases": cases,
                        "passed_over": passed_over, "moved": dict(sorted(moved.items())),
                        "case_ids": changed},
        )  # fmt: skip
        self.stdout.write(
            f"Protocol {protocol.name}, version {protocol.version}: "
            f"{cases} case{'s' if cases != 1 else ''} recomputed, "
            f"{cases_changed} with due dates that moved."
        )
        if passed_over:
            self.stdout.write(
                f"  {passed_over} of them passed over: their facts, the protocol and the "
                "engine are what their timelines were computed from (--everything "
                "computes them too)."
            )
        if not quiet_details:
            for milestone_id, count in sorted(moved.items()):
                self.stdout.write(f"  {milestone_id}: {count} case{'s' if count != 1 else ''}")
