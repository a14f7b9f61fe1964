"""A social worker reads a case's history, filters it, and downloads it as PDF — on a
laptop and on a phone, with axe-core on every page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import RoleCode
from cases import services
from tests.browser.pages import BasePage, SignInPage
from tests.conftest import PASSWORD


@pytest.fixture
def worker_with_a_case(make_user, make_case):
    worker = make_user("priya", RoleCode.SOCIAL_WORKER)
    today = timezone.localdate()
    case = make_case(worker, edd=today + timedelta(days=100), named_social_worker=worker)
    services.case_facts_update(
        actor=worker, context=None, case=case,
        referral_date=today - timedelta(days=6), allocation_date=today - timedelta(days=5),
    )  # fmt: skip
    services.edd_revise(
        actor=worker, context=None, case=case, edd=case.edd + timedelta(days=4),
        reason="Dating scan",
    )  # fmt: skip
    return worker, case


@pytest.mark.parametrize("width", [1024, 375])
def test_a_social_worker_reads_filters_and_downloads_the_case_history(
    page, axe, worker_with_a_case, width
):
    """Given a case referred, allocated and with its due date revised,
    When the social worker opens the case and follows "Case history",
    Then every change shows newest first, the filter narrows it to the referral,
    And the PDF holds what the page shows."""
    worker, case = worker_with_a_case
    page.set_viewport_size({"width": width, "height": 900})
    SignInPage.open(page, axe).sign_in(worker.username, PASSWORD)
    page.goto(f"/cases/{case.id}/")
    BasePage(page, axe)
    expect(page.locator("#history ~ ul")).to_contain_text("Expected due date revised to")

    page.get_by_role("link", name="Full case history").click()
    history = BasePage(page, axe)
    assert history.heading() == "Case history"
    expect(page.get_by_text("3 entries")).to_be_visible()
    expect(
        page.locator("p", has_text="Registered the case of Kerry Ashdown's pregnancy")
    ).to_be_visible()

    if width < 769:
        page.get_by_text("Filter the history").click()
    page.get_by_label("Referral and allocation").check()
    page.get_by_role("button", name="Apply filters").click()
    BasePage(page, axe)
    expect(page.get_by_text("1 entry matches the filters")).to_be_visible()
    expect(page.locator("p", has_text="Referred to children's social care on")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download as PDF (as filtered)").click()
    text = " ".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert "Referred to children's social care on" in text.replace("\u2019", "'")
    assert "Dating scan" not in text
