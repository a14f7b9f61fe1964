"""A case's access log as CSV and PDF: every row the filters choose (not only the page
shown), newest first. The CSV's cells are made safe to open in a spreadsheet
(rules.csv_safety); the PDF is made as the other exports are (meetings.exports). Each
download is audited with the filters that chose what it holds.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from cases.models import Case
from dataprotection.selectors import (
    AccessEntry,
    AccessFilters,
    access_log_entries,
    people_in_log,
    require_officer,
)
from meetings.exports import pdf_from_html
from rules.csv_safety import safe_row
from rules.dates import format_date, format_datetime

CSV_COLUMNS = (
    "When",
    "Name",
    "Username",
    "Role and agency",
    "What",
    "Page",
    "IP address",
    "Address in the service",
)


@dataclass(frozen=True)
class AccessLogFile:
    filename: str
    content_type: str
    content: bytes


def filters_text(filters: AccessFilters, person_name: str = "") -> str:
    """What the download holds, in words."""
    parts = ["Everything"]
    if filters.since and filters.until:
        parts.append(f"from {format_date(filters.since)} to {format_date(filters.until)}")
    elif filters.since:
        parts.append(f"from {format_date(filters.since)}")
    elif filters.until:
        parts.append(f"up to {format_date(filters.until)}")
    if person_name:
        parts.append(f"by {person_name}")
    return " ".join(parts)


def _person_name(case: Case, filters: AccessFilters) -> str:
    if not filters.person:
        return ""
    person = people_in_log(case).filter(pk=filters.person).first()
    return (person.get_full_name() or person.username) if person else ""


def _audited(actor, context, case: Case, filters: AccessFilters, export_format: str, rows: int):
    audit_record(
        actor=actor,
        event_type=AuditEventType.ACCESS_LOG_EXPORTED,
        case=case,
        context=context,
        extra_data={"format": export_format, "filters": filters.audited(), "rows": rows},
    )


def csv_rows(entries: list[AccessEntry]) -> list[list[str]]:
    rows = [list(CSV_COLUMNS)]
    rows += [
        safe_row(
            [
                format_datetime(entry.at),
                entry.name,
                entry.username,
                entry.role,
                entry.what,
                entry.page,
                entry.ip_address,
                entry.path,
            ]
        )
        for entry in entries
    ]
    return rows


def access_log_csv(
    *, actor, context: AuditContext | None, case: Case, filters: AccessFilters
) -> AccessLogFile:
    """The case from case_for_officer."""
    require_officer(actor)
    entries = access_log_entries(case, filters)
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads the file as UTF-8 only with a byte order mark
    csv.writer(buffer).writerows(csv_rows(entries))
    _audited(actor, context, case, filters, "csv", len(entries))
    return AccessLogFile(
        f"access-log-{case.reference}.csv", "text/csv; charset=utf-8", buffer.getvalue().encode()
    )


def access_log_pdf(
    *, actor, context: AuditContext | None, case: Case, filters: AccessFilters
) -> AccessLogFile:
    """The case from case_for_officer."""
    require_officer(actor)
    entries = access_log_entries(case, filters)
    now = timezone.now()
    marking = f"{settings.PROTECTIVE_MARKING} – {case.reference}"
    html = render_to_string(
        "dataprotection/access_log_pdf.html",
        {
            "case": case,
            "entries": entries,
            "filters_text": filters_text(filters, _person_name(case, filters)),
            "marking": marking,
            "footer": (
                f"{marking} – printed {format_datetime(now)}"
                f" by {actor.get_full_name() or actor.username}"
            ),
            "orientation": "landscape",
        },
    )
    content = pdf_from_html(html)
    _audited(actor, context, case, filters, "pdf", len(entries))
    return AccessLogFile(f"access-log-{case.reference}.pdf", "application/pdf", content)
