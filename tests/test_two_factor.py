"""Two-factor sign-in: a password alone reaches no page but the sign-in's own; setting
up an authenticator app (QR code drawn on the server, recovery codes shown once); codes
that work once, wrong codes slowed down; an administrator's reset; every step audited.
(The journey in a browser: tests/browser/test_two_factor_journey.py.)"""

import re

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from audit.models import AuditEvent, AuditEventType
from tests.conftest import PASSWORD, authenticator, sign_in_code


def password_only(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return response


def events(kind) -> int:
    return AuditEvent.objects.filter(event_type=kind).count()


@pytest.mark.parametrize(
    "page",
    ["my_work", "case_list", "team", "meeting_list", "password_change", "recovery_codes"],
)
def test_a_password_alone_reaches_no_page_but_the_code(client, social_worker, page):
    authenticator(social_worker)
    password_only(client, social_worker)

    response = client.get(reverse(page))

    assert response.status_code == 302
    assert response["Location"] == (
        reverse("two_factor_verify") + "?next=" + reverse(page).replace("/", "%2F")
    )


def test_a_password_alone_reaches_no_case_and_not_the_admin(
    client, social_worker, administrator, make_case
):
    case = make_case(social_worker)
    authenticator(social_worker)
    authenticator(administrator)
    password_only(client, social_worker)
    assert client.get(reverse("case_detail", args=[case.pk])).status_code == 302
    assert client.get(reverse("case_timeline", args=[case.pk])).status_code == 302
    assert events(AuditEventType.CASE_VIEWED) == 0

    client.post(reverse("logout"))
    password_only(client, administrator)
    response = client.get("/admin/accounts/user/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two_factor_verify"))


def test_the_code_after_the_password_signs_in_and_goes_where_the_person_was_going(
    client, social_worker
):
    device = authenticator(social_worker)
    response = client.post(
        reverse("login"),
        {"username": "priya", "password": PASSWORD, "next": reverse("case_list")},
    )
    response = client.get(response["Location"])
    assert response.status_code == 302 and "next=%2Fcases%2F" in response["Location"]
    session_before = client.session.session_key

    response = client.post(
        reverse("two_factor_verify"),
        {"code": sign_in_code(social_worker), "next": reverse("case_list")},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("case_list")
    assert client.get(reverse("case_list")).status_code == 200
    assert client.session.session_key != session_before  # a new key for the stronger sign-in
    assert AuditEvent.objects.filter(
        event_type=AuditEventType.TWO_FACTOR_VERIFIED, actor=social_worker
    ).exists()
    device.refresh_from_db()
    assert device.last_t > 0


def test_a_wrong_code_shows_the_error_and_is_audited_without_the_code(client, social_worker):
    authenticator(social_worker)
    password_only(client, social_worker)

    response = client.post(reverse("two_factor_verify"), {"code": "000000"})

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert "The code is not right" in content
    assert response.context["form"]["code"].value() == "000000"
    row = AuditEvent.objects.get(event_type=AuditEventType.TWO_FACTOR_FAILED)
    assert "000000" not in str(row.extra_data)
    assert client.get(reverse("my_work")).status_code == 302


def test_an_empty_code_is_asked_for(client, social_worker):
    authenticator(social_worker)
    password_only(client, social_worker)

    response = client.post(reverse("two_factor_verify"), {"code": "  "})

    assert "Enter the code from your authenticator app" in response.content.decode()
    assert events(AuditEventType.TWO_FACTOR_FAILED) == 0


def test_wrong_codes_make_the_next_try_wait_even_with_the_right_code(client, social_worker):
    device = authenticator(social_worker)
    password_only(client, social_worker)
    client.post(reverse("two_factor_verify"), {"code": "000000"})
    client.post(reverse("two_factor_verify"), {"code": "000000"})
    device.refresh_from_db()
    code, _ = two_factor.code_now(device)

    response = client.post(reverse("two_factor_verify"), {"code": code})

    assert response.status_code == 200
    assert re.search(r"Wait \d+ seconds? and try again", response.content.decode())
    assert client.get(reverse("my_work")).status_code == 302


def test_a_code_works_once(client, social_worker):
    code = sign_in_code(social_worker)
    password_only(client, social_worker)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    password_only(client, social_worker)

    response = client.post(reverse("two_factor_verify"), {"code": code})

    assert response.status_code == 200
    assert "has been used" in response.content.decode()


def test_first_sign_in_sets_up_the_app_with_a_qr_code_drawn_here(client, social_worker):
    password_only(client, social_worker)

    response = client.get(reverse("my_work"))
    assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(response["Location"])

    content = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in content and "<script" not in content.split("<main", 1)[1].split("</main>")[0]
    device = TOTPDevice.objects.get(user=social_worker)
    assert not device.confirmed
    assert page.context["secret"].replace(" ", "") in content.replace(" ", "")
    # Reloading shows the same secret: someone may have scanned it already.
    assert client.get(response["Location"]).context["secret"] == page.context["secret"]
    assert TOTPDevice.objects.filter(user=social_worker).count() == 1


def test_the_first_code_confirms_the_app_and_shows_ten_recovery_codes_once(client, social_worker):
    password_only(client, social_worker)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=social_worker)
    code, _ = two_factor.code_now(device)

    response = client.post(
        reverse("two_factor_setup"), {"code": code, "next": reverse("case_list")}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("recovery_codes") + "?next=%2Fcases%2F"
    shown = client.get(response["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    assert 'href="/cases/"' in shown.content.decode()
    again = client.get(reverse("recovery_codes"))
    assert again.context["codes"] is None
    assert codes[0] not in again.content.decode()
    assert "10 recovery codes left" in again.content.decode()
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(reverse("case_list")).status_code == 200
    assert events(AuditEventType.TWO_FACTOR_ENROLLED) == 1


def test_a_wrong_first_code_confirms_nothing(client, social_worker):
    password_only(client, social_worker)
    client.get(reverse("two_factor_setup"))

    response = client.post(reverse("two_factor_setup"), {"code": "123456"})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not TOTPDevice.objects.get(user=social_worker).confirmed
    assert not StaticToken.objects.exists()
    assert client.get(reverse("my_work")).status_code == 302


def test_a_recovery_code_signs_in_once_and_says_how_many_are_left(client, social_worker):
    authenticator(social_worker)
    codes = two_factor.replace_recovery_codes(user=social_worker, context=None)
    password_only(client, social_worker)

    response = client.post(reverse("two_factor_verify"), {"code": codes[3].upper()})

    assert response.status_code == 302
    page = client.get(reverse("my_work"), follow=True)
    assert "you have 9 codes left" in page.content.decode()
    assert events(AuditEventType.RECOVERY_CODE_USED) == 1
    client.post(reverse("logout"))
    password_only(client, social_worker)
    response = client.post(reverse("two_factor_verify"), {"code": codes[3]})
    assert response.status_code == 200  # used up


def test_new_recovery_codes_replace_the_old_ones(client, social_worker):
    old = two_factor.replace_recovery_codes(user=social_worker, context=None)
    client.force_login(social_worker)

    response = client.post(reverse("recovery_codes"))

    new = client.get(response["Location"]).context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert events(AuditEventType.RECOVERY_CODES_REPLACED) == 2
    client.post(reverse("logout"))
    password_only(client, social_worker)
    assert client.post(reverse("two_factor_verify"), {"code": old[0]}).status_code == 200


def test_an_administrators_reset_means_setting_up_again_and_is_audited(
    client, social_worker, administrator
):
    authenticator(social_worker)
    two_factor.replace_recovery_codes(user=social_worker, context=None)
    other = type(client)()
    other.force_login(social_worker)  # signed in elsewhere, with a code
    client.force_login(administrator)

    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor_sign_in", "_selected_action": [social_worker.pk]},
    )

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=social_worker).exists()
    assert not StaticToken.objects.filter(device__user=social_worker).exists()
    row = AuditEvent.objects.get(event_type=AuditEventType.TWO_FACTOR_RESET)
    assert row.actor == administrator and row.extra_data["username"] == "priya"
    # The session elsewhere no longer counts as verified: it must set up again.
    response = other.get(reverse("my_work"))
    assert response["Location"].startswith(reverse("two_factor_setup"))


def test_the_admin_shows_no_one_s_authenticator_secret(client, administrator):
    client.force_login(administrator)

    assert client.get("/admin/otp_totp/totpdevice/").status_code == 404
    assert client.get("/admin/otp_static/staticdevice/").status_code == 404


def test_the_sign_in_pages_ask_nothing_of_someone_signed_out(client):
    for page in ("two_factor_verify", "two_factor_setup", "recovery_codes"):
        response = client.get(reverse(page))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_next_address_elsewhere_is_not_followed(client, social_worker):
    authenticator(social_worker)
    password_only(client, social_worker)

    response = client.post(
        reverse("two_factor_verify"),
        {"code": sign_in_code(social_worker), "next": "https://example.com/steal"},
    )

    assert response["Location"] == reverse("home")
