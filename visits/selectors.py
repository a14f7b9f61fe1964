"""Visits and case notes: every read, scoped to what the user may see.

The case comes from cases.selectors.case_for_user (a 404 outside the user's scope, and
the read audited); a visit is looked up only on a case the user has been given.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from audit.services import AuditContext
from cases.models import Case
from cases.selectors import case_for_user
from visits.models import CaseNote, NoteKind, Visit

RECENT = 3


@dataclass(frozen=True)
class VisitsAndNotes:
    case: Case
    visits: list[Visit]
    notes: list[CaseNote]


def _visits(case: Case):
    return Visit.objects.filter(case=case).select_related("recorded_by", "withdrawn_by")


def _notes(case: Case):
    return CaseNote.objects.filter(case=case).select_related("author", "withdrawn_by")


def visits_and_notes(user, case_id, *, context: AuditContext | None) -> VisitsAndNotes:
    """Every visit (withdrawn ones too, marked) and every note of a case, newest first."""
    case = case_for_user(user, case_id, context=context)
    return VisitsAndNotes(case=case, visits=list(_visits(case)), notes=list(_notes(case)))


def recent_visits_and_notes(case: Case, limit: int = RECENT) -> tuple[list[Visit], list[CaseNote]]:
    """The latest few of each, for a case page the user has already been given (its read
    is audited there). Two queries, whatever the case holds."""
    visits = list(_visits(case).filter(withdrawn_at__isnull=True)[:limit])
    return visits, list(_notes(case).filter(withdrawn_at__isnull=True)[:limit])


def visit_of(case: Case, visit_id) -> Visit:
    """A visit of a case the user has already been given (by case_for_user), else 404."""
    visit = _visits(case).filter(pk=visit_id).first()
    if visit is None:
        raise Http404("No such visit")
    visit.case = case
    return visit


def note_of(case: Case, note_id) -> CaseNote:
    """A note of a case the user has already been given (by case_for_user), else 404."""
    note = _notes(case).filter(pk=note_id).first()
    if note is None:
        raise Http404("No such note")
    note.case = case
    return note


def last_supervision_notes(case_ids: Iterable[Any], *, on: date) -> dict[Any, dict[str, date]]:
    """Case id -> agency -> the day of its latest supervision note about a day on or
    before `on` (not withdrawn): for the tracking meeting, whose cases the reader has
    already been given. One query, however many cases."""
    # A note without `on` is about the London day it was written: before the next day.
    next_day = datetime.combine(
        on + timedelta(days=1), time(0), tzinfo=timezone.get_current_timezone()
    )
    notes = CaseNote.objects.filter(
        Q(on__lte=on) | Q(on__isnull=True, written_at__lt=next_day),
        case_id__in=list(case_ids), kind=NoteKind.SUPERVISION, withdrawn_at__isnull=True,
    ).only("case_id", "agency", "on", "written_at")  # fmt: skip
    latest: dict[Any, dict[str, date]] = defaultdict(dict)
    for note in notes:
        day = note.about
        if day > latest[note.case_id].get(note.agency, date.min):
            latest[note.case_id][note.agency] = day
    return dict(latest)
