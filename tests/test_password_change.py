"""A signed-in person changes their own password, giving the current one: GOV.UK errors
that keep nothing secret, an audit row, and every other session of theirs ended."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from audit.models import AuditEvent, AuditEventType
from tests.conftest import PASSWORD, sign_in_code

NEW = "a-new-long-passphrase-for-priya"


def change(client, current=PASSWORD, new=NEW, again=NEW):
    return client.post(reverse("password_change"), {
        "old_password": current, "new_password1": new, "new_password2": again,
    })  # fmt: skip


def sign_in(client, password=PASSWORD) -> bool:
    """The password, then (if it was right) the code from the app."""
    response = client.post(reverse("login"), {"username": "priya", "password": password})
    if response.status_code != 302:
        return False
    code = sign_in_code(User.objects.get(username="priya"))
    return client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302


def signs_in(password: str) -> bool:
    return sign_in(Client(), password)


def test_a_worker_changes_her_password_and_stays_signed_in_here_only(client, social_worker):
    assert sign_in(client)
    elsewhere = Client()
    assert sign_in(elsewhere)
    assert client.get(reverse("password_change")).status_code == 200

    response = change(client)

    assert response.status_code == 302
    assert (
        "Your password has been changed"
        in client.get(response["Location"], follow=True).content.decode()
    )
    assert client.get(reverse("my_work")).status_code == 200  # this session stays
    assert elsewhere.get(reverse("my_work")).status_code == 302  # the other has ended
    assert signs_in(NEW) and not signs_in(PASSWORD)
    event = AuditEvent.objects.get(event_type=AuditEventType.PASSWORD_CHANGED)
    assert event.actor == social_worker and event.case is None
    assert NEW not in str(event.extra_data) and PASSWORD not in str(event.extra_data)


@pytest.mark.parametrize(
    ("current", "new", "again", "message"),
    [
        ("not-my-password", NEW, NEW, "Your current password is not right. Enter it again"),
        (PASSWORD, NEW, NEW + "x", "The new passwords do not match"),
        (PASSWORD, "short", "short", "This password is too short"),
        (PASSWORD, "123456789012345", "123456789012345", "This password is entirely numeric"),
        ("", "", "", "Enter your current password"),
    ],
)
def test_a_refused_change_says_why_changes_nothing_and_shows_no_password_again(
    client, social_worker, current, new, again, message
):
    client.force_login(social_worker)

    page = change(client, current, new, again).content.decode()

    assert "Error: Change your password" in page
    assert "govuk-error-summary" in page and message in page
    for typed in {current, new, again} - {""}:
        assert f'value="{typed}"' not in page  # passwords are never shown again
    assert signs_in(PASSWORD)
    assert not AuditEvent.objects.filter(event_type=AuditEventType.PASSWORD_CHANGED).exists()


def test_changing_a_password_needs_a_signed_in_person(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_signed_in_page_links_to_it(client, social_worker):
    client.force_login(social_worker)

    assert reverse("password_change") in client.get(reverse("my_work")).content.decode()
    client.post(reverse("logout"))
    assert reverse("password_change") not in client.get(reverse("login")).content.decode()
