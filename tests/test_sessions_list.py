"""Where you are signed in: each of your sessions, and a way to end the others; a
session ended elsewhere is signed out on its next request and says why."""

from django.test import Client
from django.urls import reverse

from accounts.models import SignIn
from audit.models import AuditEvent, AuditEventType
from tests.conftest import sign_in_with_code

PHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15"
    " Version/17.0 Mobile/15E148 Safari/604.1"
)
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


def browser(user, agent, address):
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    sign_in_with_code(client, user)
    return client


def test_a_worker_sees_each_browser_she_is_signed_in_on(social_worker):
    laptop = browser(social_worker, LAPTOP, "192.0.2.10")
    browser(social_worker, PHONE, "198.51.100.20")

    page = laptop.get(reverse("sessions"))

    rows = page.context["rows"]
    assert sorted((r["browser"], r["current"]) for r in rows) == [
        ("Chrome on Windows", True),
        ("Safari on iPhone", False),
    ]
    content = page.content.decode()
    assert "198.51.100.20" in content and "192.0.2.10" in content
    assert content.count('name="sign_in"') == 1  # only the other one can be signed out here


def test_ending_another_session_signs_it_out_with_a_reason_and_is_audited(social_worker):
    laptop = browser(social_worker, LAPTOP, "192.0.2.10")
    phone = browser(social_worker, PHONE, "198.51.100.20")
    other = SignIn.objects.get(user_agent=PHONE)

    response = laptop.post(reverse("sessions"), {"sign_in": str(other.id)})

    assert response.status_code == 302
    refused = phone.get(reverse("my_work"))
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("login") + "?ended=elsewhere")
    assert "ended from another device" in phone.get(refused["Location"]).content.decode()
    assert laptop.get(reverse("my_work")).status_code == 200
    row = AuditEvent.objects.get(event_type=AuditEventType.SESSION_ENDED)
    assert row.actor == social_worker and row.extra_data["sign_ins"] == [str(other.id)]


def test_no_one_can_end_someone_else_s_session_or_their_own_current_one(
    social_worker, team_manager
):
    mine = browser(social_worker, LAPTOP, "192.0.2.10")
    theirs = browser(team_manager, PHONE, "198.51.100.20")
    their_sign_in = SignIn.objects.get(user=team_manager)
    my_sign_in = SignIn.objects.get(user=social_worker)

    assert mine.post(reverse("sessions"), {"sign_in": str(their_sign_in.id)}).status_code == 404
    assert mine.post(reverse("sessions"), {"sign_in": str(my_sign_in.id)}).status_code == 404
    assert mine.post(reverse("sessions"), {"sign_in": "not-an-id"}).status_code == 404
    assert theirs.get(reverse("my_work")).status_code == 200
    assert mine.get(reverse("my_work")).status_code == 200


def test_sign_out_everywhere_else(social_worker):
    laptop = browser(social_worker, LAPTOP, "192.0.2.10")
    others = [browser(social_worker, PHONE, f"198.51.100.{n}") for n in (1, 2)]

    laptop.post(reverse("sessions"), {"sign_in": "all-others"})

    assert all(c.get(reverse("my_work")).status_code == 302 for c in others)
    assert laptop.get(reverse("my_work")).status_code == 200
    assert len(laptop.get(reverse("sessions")).context["rows"]) == 1


def test_signing_out_ends_the_sign_in(social_worker):
    laptop = browser(social_worker, LAPTOP, "192.0.2.10")

    laptop.post(reverse("logout"))

    assert SignIn.objects.get(user=social_worker).ended_at is not None
