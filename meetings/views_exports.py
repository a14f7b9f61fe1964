"""Downloads of a tracking meeting's record (Appendix 1, Word and PDF), its pack as PDF,
and the page of case notes for each agency's records (Appendix 2; ToR 6.6).

Only the meeting readers of the meeting's locality (accounts.permissions) export: a
guest sees the meeting page, not its exports. A meeting of another locality, or a family
not in this meeting, is a 404. Every export is audited by meetings.exports.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render

from accounts.permissions import can_read_meetings
from meetings import exports
from meetings.selectors import meeting_for_user
from web.pages import audit_context


def _exported_meeting(request, meeting_id):
    if not can_read_meetings(request.user):
        raise PermissionDenied("A meeting's record is exported by its members and managers")
    # Not audited as a view: the export writes its own row, with what it contained.
    return meeting_for_user(request.user, meeting_id, context=None, audit=False)


def _download(export: exports.ExportFile) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _record(request, meeting_id, fmt: str) -> HttpResponse:
    meeting = _exported_meeting(request, meeting_id)
    return _download(
        exports.record_file(
            actor=request.user, context=audit_context(request), meeting=meeting, fmt=fmt
        )
    )


@login_required
def record_docx(request, meeting_id):
    return _record(request, meeting_id, exports.DOCX)


@login_required
def record_pdf(request, meeting_id):
    return _record(request, meeting_id, exports.PDF)


@login_required
def pack_pdf(request, meeting_id):
    meeting = _exported_meeting(request, meeting_id)
    return _download(
        exports.pack_file(actor=request.user, context=audit_context(request), meeting=meeting)
    )


@login_required
def case_note_docx(request, meeting_id, discussion_id):
    meeting = _exported_meeting(request, meeting_id)
    return _download(
        exports.case_note_file(
            actor=request.user,
            context=audit_context(request),
            meeting=meeting,
            discussion_id=discussion_id,
        )
    )


@login_required
def case_notes(request, meeting_id):
    meeting = _exported_meeting(request, meeting_id)
    record, families = exports.case_notes_page(
        actor=request.user, context=audit_context(request), meeting=meeting
    )
    return render(
        request,
        "meetings/exports/case_notes.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "record": record,
            "families": families,
            "heading": exports.CASE_NOTE_HEADING,
        },
    )
