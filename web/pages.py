"""Rendering a page that shows a case: the read is audited as the page is rendered.

Every case page renders through here, so no page can show a case's data without
an audit row saying who saw it, when and from where. Pages that list cases record
which cases they showed.
"""

from collections.abc import Iterable

from django.shortcuts import render

from audit.models import AuditEventType
from audit.services import audit_record


def render_case_page(
    request, case, template: str, context: dict, *, event=AuditEventType.CASE_VIEWED
):
    audit_record(actor=request.user, event_type=event, case=case, request=request)
    return render(request, template, {"case": case, "nav": "cases", **context})


def audit_case_list(request, page: str, case_ids: Iterable, filters: dict) -> None:
    """Who saw which cases in a list or dashboard, with the filters that chose them."""
    audit_record(
        actor=request.user,
        event_type=AuditEventType.CASE_LIST_VIEWED,
        request=request,
        extra_data={
            "page": page,
            "filters": {k: v for k, v in filters.items() if v},
            "case_ids": sorted({str(case_id) for case_id in case_ids}),
        },
    )
