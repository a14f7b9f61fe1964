"""Birth and after in a browser: a social worker records the discharge planning meeting
on a phone, and every page of the step passes axe-core, with and without errors."""

import os
from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleCode
from cases import services as case_services
from cases.models import PregnancyOutcome
from tests.browser.pages import BasePage, SignInPage, fill_date
from tests.conftest import PASSWORD, reference_data

PHONE = {"width": 375, "height": 800}


@pytest.fixture
def born_yesterday(make_user, make_case):
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    today = timezone.localdate()
    case = make_case(
        priya, edd=today + timedelta(days=5), named_social_worker=priya, given_name="Lena",
        csc_input="child_protection",
    )  # fmt: skip
    born_at = timezone.localtime().replace(hour=6, minute=0, second=0, microsecond=0)
    return case_services.outcome_record(
        actor=priya, context=None, case=case, outcome=PregnancyOutcome.LIVE_BIRTH,
        outcome_date=today - timedelta(days=1),
        babies=[case_services.BabyDetails(born_at=born_at - timedelta(days=1), sex="female")],
    )  # fmt: skip


@pytest.fixture
def phone_page(browser, live_server, axe, _audit_rows_flushable):
    reference_data()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    yield page
    context.close()


def _fits(page) -> None:
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{page.url} scrolls sideways"


def test_a_social_worker_records_the_discharge_planning_meeting_on_a_phone(
    phone_page, axe, born_yesterday
):
    """
    Given Priya, the social worker of a baby born yesterday, on a phone
    When she opens Birth and after from the case, saves the meeting with nothing typed,
      then records it without the health visitor
    Then the form lists what is missing, keeps what she typed, saves the meeting, warns that
      public health nursing was not there, and the task list shows the meeting done;
      no page scrolls sideways and axe-core finds nothing wrong.
    """
    page = phone_page
    case = born_yesterday
    SignInPage.open(page, axe).sign_in("priya", PASSWORD)
    page.goto(f"/cases/{case.id}/")
    BasePage(page, axe)
    page.get_by_role("link", name="Birth and after", exact=True).click()
    BasePage(page, axe)
    _fits(page)
    page.get_by_role("link", name="Discharge planning meeting").click()
    BasePage(page, axe)
    _fits(page)

    page.get_by_label("Attendee 1: name").fill("Priya Tester")
    page.get_by_role("button", name="Save meeting").click()
    BasePage(page, axe)
    assert "Enter the date of the meeting" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("Attendee 1: name").input_value() == "Priya Tester"

    today = timezone.localdate()
    fill_date(page, "Date of the meeting", today.day, today.month, today.year)
    page.get_by_label("Home with parents").check()
    page.get_by_label("Attendee 2: name").fill("Maria Tester")
    page.get_by_label("Agreed multi-agency interventions").fill("Social worker twice weekly.")
    page.get_by_role("button", name="Add another attendee").click()
    BasePage(page, axe)
    if os.environ.get("POSTNATAL_SCREENSHOTS"):
        page.screenshot(path=os.environ["POSTNATAL_SCREENSHOTS"] + "/meeting-form.png",
                        full_page=True)  # fmt: skip
    assert page.get_by_label("Attendee 2: name").input_value() == "Maria Tester"
    page.get_by_role("button", name="Save meeting").click()
    BasePage(page, axe)

    assert "No one from public health nursing is recorded as attending" in page.content()
    task = page.locator("#discharge-planning-meeting-status")
    assert "Done" in task.inner_text()
    _fits(page)
    if os.environ.get("POSTNATAL_SCREENSHOTS"):
        page.screenshot(path=os.environ["POSTNATAL_SCREENSHOTS"] + "/after-birth.png",
                        full_page=True)  # fmt: skip


def test_every_after_birth_page_is_accessible_with_and_without_errors(
    phone_page, axe, born_yesterday
):
    """
    Given Priya, the social worker of a baby born yesterday
    When she opens each form of Birth and after, and saves each with nothing typed
    Then axe-core finds nothing wrong on any of them.
    """
    page = phone_page
    base = f"/cases/{born_yesterday.id}/after-birth/"
    SignInPage.open(page, axe).sign_in("priya", PASSWORD)
    forms = (
        ("visit-schedule/", "Save visit schedule"),
        ("review-conference/", "Save"),
        ("mid-point-review/", "Save"),
    )
    for path, button in forms:
        page.goto(base + path)
        BasePage(page, axe)
        _fits(page)
        page.get_by_role("button", name=button, exact=True).click()
        BasePage(page, axe)
        assert page.locator(".govuk-error-summary").is_visible()
