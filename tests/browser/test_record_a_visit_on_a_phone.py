"""A social worker records the introductory home visit on a 375px phone, from the case page,
and it completes the milestone; then withdraws it. Axe on every page, no sideways scroll."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import RoleCode
from tests.browser.pages import BasePage, SignInPage
from tests.conftest import PASSWORD, reference_data
from timeline.models import CaseMilestone
from visits.models import Visit

PHONE = {"width": 375, "height": 800}


class PhonePage(BasePage):
    def __init__(self, page, axe):
        super().__init__(page, axe)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"{page.url} scrolls sideways ({width}px)"


class CasePage(PhonePage):
    def record_a_visit(self) -> "RecordVisitPage":
        self.page.locator("#visits ~ ul").get_by_role("link", name="Record a visit").click()
        return RecordVisitPage(self.page, self.axe)

    def all_visits(self) -> "VisitListPage":
        self.page.locator("#visits ~ ul").get_by_role("link", name="All visits and notes").click()
        return VisitListPage(self.page, self.axe)

    def banner(self) -> str:
        return self.page.locator(".govuk-notification-banner").inner_text()


class RecordVisitPage(PhonePage):
    def save(self) -> None:
        self.page.get_by_role("button", name="Save visit").click()

    def errors(self) -> list[str]:
        return self.page.locator(".govuk-error-summary li").all_inner_texts()


class VisitListPage(PhonePage):
    def withdraw_first(self) -> "WithdrawPage":
        self.page.get_by_role("link", name="Withdraw").first.click()
        return WithdrawPage(self.page, self.axe)


class NotePage(PhonePage):
    def save(self) -> None:
        self.page.get_by_role("button", name="Save note").click()


class WithdrawPage(PhonePage):
    def withdraw(self, reason: str) -> VisitListPage:
        self.page.get_by_label("Why is this visit being withdrawn?").fill(reason)
        self.page.get_by_role("button", name="Withdraw visit").click()
        return VisitListPage(self.page, self.axe)


@pytest.fixture
def allocated(make_user, make_case):
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    today = timezone.localdate()
    return make_case(
        priya,
        edd=today + timedelta(days=100),
        referral_date=today - timedelta(days=3),
        allocation_date=today - timedelta(days=2),
        named_social_worker=priya,
    )


def test_a_social_worker_records_the_introductory_visit_on_a_phone(
    browser, live_server, axe, _audit_rows_flushable, allocated
):
    """Given Priya on her phone, on an allocated case
    When she records an introductory home visit "just now", father not seen with the reason
    Then the introductory home visit milestone is done, and withdrawing it opens it again."""
    reference_data()
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    page = context.new_page()
    try:
        SignInPage.open(page, axe).sign_in("priya", PASSWORD)
        page.goto(f"/cases/{allocated.id}/")
        case_page = CasePage(page, axe)

        form = case_page.record_a_visit()
        form.save()
        form = RecordVisitPage(page, axe)  # the error summary, checked by axe too
        assert "Choose when the visit was" in form.errors()

        date_box = page.locator("#id_visited_on_day")
        page.get_by_label("Earlier today or another day").check()
        expect(date_box).to_be_visible()
        page.get_by_label("Just now").check()
        expect(date_box).to_be_hidden()
        page.get_by_label("Introductory home visit").check()
        page.get_by_label("If the father or partner was not seen, why not?").fill(
            "Father at work; joint visit booked"
        )
        page.get_by_label("Mother").check()
        page.get_by_label("Not yet born").check()
        page.get_by_label("Note (optional)").fill("Explained the assessment")
        form.save()

        case_page = CasePage(page, axe)
        assert "It completes: Introductory home visit" in case_page.banner()
        row = CaseMilestone.objects.get(case=allocated, milestone_id="intro_home_visit")
        assert row.done_date == timezone.localdate()
        assert Visit.objects.get().father_not_seen_reason == "Father at work; joint visit booked"

        listing = case_page.all_visits()
        listing = listing.withdraw_first().withdraw("Recorded on the wrong case")
        expect(page.locator("h3", has_text="Withdrawn")).to_be_visible()
        row.refresh_from_db()
        assert row.done_date is None

        page.get_by_role("link", name="Add a case note").click()
        note = NotePage(page, axe)
        note.save()
        note = NotePage(page, axe)  # its error summary
        page.get_by_label("Case note").check()
        page.get_by_label("Note", exact=True).fill("Phoned the father to book the joint visit")
        note.save()
        case_page = CasePage(page, axe)
        assert "Case note added" in case_page.banner()
        listing = case_page.all_visits()
        expect(page.get_by_text("Phoned the father to book the joint visit")).to_be_visible()
    finally:
        context.close()
