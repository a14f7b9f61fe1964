from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from accounts.permissions import can_read_case_audit
from audit.models import AuditEventType
from audit.services import audit_record
from cases.selectors import case_for_user


@login_required
def case_audit(request, case_id):
    """Who has read or changed this case. For team and operations managers."""
    case = case_for_user(request.user, case_id)
    if not can_read_case_audit(request.user):
        raise PermissionDenied("Only managers can see who has looked at a case")
    audit_record(
        actor=request.user, event_type=AuditEventType.AUDIT_VIEWED, case=case, request=request
    )
    events = case.audit_events.select_related("actor").order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/case_audit.html", {"case": case, "page_obj": page})
