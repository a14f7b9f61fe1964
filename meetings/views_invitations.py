"""Sending a meeting's invitations, and "Add to calendar" (meetings.invitations)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.permissions import can_chair_meetings, can_read_meetings
from meetings import invitations
from meetings.selectors import meeting_for_user
from web.pages import audit_context
from web.templatetags.govuk import counted


@login_required
@require_POST
def invitations_send(request, meeting_id):
    if not can_chair_meetings(request.user):
        raise PermissionDenied("Only the chair sends a meeting's invitations")
    # The meeting's when and where only: no family is read, so no read is audited.
    meeting = meeting_for_user(request.user, meeting_id, context=None, audit=False)
    try:
        sent = invitations.invitations_send(
            actor=request.user, context=audit_context(request), meeting=meeting
        )
    except invitations.InvitationsNotSent as failure:
        messages.error(request, str(failure))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        text = f"Invitations sent to {counted(sent, 'member')}"
        missing = invitations.members_without_email(meeting)
        if missing:
            names = ", ".join(member.user.get_full_name() for member in missing)
            text += f". Not sent to {names}: no email address"
        messages.success(request, text)
    return redirect(reverse("meeting_detail", kwargs={"meeting_id": meeting.id}))


@login_required
@require_GET
def meeting_calendar(request, meeting_id):
    """The meeting as an .ics file, for anyone who can see the meeting."""
    if not (can_read_meetings(request.user) or request.user.has_role("guest")):
        raise PermissionDenied("Tracking meetings are for the meeting's members and managers")
    meeting = meeting_for_user(request.user, meeting_id, context=None, audit=False)
    response = HttpResponse(invitations.meeting_ics(meeting),
                            content_type=invitations.ICS_CONTENT_TYPE)  # fmt: skip
    response["Content-Disposition"] = f'attachment; filename="{invitations.ics_filename(meeting)}"'
    return response
