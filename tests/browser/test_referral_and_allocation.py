"""A social worker records the referral with its risk sensible model; the team manager
finds it in Allocations and allocates it with directions. Every page checked by axe-core,
on a desktop and on a 375px phone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleCode
from tests.browser.pages import BasePage, SignInPage, fill_date
from tests.conftest import PASSWORD, reference_data

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def people_and_case(make_user, make_case):
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    mark = make_user("mark", RoleCode.TEAM_MANAGER)
    case = make_case(
        priya,
        edd=timezone.localdate() + timedelta(days=100),
        given_name="Alexandra-Louise",
        family_name="Featherstonehaugh-Whittington",
    )
    return priya, mark, case


@pytest.fixture
def open_as(browser, live_server, axe, _audit_rows_flushable):
    reference_data()
    contexts = []

    def open_(username, viewport):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        SignInPage.open(page, axe).sign_in(username, PASSWORD)
        return page

    yield open_
    for context in contexts:
        context.close()


def _fits(page, name):
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{name} scrolls sideways: {scroll_width}px"


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_referral_recorded_then_allocated_with_directions(open_as, axe, people_and_case, viewport):
    """
    Given a registered case
    When Priya records the referral, first forgetting who referred
    Then the error summary names it and keeps the risk factors she ticked,
    And the case shows the gestation at referral and the team by the protocol
    When Mark opens Allocations and allocates the case to Priya with directions
    Then the case shows Priya allocated, with the directions
    """
    _priya, _mark, case = people_and_case
    today = timezone.localdate()
    page = open_as("priya", viewport)
    page.goto(f"/cases/{case.id}/")
    BasePage(page, axe)
    page.get_by_role("link", name="Record the referral").click()
    BasePage(page, axe)
    fill_date(page, "Date of the referral", today.day, today.month, today.year)
    page.get_by_label("Midwifery").check()
    page.get_by_label("Domestic abuse").check()
    page.get_by_label("Financial hardship or debt").check()
    page.get_by_label("Yes, the case is complex").check()
    page.get_by_role("button", name="Save the referral").click()
    BasePage(page, axe)
    assert (
        "Enter the name of the person who made the referral"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.get_by_label("Domestic abuse").is_checked()
    _fits(page, "the referral form with errors")
    page.get_by_label("Who made the referral?").fill("Alys Penhallow")
    page.get_by_role("button", name="Save the referral").click()
    BasePage(page, axe)
    section = page.locator("#referral + dl").inner_text()
    assert "Gestation at referral" in section
    assert "Safeguarding Children's Team" in section
    _fits(page, "the case")

    page = open_as("mark", viewport)
    if viewport == PHONE:
        page.get_by_role("button", name="Menu").click()
    BasePage(page, axe).menu("Allocations")
    BasePage(page, axe)
    _fits(page, "Allocations")
    page.get_by_role("link", name="Allocate Unborn baby of").click()
    BasePage(page, axe)
    page.get_by_label("Social worker").select_option(label="Priya Tester")
    page.get_by_role("button", name="Allocate").click()
    BasePage(page, axe)
    assert "Enter the case note of directions" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Case note of directions").fill("Introductory visit with both parents.")
    page.get_by_role("button", name="Allocate").click()
    BasePage(page, axe)
    section = page.locator("#allocation + dl").inner_text()
    assert "Priya Tester" in section and "Introductory visit with both parents." in section
