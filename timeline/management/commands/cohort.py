"""python manage.py cohort FACTS.json – is a case in a tracking meeting's cohort, and why.

The timeline contract's facts plus `level_of_csc_input` and `meeting_date`. Prints
{"in_cohort": …, "reason": …} as JSON. Bad input: a message naming the field, exit code 2.
"""

import sys

from django.core.management.base import BaseCommand

from rules.cli import cohort_main
from timeline.services import active_protocol


class Command(BaseCommand):
    help = "Say whether a case's facts put it in a tracking meeting's cohort, and why."

    def add_arguments(self, parser):
        parser.add_argument("facts", nargs="?", help="a FACTS.json file, or - for standard input")

    def handle(self, *args, facts=None, **options):
        code = cohort_main(
            [facts] if facts else [],
            protocol=active_protocol(),
            stdout=self.stdout,
            stderr=self.stderr,
        )
        if code:
            sys.exit(code)
