"""The tests of the demo as `make demo` seeds it share one seed: seeding takes 20-30 s,
so it is done once for this folder's tests, not once a test. Each test runs in a
savepoint of the seed's transaction, rolled back after it, so every test sees the demo
as seeded; the seed is rolled back after the folder's last test. No test here may need
an empty database (those are in tests/test_seed_demo_upgrades.py)."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from tests.conftest import FAST_PASSWORD_HASHERS, reference_data

DEMO_DAY = date(2026, 11, 23)


@pytest.fixture(scope="package")
def seeded(django_db_setup, django_db_blocker):
    """The demo seeded as on 23 November 2026, in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        with (
            time_machine.travel(DEMO_DAY, tick=False),
            override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS),
        ):
            reference_data()
            call_command("seed_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(seeded, db):
    """The demo, as seeded (this test's changes are rolled back after it)."""
