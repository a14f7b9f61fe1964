"""Decisions and plans in a browser: recorded with the keyboard-free journey a social
worker takes, every page checked by axe-core, on a desktop and at 375 px wide."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleCode
from tests.browser.pages import BasePage, SignInPage, fill_date
from tests.conftest import PASSWORD


@pytest.fixture
def referred_case(make_user, make_case):
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    today = timezone.localdate()
    case = make_case(
        priya, edd=today + timedelta(days=100), referral_date=today - timedelta(days=30),
        allocation_date=today - timedelta(days=29), named_social_worker=priya,
    )  # fmt: skip
    return case


@pytest.mark.parametrize("width", [1024, 375])
def test_a_social_worker_records_the_conference_the_birth_plan_and_the_plo_letter(
    page, axe, referred_case, width
):
    """
    Given Priya, a social worker, with a case referred and allocated
    When she records a strategy discussion, the conference with a plan, the birth plan
    (first leaving a box empty) and the PLO letter with one enclosure missing
    Then each page has no accessibility violation, the error keeps what she typed, and
    the letter is not recorded as sent until the last enclosure is ticked.
    """
    page.set_viewport_size({"width": width, "height": 900})
    today = timezone.localdate()
    day = today - timedelta(days=1)
    plans_url = f"/cases/{referred_case.id}/plans/"
    SignInPage.open(page, axe).sign_in("priya", PASSWORD)

    page.goto(plans_url)
    BasePage(page, axe)
    page.get_by_label("Strategy discussion").check()
    page.get_by_role("button", name="Record a decision").click()
    form = BasePage(page, axe)
    page.get_by_role("button", name="Save").click()
    BasePage(page, axe)
    assert page.locator(".govuk-error-summary").is_visible()
    fill_date(page, "Date of the strategy discussion", day.day, day.month, day.year)
    page.get_by_role("group", name="Did the strategy discussion identify").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Save").click()
    BasePage(page, axe)

    page.goto(plans_url + "new/icpc/")
    form = BasePage(page, axe)
    fill_date(page, "Date of the conference", today.day, today.month, today.year)
    page.get_by_label("Child protection plan", exact=True).check()
    page.get_by_role("button", name="Save").click()
    index = BasePage(page, axe)
    assert "Child Protection plan" in index.page.content()

    page.goto(plans_url + "birth-plan/")
    form = BasePage(page, axe)
    page.get_by_label("Who should be at the birth").fill("Mother, with her sister")
    page.get_by_role("button", name="Save the birth plan").click()
    form = BasePage(page, axe)
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.get_by_label("Who should be at the birth").input_value() == (
        "Mother, with her sister"
    )
    page.get_by_label("Who poses a risk and cannot be present").fill("The father")
    fill_date(page, "Date the birth plan was agreed (optional)", today.day, today.month,
              today.year)  # fmt: skip
    page.get_by_role("button", name="Save the birth plan").click()
    BasePage(page, axe)

    page.goto(plans_url + "plo-letter/")
    form = BasePage(page, axe)
    for label in ["The letter of concern", "A list of solicitors"]:
        page.get_by_label(label).check()
    page.get_by_label("your child could be taken into care").check()
    fill_date(page, "Date the letter was sent", today.day, today.month, today.year)
    page.get_by_role("button", name="Save").click()
    BasePage(page, axe)
    page.goto(plans_url + "plo-letter/")
    form = BasePage(page, axe)
    assert "not recorded as sent" in form.page.content()
    page.get_by_label("The offer of a family group decision-making meeting").check()
    page.get_by_role("button", name="Save").click()
    BasePage(page, axe)

    page.goto(f"/cases/{referred_case.id}/")
    case_page = BasePage(page, axe)
    assert "The father" in case_page.page.content()
