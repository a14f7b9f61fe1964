"""The layout every page shares, and the security headers every response carries."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from cases import models as case_models

ROOT = Path(__file__).resolve().parent.parent


def test_the_sign_in_page_shows_the_service_name_and_protective_marking(client):
    page = client.get(reverse("login")).content.decode()

    assert "Pre-birth Tracker" in page
    assert "OFFICIAL-SENSITIVE" in page
    assert "govuk-header__logotype" not in page  # no crown: this is not a GOV.UK service
    assert '<html lang="en-GB"' in page


def test_signed_in_pages_show_the_protective_marking(client, social_worker):
    client.force_login(social_worker)

    for name in ("case_list", "case_register"):
        assert "OFFICIAL-SENSITIVE" in client.get(reverse(name)).content.decode()


def test_a_wrong_password_shows_an_error_summary_and_keeps_the_username(client, social_worker):
    response = client.post(reverse("login"), {"username": "priya", "password": "nope"})

    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a correct username and password" in page
    assert 'value="priya"' in page
    assert 'value="nope"' not in page


def test_responses_carry_security_headers(client, social_worker):
    client.force_login(social_worker)

    response = client.get(reverse("case_list"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    policy = response["Permissions-Policy"]
    assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
    # Signed out too: the sign-in page has the same protection.
    assert "camera=()" in client.get(reverse("login"))["Permissions-Policy"]


def test_forms_are_protected_from_cross_site_request_forgery(social_worker):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)

    assert client.post(reverse("case_register"), {}).status_code == 403


def test_case_data_is_never_registered_in_the_django_admin():
    case_model_classes = {
        obj for obj in vars(case_models).values() if isinstance(obj, type) and
        issubclass(obj, case_models.models.Model) and obj._meta.app_label == "cases"
    }  # fmt: skip

    assert case_model_classes
    assert not case_model_classes & set(admin.site._registry)


def test_the_admin_is_for_administrators_only(client, social_worker, administrator):
    client.force_login(social_worker)
    assert client.get("/admin/").status_code == 302
    client.force_login(administrator)
    assert client.get("/admin/accounts/locality/").status_code == 200


@pytest.mark.parametrize(
    ("variable", "value"),
    [("DEBUG", "maybe"), ("DJANGO_ENV", "staging"), ("CASES_PER_PAGE", "lots")],
)
def test_a_bad_setting_stops_the_service_naming_the_variable(variable, value):
    env = {**os.environ, variable: value}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert variable in result.stderr


def test_production_settings_pass_the_deployment_checks(tmp_path):
    env = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "prebirth.example.org",
        "DOCUMENTS_SCANNER": "tcp://127.0.0.1:3310",  # an address only: checks connect to none
        "PREBIRTH_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests only
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    # The cookies the browser keeps only if secure, for this host alone, on path "/".
    names = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from django.conf import settings as s; print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME,"
         " s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_PATH, s.SESSION_COOKIE_DOMAIN)"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    ).stdout.splitlines()[-1].split()  # fmt: skip
    assert names == ["__Host-session", "__Host-csrftoken", "True", "/", "None"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DJANGO_ENV": "production", "PREBIRTH_VAR_DIR": str(tmp_path)}
    env.pop("SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_five_wrong_passwords_lock_the_username_out_even_with_the_right_one(client, social_worker):
    from tests.conftest import PASSWORD

    for _ in range(5):
        client.post(reverse("login"), {"username": "priya", "password": "guess"})

    response = client.post(reverse("login"), {"username": "priya", "password": PASSWORD})

    assert response.status_code == 429
    assert "You cannot sign in at the moment" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_behind_our_proxy_a_lockout_is_for_the_guessing_client_only(
    client, social_worker, settings
):
    from tests.conftest import PASSWORD

    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_PROXIES = ["10.0.0.2"]
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        client.post(reverse("login"), {"username": "priya", "password": "guess"},
                    HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)  # fmt: skip

    # Priya at her own desk, through the same proxy, still signs in.
    response = client.post(reverse("login"), {"username": "priya", "password": PASSWORD},
                           HTTP_X_FORWARDED_FOR="203.0.113.9:50123", **proxy)  # fmt: skip

    assert response.status_code == 302
    event = AuditEvent.objects.filter(event_type=AuditEventType.SIGNED_IN).first()
    assert event.ip_address == "203.0.113.9"


def test_a_right_password_resets_the_count_of_wrong_ones(client, social_worker):
    from tests.conftest import PASSWORD

    for _ in range(4):
        client.post(reverse("login"), {"username": "priya", "password": "guess"})
    client.post(reverse("login"), {"username": "priya", "password": PASSWORD})
    client.post(reverse("logout"))
    for _ in range(4):
        client.post(reverse("login"), {"username": "priya", "password": "guess"})

    response = client.post(reverse("login"), {"username": "priya", "password": PASSWORD})

    assert response.status_code == 302


def test_the_health_check_answers_without_signing_in_and_shows_no_data(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_people_without_case_access_land_on_a_page_that_says_so(client, analyst):
    client.force_login(analyst)

    response = client.get("/", follow=True)

    assert "Your role does not give you access to case data" in response.content.decode()
