"""Password spraying is throttled (accounts.backends): many wrong passwords from one
address across accounts, or for one account from many addresses, refuse sign-in for
SIGN_IN_LOCKOUT_MINUTES, the right password too. The pair lockout (axes) is separate:
see tests/test_pages_and_security.py."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from tests.conftest import PASSWORD

ATTACKER = "198.51.100.7"


def sign_in(client, username, password, address):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address
    )


@pytest.fixture
def limits(settings):
    settings.SIGN_IN_ADDRESS_LIMIT = 6
    settings.SIGN_IN_USERNAME_LIMIT = 4
    return settings


def test_one_address_guessing_across_many_accounts_is_refused_even_a_right_password(
    client, limits, social_worker, make_user
):
    # Two guesses at each of three accounts: under the pair lockout of five, every time.
    for username in ("ann", "bob", "cat"):
        for _ in range(2):
            assert sign_in(client, username, "Summer2026!", ATTACKER).status_code == 200

    refused = sign_in(client, "priya", PASSWORD, ATTACKER)

    assert refused.status_code == 429
    assert "too many failed attempts to sign in" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    # Priya from her own address is not held up by someone else's guessing.
    assert sign_in(client, "priya", PASSWORD, "203.0.113.9").status_code == 302


def test_one_account_guessed_from_many_addresses_is_refused_from_any(
    client, limits, social_worker, make_user
):
    make_user("other", RoleCode.SOCIAL_WORKER)
    for n in range(4):  # one guess from each of four addresses: no pair is locked
        sign_in(client, "priya", "Summer2026!", f"192.0.2.{n + 1}")

    refused = sign_in(client, "priya", PASSWORD, "203.0.113.9")

    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    assert sign_in(client, "other", PASSWORD, "203.0.113.9").status_code == 302


def test_the_throttle_ends_when_the_failures_are_older_than_the_window(
    client, limits, social_worker
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(4):
            sign_in(client, "priya", "guess", f"192.0.2.{n + 1}")
        assert sign_in(client, "priya", PASSWORD, "203.0.113.9").status_code == 429

    later = start + timedelta(minutes=limits.SIGN_IN_THROTTLE_MINUTES, seconds=1)
    with time_machine.travel(later, tick=False):
        assert sign_in(client, "priya", PASSWORD, "203.0.113.9").status_code == 302


def test_a_refused_sign_in_is_audited_as_a_failure_with_its_address(client, limits, social_worker):
    for n in range(4):
        sign_in(client, "priya", "guess", f"192.0.2.{n + 1}")

    sign_in(client, "priya", PASSWORD, "203.0.113.9")

    failures = AuditEvent.objects.filter(event_type=AuditEventType.SIGN_IN_FAILED)
    assert failures.count() == 5
    assert failures.filter(ip_address="203.0.113.9", extra_data__username="priya").exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.SIGNED_IN).exists()


def test_under_the_limits_a_few_mistakes_do_not_stop_anyone(client, limits, social_worker):
    for _ in range(3):
        sign_in(client, "priya", "typo", "203.0.113.9")

    assert sign_in(client, "priya", PASSWORD, "203.0.113.9").status_code == 302


def test_the_default_limits_are_the_documented_ones():
    from django.conf import settings

    assert (settings.SIGN_IN_ADDRESS_LIMIT, settings.SIGN_IN_USERNAME_LIMIT) == (20, 10)
