"""Two-factor sign-in in a browser: setting up an authenticator app on first sign-in,
signing in with a code and with a recovery code, and a timed-out session asking for a
code again. Every page checked by axe, on a desktop and a 375 px phone."""

import re
import time
from pathlib import Path

from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts import two_factor
from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from tests.browser.pages import BasePage
from tests.conftest import PASSWORD, sign_in_code

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
PHONE = {"width": 375, "height": 812}


def wait_until_allowed(device, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        device.refresh_from_db()
        if device.verify_is_allowed()[0]:
            return
        time.sleep(0.2)
    raise AssertionError("the wrong code's wait did not end")


def password(page, axe, username="priya"):
    page.goto("/sign-in/")
    BasePage(page, axe)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    return BasePage(page, axe)


def test_first_sign_in_sets_up_the_app_then_codes_sign_in(page, axe, make_user, settings):
    """
    Given Priya, who has never signed in, on a phone
    When she gives her password, scans the QR code, gets a code wrong then right, saves
    her recovery codes, signs out, and signs in with a code and then a recovery code
    Then she reaches My work each time, sees how many recovery codes are left, and every
    page passes axe.
    """
    SHOTS.mkdir(parents=True, exist_ok=True)
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    page.set_viewport_size(PHONE)

    setup = password(page, axe)
    expect(setup.page.locator("h1")).to_have_text("Set up two-factor sign-in")
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    page.screenshot(path=str(SHOTS / "two-factor-setup-phone.png"), full_page=True)
    key = page.locator("#setup-key").inner_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=priya, confirmed=False)
    assert key == two_factor.secret_for_typing(device).replace(" ", "")

    page.get_by_label("Code from the app").fill("12345")
    page.get_by_role("button", name="Continue").click()
    errors = BasePage(page, axe)
    expect(errors.page.locator(".govuk-error-summary")).to_be_visible()
    assert page.title().startswith("Error: ")

    # A wrong code makes the next try wait a second (django-otp's throttle): as she would
    # take longer than that to type the next one, wait until it has passed.
    wait_until_allowed(device)
    code, _ = two_factor.code_now(device)
    page.get_by_label("Code from the app").fill(code)
    page.get_by_role("button", name="Continue").click()
    codes_page = BasePage(page, axe)
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.screenshot(path=str(SHOTS / "two-factor-recovery-codes-phone.png"), full_page=True)
    page.get_by_role("link", name="I have saved my recovery codes").click()
    BasePage(page, axe)
    assert "/my-work/" in codes_page.page.url

    page.set_viewport_size({"width": 1280, "height": 900})  # the phone's menu hides it
    page.get_by_role("button", name=re.compile("Sign out")).click()
    verify = password(page, axe)
    expect(verify.page.locator("h1")).to_have_text("Enter your sign-in code")
    page.get_by_text("I do not have my phone").click()
    page.screenshot(path=str(SHOTS / "two-factor-code-desktop.png"), full_page=True)
    page.get_by_label("Code", exact=True).fill(sign_in_code(priya))
    page.get_by_role("button", name="Continue").click()
    BasePage(page, axe)
    assert "/my-work/" in page.url

    page.get_by_role("button", name=re.compile("Sign out")).click()
    password(page, axe)
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    landed = BasePage(page, axe)
    expect(landed.page.locator(".govuk-notification-banner")).to_contain_text("9 codes left")
    assert AuditEvent.objects.filter(event_type=AuditEventType.RECOVERY_CODE_USED).count() == 1


def test_a_timed_out_session_asks_for_the_password_and_a_code_again(page, axe, make_user, settings):
    """
    Given Priya signed in with a code, and sessions that end after 15 idle seconds
    When she leaves the page alone, then comes back
    Then she is signed out, and signing in again asks for a code too.
    """
    settings.SESSION_COOKIE_AGE = 15
    settings.SESSION_WARNING_SECONDS = 5
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    code = sign_in_code(priya)  # her app is set up
    password(page, axe)
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()
    assert "/my-work/" in page.url

    expect(page).to_have_url(re.compile(r"/sign-in/\?ended=idle"), timeout=40000)
    settings.SESSION_COOKIE_AGE = 600
    again = password(page, axe)

    expect(again.page.locator("h1")).to_have_text("Enter your sign-in code")
    page.goto("/cases/")
    expect(page.locator("h1")).to_have_text("Enter your sign-in code")
