"""Personas and builders shared by the tests.

The people: a social worker, a team manager and a named midwife in Mendip; an
outsider who is a social worker in Sedgemoor; an analyst and an administrator
who must never see case data. Tests name them for what they are.
"""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.models import Agency, AgencyCode, Locality, Role, RoleCode, User
from accounts.reference_data import ensure_reference_data
from cases import services
from cases.models import CscInput, IdentificationSource
from meetings.reference_data import ensure_themes
from referrals.reference_data import ensure_risk_factors
from rules import nhs_number as nhs

PASSWORD = "correct-horse-battery-staple"


def reference_data() -> None:
    """What the migrations put in: browser tests empty the database between tests."""
    ensure_reference_data()
    ensure_themes()
    ensure_risk_factors()


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


def authenticator(user) -> TOTPDevice:
    """The person's confirmed authenticator, set up now if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or two_factor.enrol_for_demo(user)


def sign_in_code(user) -> str:
    """The code the person's app shows now, accepted even if a test signed them in a
    moment ago (a code works once: the device forgets the last one it took)."""
    device = authenticator(user)
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    device.refresh_from_db()
    code, _ = two_factor.code_now(device)
    assert code is not None
    return code


_force_login = Client.force_login


@pytest.fixture(autouse=True)
def _signed_in_with_two_factor(monkeypatch):
    """`client.force_login(user)` signs in as the person would: with their password and a
    code (no page but signing in is reached on a password alone). Pass
    `two_factor=False` for a sign-in with the password only."""

    def force_login(self, user, backend=None, *, two_factor=True):
        _force_login(self, user, backend)
        if two_factor:
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = authenticator(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _documents_in_tmp(settings, tmp_path):
    """Uploaded documents go to the test's own folder, never var/documents."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


@pytest.fixture
def locality(db):
    reference_data()

    def get(slug: str) -> Locality:
        return Locality.objects.get(slug=slug)

    return get


@pytest.fixture
def make_user(db):
    # Browser tests flush the database between tests, taking the migration's rows with it.
    reference_data()

    def make(username: str, role: str, localities=("mendip",), agency=None) -> User:
        role_obj = Role.objects.get(code=role)
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            first_name=username.capitalize(),
            last_name="Tester",
            agency=role_obj.agency or Agency.objects.get(code=agency or AgencyCode.COUNCIL),
        )
        user.roles.add(role_obj)
        user.localities.add(*Locality.objects.filter(slug__in=localities))
        return user

    return make


@pytest.fixture
def social_worker(make_user):
    return make_user("priya", RoleCode.SOCIAL_WORKER)


@pytest.fixture
def team_manager(make_user):
    return make_user("mark", RoleCode.TEAM_MANAGER)


@pytest.fixture
def named_midwife(make_user):
    return make_user("helen", RoleCode.NAMED_MIDWIFE)


@pytest.fixture
def guest(make_user):
    return make_user("gita", RoleCode.GUEST)


@pytest.fixture
def outsider(make_user):
    """A social worker in Sedgemoor: sees Sedgemoor's cases, never Mendip's."""
    return make_user("olly", RoleCode.SOCIAL_WORKER, localities=("sedgemoor",))


@pytest.fixture
def analyst(make_user):
    return make_user("dev", RoleCode.PARTNERSHIP_ANALYST, localities=("mendip", "sedgemoor"))


@pytest.fixture
def administrator(make_user):
    user = make_user("alex", RoleCode.SYSTEM_ADMINISTRATOR, localities=("mendip",))
    user.is_staff = user.is_superuser = True
    user.save()
    return user


_counter = iter(range(10_000))


@pytest.fixture
def make_case(db, locality):
    def make(
        actor,
        *,
        locality_slug="mendip",
        edd=None,
        given_name="Kerry",
        family_name="Ashdown",
        **details,
    ):
        today = timezone.localdate()
        number = next(_counter)
        fields = {
            "locality": locality(locality_slug),
            "identified_date": today - timedelta(days=30),
            "identified_source": IdentificationSource.BOOKING,
            "csc_input": CscInput.ASSESSMENT,
            "named_social_worker": None,
            "named_midwife": None,
            "named_health_visitor": None,
        }
        fields.update(details)
        # Registering in another locality is not allowed; tests building such
        # cases register them as that locality's own user.
        actor.__dict__.pop("locality_ids", None)
        return services.case_register(
            actor=actor,
            context=None,
            mother={
                "given_name": given_name,
                "family_name": family_name,
                "date_of_birth": date(1998, 7, 14),
                "nhs_number": _nhs_number(number),
                "address": "1 Example Street, Frome",
                "postcode": "BA11 1AA",
            },
            partner=None,
            edd=edd or today + timedelta(days=120),
            **fields,
        )

    return make  # fmt: skip


def _nhs_number(n: int) -> str:
    base = 999_000_000 + n * 7
    while True:
        candidate = str(base)
        digit = nhs.check_digit(candidate)
        if digit is not None:
            return candidate + str(digit)
        base += 1


def sign_in_with_code(client, user, password=PASSWORD):
    """Sign in through the pages, as a person does: the password, then the app's code.
    Returns the response to the code."""
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, "the password was refused"
    return client.post(reverse("two_factor_verify"), {"code": sign_in_code(user)})
