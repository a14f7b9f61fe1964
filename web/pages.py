"""What every page showing a case shares: its audit context, and how it is rendered.

Reads are audited by the selectors (cases.selectors, timeline.selectors,
dashboards.selectors) as they return case data, not here.
"""

from django.shortcuts import render

from audit.services import AuditContext


def audit_context(request) -> AuditContext:
    """Where this request came from, for the audit rows of what it reads and changes."""
    return AuditContext.from_request(request)


def render_case_page(request, case, template: str, context: dict):
    return render(request, template, {"case": case, "nav": "cases", **context})
