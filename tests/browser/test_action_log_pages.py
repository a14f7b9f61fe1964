"""The meeting action log and My work's meeting actions in a browser: axe-core on each
state of the pages, and an action marked done with the keyboard alone."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import RoleCode
from meetings import services
from meetings.models import Action, ActionStatus
from rules.dates import format_date
from tests.browser.pages import BasePage, MyWorkPage, SignInPage
from tests.conftest import PASSWORD


class ActionLogPage(BasePage):
    def rows(self) -> list[str]:
        return self.page.locator("table.app-action-log tbody tr").all_inner_texts()

    def filter_status(self, label: str) -> "ActionLogPage":
        self.page.get_by_label("Status").select_option(label=label)
        self.page.get_by_role("button", name="Apply filters").click()
        return ActionLogPage(self.page, self.axe)


@pytest.fixture
def agreed(make_user, make_case, locality):
    """At Mendip's meeting a fortnight ago Helen's meeting agreed two actions for Priya,
    one now overdue, and one for Maria that is already done."""
    helen = make_user("helen", RoleCode.NAMED_MIDWIFE)
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    maria = make_user("maria", RoleCode.MIDWIFE)
    today = timezone.localdate()
    make_case(priya, given_name="Kerry", family_name="Ashdown")
    make_case(priya, given_name="Lucy", family_name="Brent")
    meeting = services.meeting_schedule(
        actor=helen, context=None, locality=locality("mendip"),
        details=services.MeetingDetails(today - timedelta(days=14), time(10), time(12), helen,
                                        "Frome"),
    )[0]  # fmt: skip
    kerry, lucy = meeting.discussions.order_by("case__mother__given_name")

    def agree(discussion, text, owner, agency, due_in):
        return services.action_add(
            actor=helen, context=None, discussion=discussion, description=text,
            owner_agency=agency, due_date=today + timedelta(days=due_in), owner=owner,
        )  # fmt: skip

    overdue = agree(kerry, "Book the ICPC", priya, "csc", -2)
    agree(lucy, "Visit both parents", priya, "csc", 10)
    done = agree(lucy, "Birth plan to the ward", maria, "midwifery", 5)
    services.action_update(actor=maria, context=None, action=done, version=None,
                           status=ActionStatus.DONE)  # fmt: skip
    return overdue


def tab_to(page, name: str, limit: int = 80) -> None:
    """Press Tab until the focused element's accessible text starts with `name`."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()").startswith(name):
            return
    raise AssertionError(f"{name!r} was not reached with the Tab key")


def test_an_owner_marks_an_action_done_from_my_work_with_the_keyboard(page, axe, agreed):
    """
    Given Priya, a social worker who owns an overdue action agreed at the Mendip meeting
    When she signs in, reaches its "Mark as done" button with Tab and presses Enter
    Then she is back at her meeting actions with a success message, the action is done
    (today, by her) and only her other action is left; each page has no axe violation.
    """
    SignInPage.open(page, axe).sign_in("priya", PASSWORD)
    section = page.locator("#meeting-actions + p + table")
    expect(section).to_contain_text("Book the ICPC")
    expect(section).to_contain_text(format_date(agreed.due_date))
    expect(section.locator(".govuk-tag--red")).to_have_text("Overdue")

    tab_to(page, "Mark as done: Book the ICPC")
    page.keyboard.press("Enter")
    page.wait_for_url("**/my-work/#meeting-actions")
    after = MyWorkPage(page, axe)

    expect(after.page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Action marked as done: “Book the ICPC”"
    )
    expect(page.locator("#meeting-actions + p + table tbody tr")).to_have_count(1)
    expect(page.locator("#meeting-actions + p + table")).to_contain_text("Visit both parents")
    action = Action.objects.select_related("completed_by").get(pk=agreed.pk)
    assert action.status == ActionStatus.DONE and action.completed_by.username == "priya"
    assert action.completed_on == timezone.localdate()
    assert len(axe.checked) == 4  # sign-in, its code, My work, My work after


def test_the_action_log_pages_have_no_accessibility_violations(page, axe, agreed):
    """
    Given Helen, the Named Midwife who chairs Mendip's meeting
    When she opens the action log from the meetings page, shows every status and opens
    the log filtered to overdue actions, and the Locality page
    Then she sees each action with its owner and state, and axe-core finds no violation.
    """
    SignInPage.open(page, axe).sign_in("helen", PASSWORD)
    page.goto("/meetings/")
    meetings = BasePage(page, axe)
    meetings.page.get_by_role("link", name="Meeting action log").click()
    log = ActionLogPage(page, axe)
    assert log.heading() == "Meeting action log"
    assert [row.split("\n")[0] for row in log.rows()] == [
        "Unborn baby of Kerry Ashdown", "Unborn baby of Lucy Brent"]  # fmt: skip

    everything = log.filter_status("Any status")
    rows = everything.rows()
    assert len(rows) == 3 and any("Done" in row and "Maria Tester" in row for row in rows)

    page.goto("/meetings/actions/?status=overdue&agency=csc")
    overdue = ActionLogPage(page, axe)
    assert len(overdue.rows()) == 1 and "Overdue" in overdue.rows()[0]

    page.goto("/locality/")
    locality = BasePage(page, axe)
    expect(locality.page.locator("#overdue-actions + table")).to_contain_text("Mendip")
    assert len(axe.checked) == 8  # sign-in, its code, My work, meetings, the log thrice, Locality
