"""python manage.py timeline FACTS.json   – the SPEC's timeline contract.
python manage.py timeline --case PB-XXXXXX – the same for a stored case.

Prints the timeline as JSON. Bad input: a message naming the field, exit code 2.
"""

import getpass
import json
import os
import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import Case
from rules.cli import EXIT_BAD_INPUT, main
from rules.contract import timeline_to_json
from timeline.services import active_protocol, case_timeline


def _os_user() -> str:
    """Who ran the command, as far as the operating system says."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a container's arbitrary uid with no name or USER
        return f"uid {os.getuid()}"


class Command(BaseCommand):
    help = "Print a case's timeline as JSON, from a facts file or a stored case."

    def add_arguments(self, parser):
        parser.add_argument("facts", nargs="?", help="a FACTS.json file, or - for standard input")
        parser.add_argument("--case", help="a stored case's reference, such as PB-7QQ4DG")

    def handle(self, *args, facts=None, case=None, **options):
        if case:
            found = Case.objects.filter(reference=case.upper()).first()
            if found is None:
                self.stderr.write(f"error: case: no case with reference {case}")
                sys.exit(EXIT_BAD_INPUT)
            audit_record(
                actor=None,
                actor_username=f"command line ({_os_user()})",
                event_type=AuditEventType.TIMELINE_VIEWED,
                case=found,
                extra_data={"via": "manage.py timeline --case"},
            )
            self.stdout.write(json.dumps(timeline_to_json(case_timeline(found)), indent=2))
            return
        code = main(
            [facts] if facts else [],
            protocol=active_protocol(),
            # Now, on London wall-clock time: dues counted in hours turn at the hour.
            today=timezone.localtime().replace(tzinfo=None),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        if code:
            sys.exit(code)
