"""The pre-birth assessment in a browser, at a phone's width, axe on every page: the worker
opens it and writes the areas, the named midwife adds her view, the worker sends it, and a
team manager who did not write it authorises it."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import RoleCode
from assessments import services
from rules import assessment as rules
from tests.browser.pages import BasePage, SignInPage
from tests.conftest import PASSWORD

PHONE = {"width": 375, "height": 800}


class AssessmentPage(BasePage):
    """The task list of the 15 areas."""

    def status_of(self, title: str) -> str:
        item = self.page.locator(".govuk-task-list__item", has_text=title)
        return item.locator(".govuk-task-list__status").inner_text().strip()

    def open_area(self, title: str) -> "AreaPage":
        self.page.get_by_role("link", name=title, exact=True).click()
        return AreaPage(self.page, self.axe)

    def press(self, name: str) -> BasePage:
        self.page.get_by_role("button", name=name).or_(
            self.page.get_by_role("link", name=name)
        ).first.click()
        return BasePage(self.page, self.axe)


class AreaPage(BasePage):
    def write(self, text: str) -> None:
        self.page.get_by_label("Your assessment").fill(text)

    def press(self, name: str) -> BasePage:
        self.page.get_by_role("button", name=name).click()
        return BasePage(self.page, self.axe)


@pytest.fixture
def people(make_user):
    return {
        "priya": make_user("priya", RoleCode.SOCIAL_WORKER),
        "mark": make_user("mark", RoleCode.TEAM_MANAGER),
        "maria": make_user("maria", RoleCode.MIDWIFE),
    }


@pytest.fixture
def case(people, make_case):
    today = timezone.localdate()
    return make_case(
        people["maria"], edd=today + timedelta(days=120),
        referral_date=today - timedelta(days=3), allocation_date=today - timedelta(days=2),
        named_social_worker=people["priya"], named_midwife=people["maria"],
    )  # fmt: skip


def sign_in(page: Page, axe, username: str) -> None:
    page.context.clear_cookies()
    SignInPage.open(page, axe).sign_in(username, PASSWORD)


def test_an_assessment_from_opening_to_authorisation_on_a_phone(page, axe, case, people):
    """Given an allocated case, when Priya opens and writes the assessment, Maria adds
    midwifery's view and Mark authorises it, then its milestone is done."""
    page.set_viewport_size(PHONE)
    url = f"/cases/{case.id}/assessment/"
    sign_in(page, axe, "priya")
    page.goto(url)
    task_list = AssessmentPage(page, axe)
    task_list.press("Open the assessment")
    task_list = AssessmentPage(page, axe)
    assert task_list.status_of("Accommodation") == "Not started"

    area = task_list.open_area("Accommodation")
    area.press("Mark as completed")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the accommodation")
    area = AreaPage(page, axe)
    area.write("Two-bedroom flat, secure tenancy")
    area.press("Save as draft")
    assert AssessmentPage(page, axe).status_of("Accommodation") == "In progress"

    # The rest written (as if over days), the analysis last.
    assessment = case.assessment
    for code in rules.AREA_CODES:
        if code not in {rules.ANALYSIS, "accommodation"}:
            services.area_save(actor=people["priya"], context=None, assessment=assessment,
                               code=code, text="Written.", action=rules.COMPLETE,
                               version=None)  # fmt: skip
    page.goto(url)
    area = AssessmentPage(page, axe).open_area("Accommodation")
    area.press("Mark as completed")
    area = AssessmentPage(page, axe).open_area(rules.area_title(rules.ANALYSIS))
    area.write("Risks balanced by the family's support.")
    area.press("Mark as completed")

    sign_in(page, axe, "maria")
    page.goto(url)
    AssessmentPage(page, axe).press("Add your agency's view")
    view = BasePage(page, axe)
    page.get_by_label("Your agency's view").fill("Attending antenatal care since booking.")
    page.get_by_role("button", name="Save your agency's view").click()
    expect(page.locator("main")).to_contain_text("Attending antenatal care since booking.")
    assert view

    sign_in(page, axe, "priya")
    page.goto(url)
    AssessmentPage(page, axe).press("Send for authorisation")
    BasePage(page, axe)
    page.get_by_role("button", name="Send for authorisation").click()
    expect(page.locator("main")).to_contain_text("Sent for authorisation")

    sign_in(page, axe, "mark")
    page.goto(url)
    AssessmentPage(page, axe).press("Authorise or return the assessment")
    BasePage(page, axe)
    page.get_by_label("Authorise the assessment").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.locator("main")).to_contain_text("Authorised on")
    AssessmentPage(page, axe)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    milestone = case.milestones.get(milestone_id="assessment_completed")
    assert milestone.done_date == timezone.localdate()
