"""python manage.py apply_retention [--dry-run] [--today YYYY-MM-DD]

Anonymises the closed cases the retention rules (settings.RETENTION_RULES) say are due,
each in its own transaction, audited as `case_anonymised` by "retention". `--dry-run`
lists them (reference, closed date, rule) and changes nothing. Run it again and it
changes nothing more. A bad argument or rule: a message naming it, exit code 2.
"""

import sys
from datetime import date

from django.utils import timezone

from cases.retention import RetentionRuleError, case_anonymise, due_cases, retention_rules
from rules.cli import EXIT_BAD_INPUT
from rules.dates import format_date
from web.jobs import OneRunCommand


class Command(OneRunCommand):
    help = "Anonymise the closed cases the retention rules say are due (--dry-run to list)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would change; change nothing"
        )
        parser.add_argument("--today", help="the day to apply the rules on (YYYY-MM-DD)")

    def _fail(self, message: str):
        self.stderr.write(f"error: {message}")
        sys.exit(EXIT_BAD_INPUT)

    def handle(self, *args, dry_run=False, today=None, **options):
        try:
            day = date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            self._fail(f"today: {today!r} is not a date (YYYY-MM-DD)")
        try:
            rules = retention_rules()
        except RetentionRuleError as error:
            self._fail(str(error))
        due = due_cases(today=day, rules=rules)
        verb = "Would anonymise" if dry_run else "Anonymised"
        for item in due:
            if not dry_run:
                case_anonymise(due=item, now=timezone.now())
            self.stdout.write(
                f"{verb} {item.case.reference}: closed {format_date(item.closed_on)},"
                f" rule {item.rule.name} ({item.rule.anonymise_after_years} years)"
            )
        self.stdout.write(f"{verb} {len(due)} case(s) on {format_date(day)}.")
