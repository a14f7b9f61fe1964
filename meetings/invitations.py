"""Invitations to a tracking meeting: the chair sends them from the service (Terms of
Reference 5, "organisation of meetings ... sending invitations").

One email to each member with an address: plain text with an HTML alternative, and the
meeting as an iCalendar invitation (RFC 5545; METHOD:REQUEST, RFC 5546) that a calendar
files as a meeting request. An email says when and where, who chairs, and links to the
meeting's page; it never names a family or gives case detail: those are read in the
service, where each read is audited.

Each sending is one INVITATIONS_SENT audit row, which is also the count the calendar
event's SEQUENCE comes from: the first sending is 0 and each one after it one more, and
the event keeps its UID, so a calendar replaces the earlier event instead of adding a
second one. "Add to calendar" gives the same event, as METHOD:PUBLISH (an event to file,
not a request to answer).
"""

import logging
from datetime import datetime, timedelta
from email.mime.text import MIMEText
from email.utils import formataddr, parseaddr
from smtplib import SMTPException
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress

from audit.models import AuditEvent, AuditEventType
from audit.services import AuditContext, audit_record
from meetings.models import Meeting, MeetingMember, MeetingStatus, MemberRole
from meetings.services import require_chair
from rules.dates import format_date, format_time

logger = logging.getLogger(__name__)

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
REQUEST, PUBLISH = "REQUEST", "PUBLISH"
PRODID = "-//Pre-birth Tracker//Tracking meetings//EN"
LONDON = ZoneInfo("Europe/London")
NOT_SCHEDULED = "Invitations are only sent for a meeting still to be held: this one is {status}"
NO_ADDRESSES = "No member of this meeting has an email address: nothing was sent"


class InvitationsNotSent(Exception):
    """The mail server refused or could not be reached. Nothing was recorded: the chair
    sends again, and as the SEQUENCE did not move on, anyone who did get one gets the same
    invitation again rather than a second event."""

    def __init__(self, *, sent: int, total: int):
        self.sent, self.total = sent, total
        if sent:
            text = (
                f"The mail server stopped after {sent} of {total} invitations. Nothing has"
                " been recorded as sent: send the invitations again in a few minutes."
            )
        else:
            text = (
                "The invitations could not be sent: the mail server did not accept them."
                " Nothing was sent. Try again in a few minutes."
            )
        super().__init__(text)


def without_email(members: list[MeetingMember]) -> list[MeetingMember]:
    """The members no invitation can reach."""
    return [member for member in members if not member.user.email.strip()]


def members_without_email(meeting: Meeting) -> list[MeetingMember]:
    return without_email(list(meeting.members.select_related("user")))


def times_sent(meeting: Meeting) -> int:
    return AuditEvent.objects.filter(
        event_type=AuditEventType.INVITATIONS_SENT, extra_data__meeting=str(meeting.id)
    ).count()


def meeting_url(meeting: Meeting) -> str:
    return settings.SERVICE_URL + reverse("meeting_detail", kwargs={"meeting_id": meeting.id})


def subject(meeting: Meeting) -> str:
    """ "Pre-birth tracking meeting, Mendip, 10 June 2027"."""
    return f"{meeting.get_kind_display()}, {meeting.locality}, {format_date(meeting.date)}"


def ics_filename(meeting: Meeting) -> str:
    return f"{meeting.kind}-meeting-{meeting.locality.slug}-{meeting.date:%Y-%m-%d}.ics"


def _start_end(meeting: Meeting) -> tuple[datetime, datetime]:
    return (
        datetime.combine(meeting.date, meeting.start_time, tzinfo=LONDON),
        datetime.combine(meeting.date, meeting.end_time, tzinfo=LONDON),
    )


def _address(user, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{user.email.strip()}")
    address.params["CN"] = user.get_full_name() or user.username
    if role is not None:
        address.params["ROLE"] = role
        address.params["PARTSTAT"] = "NEEDS-ACTION"
        address.params["RSVP"] = "FALSE"
    return address


def _organizer(chair) -> vCalAddress:
    if chair.email.strip():
        return _address(chair)
    # RFC 5546 needs an organiser: the service's own address, in the chair's name.
    address = vCalAddress(f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}")
    address.params["CN"] = chair.get_full_name() or chair.username
    return address


def _description(meeting: Meeting) -> str:
    lines = [f"Chair: {meeting.chair.get_full_name()}"]
    if meeting.online_link:
        lines.append(f"Join online: {meeting.online_link}")
    lines.append(f"The families to discuss are on the meeting's page: {meeting_url(meeting)}")
    return "\n".join(lines)


def meeting_ics(
    meeting: Meeting,
    *,
    method: str = PUBLISH,
    sequence: int | None = None,
    members: list[MeetingMember] | None = None,
) -> bytes:
    """The meeting as an iCalendar file: one VEVENT in Europe/London time, whose UID is
    the meeting's for good. A REQUEST lists the members with an address as attendees;
    `sequence` defaults to that of the invitations last sent."""
    start, end = _start_end(meeting)
    if sequence is None:
        sequence = max(times_sent(meeting) - 1, 0)
    event = Event()
    event.add("uid", f"{meeting.id}@prebirth-tracker")
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", f"{meeting.get_kind_display()}, {meeting.locality}")
    event.add("location", meeting.venue or f"Online: {meeting.online_link}")
    event.add("url", meeting_url(meeting))
    event.add("description", _description(meeting))
    event.add("status", "CANCELLED" if meeting.status == MeetingStatus.CANCELLED else "CONFIRMED")
    event.add("organizer", _organizer(meeting.chair))
    if method == REQUEST:
        for member in members if members is not None else meeting.members.select_related("user"):
            if member.user.email.strip():
                role = "OPT-PARTICIPANT" if member.role == MemberRole.GUEST else "REQ-PARTICIPANT"
                if member.role == MemberRole.CHAIR:
                    role = "CHAIR"
                event.add("attendee", _address(member.user, role))
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add_component(event)
    # The zone's definition for the year around the meeting: enough to place it, short.
    calendar.add_missing_timezones(
        first_date=meeting.date - timedelta(days=366), last_date=meeting.date + timedelta(days=366)
    )
    return calendar.to_ical()


def _email(meeting: Meeting, member: MeetingMember, ics: bytes) -> EmailMultiAlternatives:
    start, end = _start_end(meeting)
    context = {
        "meeting": meeting,
        "name": member.user.get_full_name() or member.user.username,
        "date": format_date(meeting.date),
        "time": f"{format_time(start)} to {format_time(end)}",
        "chair": meeting.chair.get_full_name(),
        "chair_title": meeting.chair.job_title,
        "url": meeting_url(meeting),
        "service_name": settings.SERVICE_NAME,
    }
    chair_email = meeting.chair.email.strip()
    message = EmailMultiAlternatives(
        subject=subject(meeting),
        body=render_to_string("meetings/email/invitation.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[formataddr((context["name"], member.user.email.strip()))],
        reply_to=[formataddr((context["chair"], chair_email))] if chair_email else None,
    )
    message.attach_alternative(
        render_to_string("meetings/email/invitation.html", context), "text/html"
    )
    invitation = MIMEText(ics.decode(), "calendar", "utf-8")
    invitation.set_param("method", REQUEST)
    invitation.add_header("Content-Disposition", "attachment", filename=ics_filename(meeting))
    message.attach(invitation)
    return message


def invitations_send(*, actor, context: AuditContext | None, meeting: Meeting) -> int:
    """Email the invitation to every member with an address; returns how many were sent.

    The mail is sent before anything is written, outside a transaction (a slow mail server
    must not hold the database), and only a complete sending is recorded: the time on the
    meeting and one audit row naming the recipients by user id. A mail-server failure
    records nothing and raises InvitationsNotSent."""
    require_chair(actor, meeting)
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PermissionDenied(NOT_SCHEDULED.format(status=meeting.get_status_display().lower()))
    members = list(meeting.members.select_related("user"))
    recipients = [member for member in members if member.user.email.strip()]
    if not recipients:
        raise ValidationError(NO_ADDRESSES, code="no_addresses")
    sequence = times_sent(meeting)
    ics = meeting_ics(meeting, method=REQUEST, sequence=sequence, members=members)
    emails = [_email(meeting, member, ics) for member in recipients]
    sent = 0
    try:
        with get_connection(fail_silently=False) as connection:
            for email in emails:
                sent += connection.send_messages([email]) or 0
    except (SMTPException, OSError) as error:
        logger.error(
            "Invitations for meeting %s not sent: the mail server failed after %d of %d (%s)",
            meeting.id, sent, len(emails), error,
        )  # fmt: skip
        raise InvitationsNotSent(sent=sent, total=len(emails)) from error
    with transaction.atomic():
        meeting.invitations_sent_at = timezone.now()
        meeting.save(update_fields=["invitations_sent_at"])
        audit_record(
            actor=actor,
            event_type=AuditEventType.INVITATIONS_SENT,
            context=context,
            extra_data={
                "meeting": str(meeting.id),
                "meeting_date": meeting.date.isoformat(),
                "sequence": sequence,
                "recipients": sorted(member.user_id for member in recipients),
                "without_email": sorted(m.user_id for m in members if m not in recipients),
            },
        )
    return len(emails)
