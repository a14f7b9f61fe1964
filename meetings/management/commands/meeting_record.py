"""python manage.py meeting_record --locality mendip --date 2027-06-10 --format docx --output FILE

Writes a tracking meeting's record (Terms of Reference, Appendix 1) as Word or PDF, as
the meeting page's downloads do; `--date last` takes the locality's latest finalised
meeting. A meeting not yet finalised is marked DRAFT. The export is audited as made from
the command line, by the operating system's user. Bad input: a message naming the field,
exit code 2.
"""

import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Locality
from meetings import exports
from meetings.models import Meeting, MeetingKind, MeetingStatus
from rules.dates import format_date, parse_iso_date
from timeline.management.commands.timeline import _os_user

EXIT_BAD_INPUT = 2
FORMATS = (exports.DOCX, exports.PDF)


def bad(field: str, message: str) -> CommandError:
    return CommandError(f"{field}: {message}", returncode=EXIT_BAD_INPUT)


class Command(BaseCommand):
    help = "Write a tracking meeting's record (Appendix 1) as Word or PDF."

    def add_arguments(self, parser):
        # Checked in handle(), not by argparse, so every bad value exits 2 with its field.
        parser.add_argument("--locality", help="the locality's slug, such as mendip")
        parser.add_argument("--date", help="the meeting's date (YYYY-MM-DD), or last")
        parser.add_argument("--format", help="docx or pdf")
        parser.add_argument("--output", help="the file to write")

    def handle(self, *args, locality=None, date=None, format=None, output=None, **options):
        fmt = (format or "").strip().lower()
        if fmt not in FORMATS:
            raise bad("format", f"give --format docx or pdf, not {format!r}")
        place = self._locality(locality)
        meeting = self._meeting(place, date)
        path = self._output(output)
        export = exports.record_file(
            actor=None, context=None, meeting=meeting, fmt=fmt,
            via=f"command line ({_os_user()}) manage.py meeting_record",
        )  # fmt: skip
        try:
            path.write_bytes(export.content)
        except OSError as error:
            raise bad("output", f"cannot write {path}: {error.strerror}") from error
        draft = " (DRAFT: not finalised)" if not meeting.is_finalised else ""
        self.stdout.write(
            f"Wrote the record of the {place} tracking meeting of {format_date(meeting.date)}"
            f"{draft} to {path} ({len(export.content):,} bytes)"
        )

    def _locality(self, slug: str | None) -> Locality:
        if not slug:
            raise bad("locality", "give --locality SLUG")
        place = Locality.objects.filter(slug=slug.strip().lower()).first()
        if place is None:
            known = ", ".join(Locality.objects.values_list("slug", flat=True))
            raise bad("locality", f"no locality {slug!r} (known: {known})")
        return place

    def _meeting(self, place: Locality, day: str | None) -> Meeting:
        meetings = Meeting.objects.filter(locality=place, kind=MeetingKind.TRACKING).exclude(
            status=MeetingStatus.CANCELLED
        ).select_related("locality", "chair", "finalised_by")  # fmt: skip
        if not day:
            raise bad("date", "give --date YYYY-MM-DD or --date last")
        if day.strip().lower() == "last":
            meeting = (
                meetings.filter(status=MeetingStatus.FINALISED).order_by("-date", "-start_time")
            ).first()
            if meeting is None:
                raise bad("date", f"no finalised tracking meeting in {place} yet")
            return meeting
        try:
            on = parse_iso_date(day.strip())
        except ValueError as error:
            raise bad("date", f"{day!r} is not a date: give YYYY-MM-DD or last") from error
        meeting = meetings.filter(date=on).order_by("start_time").first()
        if meeting is None:
            raise bad("date", f"no tracking meeting in {place} on {format_date(on)}")
        return meeting

    def _output(self, output: str | None) -> Path:
        if not output:
            raise bad("output", "give --output FILE")
        path = Path(output)
        if path.is_dir():
            raise bad("output", f"{path} is a folder: give a file name")
        if not path.parent.is_dir():
            raise bad("output", f"no folder {path.parent}")
        # Checked before the export is made and audited.
        if not os.access(path if path.exists() else path.parent, os.W_OK):
            raise bad("output", f"cannot write {path}: permission denied")
        return path
