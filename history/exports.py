"""The case history as PDF: every entry asked for, newest first, a heading per day, the
protective marking on every page. Made as the meeting exports are (meetings.exports:
WeasyPrint from a print template that fetches nothing), and audited with the filters
that chose what it holds.
"""

from dataclasses import dataclass
from itertools import groupby

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from history.entries import CATEGORIES
from history.selectors import HistoryFilters, case_for_history_export, history_entries
from meetings.exports import pdf_from_html
from rules.dates import format_date, format_datetime

CONTENT_TYPE = "application/pdf"


@dataclass(frozen=True)
class HistoryFile:
    filename: str
    content_type: str
    content: bytes


def _filters_text(filters: HistoryFilters) -> str:
    """What the PDF holds, in words, for its first page."""
    parts = []
    if filters.kinds:
        parts.append(", ".join(CATEGORIES[kind] for kind in filters.kinds))
    else:
        parts.append("Everything")
    if filters.since and filters.until:
        parts.append(f"from {format_date(filters.since)} to {format_date(filters.until)}")
    elif filters.since:
        parts.append(f"from {format_date(filters.since)}")
    elif filters.until:
        parts.append(f"up to {format_date(filters.until)}")
    return " ".join(parts)


def history_pdf_file(
    *, actor, context: AuditContext | None, case_id, filters: HistoryFilters
) -> HistoryFile:
    """The case's history as PDF, for anyone who may read the case (else 404)."""
    case = case_for_history_export(actor, case_id)
    entries = history_entries(case, filters)
    now = timezone.now()
    marking = f"{settings.PROTECTIVE_MARKING} – {case.reference}"
    html = render_to_string(
        "history/history_pdf.html",
        {
            "case": case,
            "days": [
                (day, list(group)) for day, group in groupby(entries, lambda e: e.happened_on)
            ],
            "count": len(entries),
            "filters_text": _filters_text(filters),
            "marking": marking,
            "footer": (
                f"{marking} – printed {format_datetime(now)}"
                f" by {actor.get_full_name() or actor.username}"
            ),
            "orientation": "portrait",
        },
    )
    content = pdf_from_html(html)
    audit_record(
        actor=actor,
        event_type=AuditEventType.HISTORY_EXPORTED,
        case=case,
        context=context,
        extra_data={
            "case": str(case.id),
            "format": "pdf",
            "filters": filters.audited(),
            "entries": len(entries),
        },
    )
    filename = f"case-history-{case.reference.lower()}-{timezone.localdate(now):%Y-%m-%d}.pdf"
    return HistoryFile(filename, CONTENT_TYPE, content)
