"""Visits and case notes: every read, scoped to what the user may see.

The case comes from cases.selectors.case_for_user (a 404 outside the user's scope, and
the read audited); a visit is looked up only on a case the user has been given.
"""

from dataclasses import dataclass

from django.http import Http404

from audit.services import AuditContext
from cases.models import Case
from cases.selectors import case_for_user
from visits.models import CaseNote, Visit

RECENT = 3


@dataclass(frozen=True)
class VisitsAndNotes:
    case: Case
    visits: list[Visit]
    notes: list[CaseNote]


def _visits(case: Case):
    return Visit.objects.filter(case=case).select_related("recorded_by", "withdrawn_by")


def _notes(case: Case):
    return CaseNote.objects.filter(case=case).select_related("author")


def visits_and_notes(user, case_id, *, context: AuditContext | None) -> VisitsAndNotes:
    """Every visit (withdrawn ones too, marked) and every note of a case, newest first."""
    case = case_for_user(user, case_id, context=context)
    return VisitsAndNotes(case=case, visits=list(_visits(case)), notes=list(_notes(case)))


def recent_visits_and_notes(case: Case, limit: int = RECENT) -> tuple[list[Visit], list[CaseNote]]:
    """The latest few of each, for a case page the user has already been given (its read
    is audited there). Two queries, whatever the case holds."""
    visits = list(_visits(case).filter(withdrawn_at__isnull=True)[:limit])
    return visits, list(_notes(case)[:limit])


def visit_of(case: Case, visit_id) -> Visit:
    """A visit of a case the user has already been given (by case_for_user), else 404."""
    visit = _visits(case).filter(pk=visit_id).first()
    if visit is None:
        raise Http404("No such visit")
    visit.case = case
    return visit
