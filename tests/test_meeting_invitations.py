"""The chair sends a meeting's invitations from the service: an email to each member with
an address, and the meeting as a calendar invitation that later sendings update. No
family is named in any of it; only the chair of the locality sends; a mail server that
fails records nothing and says so."""

import logging
import os
import subprocess
import sys
from datetime import UTC, date, time, timedelta
from email.mime.base import MIMEBase
from pathlib import Path
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.locmem import EmailBackend as MemoryBackend
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases.models import CscInput
from meetings import invitations, services
from meetings.models import Meeting

ROOT = Path(__file__).resolve().parent.parent
# Second Tuesday of March 2027 (GMT) and of April 2027 (BST: the clocks go forward on
# 28 March 2027).
IN_GMT, IN_BST = date(2027, 3, 9), date(2027, 4, 13)


@pytest.fixture
def helen(named_midwife):
    named_midwife.first_name, named_midwife.last_name = "Helen", "Marsh"
    named_midwife.email = "helen.marsh@example.org"
    named_midwife.job_title = "Named Midwife for Safeguarding"
    named_midwife.save()
    return named_midwife


@pytest.fixture
def jo(make_user):
    user = make_user("jo", RoleCode.OPERATIONS_MANAGER)
    user.email = "jo.whitcombe@example.org"
    user.save()
    return user


@pytest.fixture
def sam(make_user):
    return make_user("sam", RoleCode.NAMED_PHN)  # no email address


@pytest.fixture
def families(make_case, social_worker):
    return [
        make_case(social_worker, given_name="Kerry", family_name="Ashdown"),
        make_case(social_worker, given_name="Lucy", family_name="Brent",
                  csc_input=CscInput.CHILD_PROTECTION),
    ]  # fmt: skip


def _schedule(helen, members, day, repeat=1, **details) -> list[Meeting]:
    fields = {"venue": "Frome Medical Centre, room 2", **details}
    return services.meeting_schedule(
        actor=helen,
        context=None,
        locality=helen.localities.get(slug="mendip"),
        details=services.MeetingDetails(day, time(10), time(12), helen, **fields),
        members=members,
        repeat=repeat,
    )


@pytest.fixture
def meeting(helen, jo, sam, families) -> Meeting:
    return _schedule(helen, [jo, sam], IN_BST)[0]


def _send(client, meeting):
    return client.post(reverse("invitations_send", args=[meeting.id]), follow=True)


def _calendar_of(message) -> Calendar:
    (part,) = [a for a in message.attachments if isinstance(a, MIMEBase)]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") == "REQUEST"
    assert part.get_filename() == f"tracking-meeting-mendip-{IN_BST:%Y-%m-%d}.ics"
    return Calendar.from_ical(part.get_payload(decode=True))


def test_the_chair_sends_one_email_to_each_member_with_an_address(client, helen, meeting):
    client.force_login(helen)

    response = _send(client, meeting)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("meeting_detail", args=[meeting.id])
    assert "govuk-notification-banner--success" in page
    assert "Invitations sent to 2 members. Not sent to Sam Tester: no email address" in page
    assert sorted(m.to[0] for m in mail.outbox) == [
        "Helen Marsh <helen.marsh@example.org>",
        "Jo Tester <jo.whitcombe@example.org>",
    ]
    message = next(m for m in mail.outbox if "jo.whitcombe" in m.to[0])
    assert message.subject == "Pre-birth tracking meeting, Mendip, 13 April 2027"
    assert message.reply_to == ["Helen Marsh <helen.marsh@example.org>"]
    url = f"http://127.0.0.1:8000/meetings/{meeting.id}/"
    for text in (message.body, message.alternatives[0][0]):
        assert "Dear Jo Tester" in text
        assert "13 April 2027" in text and "10am to 12pm" in text
        assert "Frome Medical Centre, room 2" in text
        assert "Helen Marsh, Named Midwife for Safeguarding" in text
        assert url in text
    assert message.alternatives[0][1] == "text/html"
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is not None
    assert (
        "Send the invitations again" in client.get(response.redirect_chain[-1][0]).content.decode()
    )


def test_no_family_is_named_in_the_email_or_the_invitation(client, helen, meeting, families):
    client.force_login(helen)
    _send(client, meeting)

    message = mail.outbox[0]
    everything = "\n".join(
        [message.subject, message.body, message.alternatives[0][0],
         _calendar_of(message).to_ical().decode()]
    )  # fmt: skip
    for case in families:
        for secret in (case.mother.given_name, case.mother.family_name, case.reference,
                       case.mother.nhs_number, str(case.id), case.mother.postcode):  # fmt: skip
            assert secret not in everything, secret
    assert "Unborn baby" not in everything


def test_the_invitation_is_a_calendar_request_for_the_members(client, helen, jo, meeting):
    client.force_login(helen)
    _send(client, meeting)

    calendar = _calendar_of(mail.outbox[0])
    (event,) = calendar.walk("VEVENT")
    assert calendar["METHOD"] == "REQUEST"
    assert event["UID"] == f"{meeting.id}@prebirth-tracker"
    assert event["SEQUENCE"] == 0
    assert str(event["LOCATION"]) == "Frome Medical Centre, room 2"
    assert str(event["URL"]) == f"http://127.0.0.1:8000/meetings/{meeting.id}/"
    assert str(event["ORGANIZER"]) == "mailto:helen.marsh@example.org"
    assert event["ORGANIZER"].params["CN"] == "Helen Marsh"
    attendees = {str(a): a.params["ROLE"] for a in event.get("ATTENDEE")}
    assert attendees == {
        "mailto:helen.marsh@example.org": "CHAIR",
        "mailto:jo.whitcombe@example.org": "REQ-PARTICIPANT",
    }
    assert str(event["SUMMARY"]) == "Pre-birth tracking meeting, Mendip"


def test_times_are_in_london_time_either_side_of_the_clocks_changing(helen, jo, families):
    march, april = _schedule(helen, [jo], IN_GMT, repeat=2)
    assert april.date == IN_BST

    for meeting, utc_hour in ((march, 10), (april, 9)):
        ics = invitations.meeting_ics(meeting)
        assert f"DTSTART;TZID=Europe/London:{meeting.date:%Y%m%d}T100000" in ics.decode()
        calendar = Calendar.from_ical(ics)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        (event,) = calendar.walk("VEVENT")
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (start.hour, end.hour) == (10, 12)
        assert str(start.tzinfo) == "Europe/London"
        assert start.astimezone(UTC).hour == utc_hour
        assert end - start == timedelta(hours=2)


def test_sending_again_updates_the_same_event(client, helen, meeting):
    client.force_login(helen)
    _send(client, meeting)
    first = _calendar_of(mail.outbox[0]).walk("VEVENT")[0]
    mail.outbox.clear()

    _send(client, meeting)

    second = _calendar_of(mail.outbox[0]).walk("VEVENT")[0]
    assert second["UID"] == first["UID"]
    assert (first["SEQUENCE"], second["SEQUENCE"]) == (0, 1)
    assert invitations.times_sent(meeting) == 2
    # "Add to calendar" gives the event as last sent, to file rather than answer.
    download = Calendar.from_ical(invitations.meeting_ics(meeting))
    (event,) = download.walk("VEVENT")
    assert download["METHOD"] == "PUBLISH"
    assert (event["UID"], event["SEQUENCE"]) == (first["UID"], 1)
    assert event.get("ATTENDEE") is None


def test_sending_is_audited_with_the_recipients_not_the_families(
    client, helen, jo, sam, meeting, families
):
    client.force_login(helen)
    _send(client, meeting)

    event = AuditEvent.objects.get(event_type=AuditEventType.INVITATIONS_SENT)
    assert (event.actor, event.case) == (helen, None)
    assert event.extra_data["meeting"] == str(meeting.id)
    assert event.extra_data["recipients"] == sorted([helen.pk, jo.pk])
    assert event.extra_data["without_email"] == [sam.pk]
    assert event.path == reverse("invitations_send", args=[meeting.id])
    assert not any(str(case.id) in str(event.extra_data) for case in families)


def test_the_page_warns_of_members_without_an_address(client, helen, sam, meeting):
    assert [m.user for m in invitations.members_without_email(meeting)] == [sam]
    client.force_login(helen)

    page = client.get(reverse("meeting_detail", args=[meeting.id])).content.decode()

    assert "No email address for Sam Tester: they will not get an invitation" in page
    assert "Invitations not sent yet" in page
    assert f'action="{reverse("invitations_send", args=[meeting.id])}"' in page


@pytest.mark.parametrize("who", ["jo", "sam", "social_worker", "team_manager"])
def test_only_the_chair_sends_invitations(client, meeting, who, request):
    client.force_login(request.getfixturevalue(who))

    response = client.post(reverse("invitations_send", args=[meeting.id]))

    assert response.status_code == 403
    assert not mail.outbox
    assert not AuditEvent.objects.filter(event_type=AuditEventType.INVITATIONS_SENT).exists()
    page = client.get(reverse("meeting_detail", args=[meeting.id])).content.decode()
    assert "Send invitations" not in page


def test_another_localitys_chair_gets_404_and_sends_nothing(client, make_user, meeting):
    elsewhere = make_user("nora", RoleCode.NAMED_MIDWIFE, localities=("sedgemoor",))
    elsewhere.email = "nora@example.org"
    elsewhere.save()
    client.force_login(elsewhere)

    assert client.post(reverse("invitations_send", args=[meeting.id])).status_code == 404
    assert client.get(reverse("meeting_calendar", args=[meeting.id])).status_code == 404
    assert not mail.outbox
    with pytest.raises(PermissionDenied):  # the service refuses as well
        invitations.invitations_send(actor=elsewhere, context=None, meeting=meeting)


def test_sending_needs_a_post_with_the_form_token(helen, meeting):
    client = Client(enforce_csrf_checks=True)
    client.force_login(helen)
    url = reverse("invitations_send", args=[meeting.id])

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    assert not mail.outbox


def test_no_invitations_for_a_finalised_meeting(client, helen, meeting):
    services.meeting_finalise(actor=helen, context=None, meeting=meeting)
    client.force_login(helen)

    assert client.post(reverse("invitations_send", args=[meeting.id])).status_code == 403
    assert not mail.outbox
    page = client.get(reverse("meeting_detail", args=[meeting.id])).content.decode()
    assert "Send invitations" not in page and "Add to calendar" not in page


def test_with_no_address_at_all_nothing_is_sent_and_the_page_says_why(client, helen, sam, meeting):
    helen.email = ""
    helen.save()
    meeting.members.exclude(user__in=[helen, sam]).delete()
    client.force_login(helen)

    page = _send(client, meeting).content.decode()

    assert "No member of this meeting has an email address: nothing was sent" in page
    assert not mail.outbox
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None


class FailsAfterOne(MemoryBackend):
    """Takes one message, then the server goes away."""

    def send_messages(self, messages):
        if mail.outbox:
            raise SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


def test_a_mail_server_failing_midway_records_nothing_and_says_so(
    client, helen, meeting, settings, caplog
):
    settings.EMAIL_BACKEND = f"{__name__}.FailsAfterOne"
    client.force_login(helen)

    with caplog.at_level(logging.ERROR, logger="meetings.invitations"):
        response = _send(client, meeting)

    page = response.content.decode()
    assert response.status_code == 200
    assert "The mail server stopped after 1 of 2 invitations" in page
    assert "govuk-notification-banner--success" not in page
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None
    assert not AuditEvent.objects.filter(event_type=AuditEventType.INVITATIONS_SENT).exists()
    assert f"Invitations for meeting {meeting.id} not sent" in caplog.text
    # Sending again once the server is back sends the same version of the event.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    _send(client, meeting)
    assert {_calendar_of(m).walk("VEVENT")[0]["SEQUENCE"] for m in mail.outbox} == {0}


def test_a_mail_server_that_cannot_be_reached_gives_an_error_not_a_crash(
    client, helen, meeting, settings, unused_port
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", unused_port
    settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = False, 2
    client.force_login(helen)

    page = _send(client, meeting).content.decode()

    assert "The invitations could not be sent: the mail server did not accept them" in page
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_members_and_invited_guests_download_the_meeting(client, jo, guest, meeting, helen):
    url = reverse("meeting_calendar", args=[meeting.id])
    client.force_login(jo)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="tracking-meeting-mendip-{IN_BST:%Y-%m-%d}.ics"'
    )
    (event,) = Calendar.from_ical(response.content).walk("VEVENT")
    assert event["UID"] == f"{meeting.id}@prebirth-tracker"
    client.force_login(guest)
    assert client.get(url).status_code == 404  # not invited
    services.attendance_record(actor=helen, context=None, meeting=meeting, attendance={},
                               guests=[guest])  # fmt: skip
    assert client.get(url).status_code == 200


def test_people_without_a_meeting_role_cannot_download_it(client, social_worker, analyst, meeting):
    for user in (social_worker, analyst):
        client.force_login(user)
        assert client.get(reverse("meeting_calendar", args=[meeting.id])).status_code == 403
    client.logout()
    response = client.get(reverse("meeting_calendar", args=[meeting.id]))
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def _settings_in(env: dict, code: str, tmp_path) -> subprocess.CompletedProcess:
    full = {**os.environ, "PREBIRTH_VAR_DIR": str(tmp_path), **env}
    full.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-c",
         f"import django; django.setup(); from django.conf import settings as s; {code}"],
        cwd=ROOT, env={**full, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True, text=True, check=False,
    )  # fmt: skip


PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
    "ALLOWED_HOSTS": "prebirth.example.org",
    "DOCUMENTS_SCANNER": "tcp://127.0.0.1:3310",
}


def test_email_goes_by_smtp_in_production_from_the_environment(tmp_path):
    env = {
        **PRODUCTION,
        "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": "2525",
        "EMAIL_HOST_USER": "tracker",
        "EMAIL_HOST_PASSWORD": "pw",
        "EMAIL_USE_TLS": "no",
    }
    names = ("EMAIL_BACKEND", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_USE_TLS",
             "EMAIL_TIMEOUT", "DEFAULT_FROM_EMAIL", "SERVICE_URL")  # fmt: skip
    code = f"print(*(getattr(s, n) for n in {names!r}), sep='|')"

    result = _settings_in(env, code, tmp_path)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().split("|") == [
        "django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "2525", "tracker",
        "False", "20", "Pre-birth Tracker <no-reply@prebirth.example.org>",
        "https://prebirth.example.org",
    ]  # fmt: skip
    development = _settings_in({"DJANGO_ENV": "development"}, "print(s.EMAIL_BACKEND)", tmp_path)
    assert development.stdout.strip() == "django.core.mail.backends.console.EmailBackend"


def test_bad_email_settings_stop_the_service_naming_the_variable(tmp_path):
    bad = [
        ({"EMAIL_PORT": "twenty-five"}, "EMAIL_PORT"),
        ({"EMAIL_BACKEND": "carrier-pigeon"}, "EMAIL_BACKEND"),
        ({**PRODUCTION, "SERVICE_URL": "http://plain.example.org"}, "SERVICE_URL"),
        ({**PRODUCTION, "ALLOWED_HOSTS": "*"}, "DEFAULT_FROM_EMAIL"),
    ]
    for env, variable in bad:
        result = _settings_in(env, "print(s.EMAIL_BACKEND)", tmp_path)
        assert result.returncode != 0 and variable in result.stderr, (env, result.stderr[-300:])


def test_tests_keep_email_in_memory(settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
