from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from accounts.permissions import can_read_case_audit
from audit.models import AuditEventType
from cases.selectors import case_for_user
from web.pages import render_case_page


@login_required
def case_audit(request, case_id):
    """Who has read or changed this case. For team and operations managers."""
    case = case_for_user(request.user, case_id)
    if not can_read_case_audit(request.user):
        raise PermissionDenied("Only managers can see who has looked at a case")
    events = case.audit_events.select_related("actor").order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    # Read the rows before this view is itself recorded, so the count and rows agree.
    page.object_list = list(page.object_list)
    return render_case_page(
        request,
        case,
        "audit/case_audit.html",
        {"page_obj": page},
        event=AuditEventType.AUDIT_VIEWED,
    )
