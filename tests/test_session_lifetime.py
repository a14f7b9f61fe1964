"""A session ends after 30 idle minutes, after 10 hours however busy, and says why; a
signed-in page carries the timeout warning, whose "Stay signed in" renews the session.
(The warning itself, in a browser: tests/browser/test_timeout_warning.py.)"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent, AuditEventType
from tests.conftest import sign_in_with_code

START = datetime(2027, 3, 1, 8, 0, tzinfo=ZoneInfo("Europe/London"))


def sign_in(client, username="priya"):
    response = sign_in_with_code(client, User.objects.get(username=username))
    assert response.status_code == 302
    return response


def test_the_defaults_are_30_idle_minutes_and_10_hours_in_all():
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 10 * 60 * 60


def test_30_idle_minutes_end_the_session_and_activity_keeps_it(client, social_worker):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        clock.move_to(START + timedelta(minutes=29))
        assert client.get(reverse("my_work")).status_code == 200  # renews it
        clock.move_to(START + timedelta(minutes=58))
        assert client.get(reverse("my_work")).status_code == 200
        clock.move_to(START + timedelta(minutes=58 + 31))

        response = client.get(reverse("my_work"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_ten_hours_end_even_a_busy_session_with_a_reason_and_an_audited_sign_out(
    client, social_worker
):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        for quarter in range(1, 40):  # every 15 minutes for 9 hours 45 minutes
            clock.move_to(START + timedelta(minutes=15 * quarter))
            assert client.get(reverse("my_work")).status_code == 200
        clock.move_to(START + timedelta(hours=10))

        response = client.get(reverse("case_list") + "?q=Ash")

    assert response.status_code == 302
    assert response["Location"] == (reverse("login") + "?ended=lifetime&next=%2Fcases%2F%3Fq%3DAsh")
    assert AuditEvent.objects.filter(event_type=AuditEventType.SIGNED_OUT).count() == 1
    assert client.get(reverse("my_work")).status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "because you had been signed in for 10 hours" in page


def test_the_sign_in_page_says_why_only_for_the_reasons_it_knows(client, db):
    idle = client.get(reverse("login") + "?ended=idle").content.decode()
    other = client.get(reverse("login") + "?ended=<script>").content.decode()

    assert "because you had not done anything for 30 minutes" in idle
    assert 'id="signed-out-because"' not in other
    assert "<script>" not in other.split("<main", 1)[1]


def test_stay_signed_in_renews_the_session(client, social_worker):
    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        clock.move_to(START + timedelta(minutes=29))
        assert client.post(reverse("session_keep_alive")).status_code == 204
        clock.move_to(START + timedelta(minutes=55))

        assert client.get(reverse("my_work")).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_keep_alive_is_a_post_for_the_signed_in_only(client, social_worker, method):
    response = getattr(client, method)(reverse("session_keep_alive"))
    assert response.status_code == 302  # to sign in, whatever the method

    client.force_login(social_worker)
    response = getattr(client, method)(reverse("session_keep_alive"))
    assert response.status_code == (204 if method == "post" else 405)


def test_signed_in_pages_carry_the_timeout_warning_with_the_servers_timings(
    client, social_worker, settings
):
    settings.SESSION_WARNING_SECONDS = 90
    with time_machine.travel(START, tick=False):  # a slow page must not make it 1799
        client.force_login(social_worker)
        page = client.get(reverse("my_work")).content.decode()
    signed_out = client.post(reverse("logout"))

    assert 'id="app-timeout-warning"' in page
    assert 'data-idle-seconds="1800"' in page and 'data-warning-seconds="90"' in page
    assert signed_out.status_code == 302
    assert 'id="app-timeout-warning"' not in client.get(reverse("login")).content.decode()


def test_pages_renew_the_session_once_a_minute_and_the_warning_counts_from_then(
    client, social_worker, settings
):
    """Not a database write on every page: a page inside a minute of the last renewal
    leaves the session as it was, and its timeout warning counts from that renewal."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes(path):
        with CaptureQueriesContext(connection) as captured:
            page = client.get(path).content.decode()
        writes = [
            q["sql"] for q in captured if q["sql"].startswith("UPDATE") and "session" in q["sql"]
        ]
        return writes, page

    with time_machine.travel(START, tick=False) as clock:
        sign_in(client)
        clock.move_to(START + timedelta(seconds=40))
        quiet, page = session_writes(reverse("my_work"))
        assert quiet == []
        assert 'data-idle-seconds="1760"' in page
        clock.move_to(START + timedelta(seconds=61))
        renewed, page = session_writes(reverse("my_work"))
        assert len(renewed) == 1
        assert 'data-idle-seconds="1800"' in page
        # Idle for 29 minutes 30 seconds after the renewal at 61 seconds: still signed in.
        clock.move_to(START + timedelta(seconds=61 + 29 * 60 + 30))
        assert client.get(reverse("my_work")).status_code == 200
