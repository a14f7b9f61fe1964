"""Rendering a page that shows a case: the read is audited as the page is rendered.

Every case page renders through here, so no page can show a case's data without
an audit row saying who saw it, when and from where.
"""

from django.shortcuts import render

from audit.models import AuditEventType
from audit.services import audit_record


def render_case_page(
    request, case, template: str, context: dict, *, event=AuditEventType.CASE_VIEWED
):
    audit_record(actor=request.user, event_type=event, case=case, request=request)
    return render(request, template, {"case": case, "nav": "cases", **context})
