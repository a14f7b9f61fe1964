"""The timeout warning: before an idle session ends, a dialog says so and offers to stay
signed in; left alone, the person is signed out and told why. (Timings shortened here;
the service's are 30 minutes with 2 minutes' warning: tests/test_session_lifetime.py.)"""

import re

from playwright.sync_api import expect

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from tests.browser.pages import SignInPage
from tests.conftest import PASSWORD


def test_a_worker_is_warned_stays_signed_in_then_is_signed_out_when_idle(
    page, axe, make_user, settings
):
    """
    Given Priya, signed in, with sessions that end after 20 idle seconds and a warning 8
    seconds before
    When she leaves My work alone, then chooses "Stay signed in" with the keyboard, then
    leaves it alone again
    Then the warning takes focus and has no accessibility violation, staying keeps her
    signed in, and at the end she is signed out (audited) and the sign-in page says why.
    """
    settings.SESSION_COOKIE_AGE = 20
    settings.SESSION_WARNING_SECONDS = 8
    make_user("priya", RoleCode.SOCIAL_WORKER)
    SignInPage.open(page, axe).sign_in("priya", PASSWORD)

    dialog = page.get_by_role("dialog", name="You're about to be signed out")
    expect(dialog).to_be_visible(timeout=15000)
    axe.check(page)
    stay = dialog.get_by_role("button", name="Stay signed in")
    expect(stay).to_be_focused()  # the first control of a modal dialog
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()

    page.reload()  # still signed in: the keep-alive renewed the session
    assert "/my-work/" in page.url

    expect(page).to_have_url(re.compile(r"/sign-in/\?ended=idle&next=%2Fmy-work%2F"), timeout=30000)
    expect(page.locator("#signed-out-because")).to_contain_text(
        "because you had not done anything for"
    )
    axe.check(page)
    assert AuditEvent.objects.filter(event_type=AuditEventType.SIGNED_OUT).count() == 1
