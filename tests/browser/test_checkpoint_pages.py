"""The checkpoints pages with a browser: axe-core on each, on a desktop and on a 375px
phone, and a multi-agency meeting recorded with the keyboard and the page alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleCode
from checkpoints import services
from checkpoints.services import SpecialistDetails
from tests.browser.pages import BasePage, SignInPage
from tests.conftest import PASSWORD
from timeline.services import steps_sync

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def case(make_user, make_case):
    """Priya's case, allocated 20 days ago, after an ICPC a week ago, with a hair strand
    test asked for since: flagged."""
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    make_user("mark", RoleCode.TEAM_MANAGER)
    helen = make_user("helen", RoleCode.NAMED_MIDWIFE)
    today = timezone.localdate()
    case = make_case(
        priya, edd=today + timedelta(days=90), referral_date=today - timedelta(days=21),
        allocation_date=today - timedelta(days=20), significant_harm=True,
        strategy_discussion_date=today - timedelta(days=14), named_social_worker=priya,
        named_midwife=helen,
    )  # fmt: skip
    steps_sync(case, source="plans.test", source_id="icpc",
               steps=[("icpc", "csc", today - timedelta(days=7))])  # fmt: skip
    services.specialist_assessment_request(
        actor=priya, context=None, case=case,
        details=SpecialistDetails(kind="hair_strand", requested_on=today - timedelta(days=2),
                                  provider="Example Laboratory"),
    )  # fmt: skip
    return case


@pytest.fixture
def open_at(browser, live_server, axe, _audit_rows_flushable):
    contexts = []

    def open_(viewport):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        SignInPage.open(page, axe).sign_in("priya", PASSWORD)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_checkpoint_pages_are_accessible_and_fit(case, open_at, axe, viewport):
    page = open_at(viewport)
    paths = [
        f"/cases/{case.id}/",
        f"/cases/{case.id}/checkpoints/",
        f"/cases/{case.id}/checkpoints/multi_agency_meeting/",
        f"/cases/{case.id}/checkpoints/checkpoint_30_day/",
        f"/cases/{case.id}/checkpoints/agencies_informed/",
        f"/cases/{case.id}/specialist-assessments/new/",
    ]
    for path in paths:
        page.goto(path)
        BasePage(page, axe)
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= viewport["width"], f"{path} scrolls sideways ({scroll}px)"


def test_a_meeting_without_the_health_visitor_is_recorded_with_a_warning(case, open_at, axe):
    """Given Priya on the checkpoints page, when she records the multi-agency meeting with
    herself and the midwife there but no health visitor, then it is saved, the milestone
    is done and the page says the health visitor was missing."""
    page = open_at(DESKTOP)
    page.goto(f"/cases/{case.id}/checkpoints/")
    listed = BasePage(page, axe)
    assert "Requested after the initial child protection conference" in page.content()
    page.get_by_role("link", name="Multi-agency assessment meeting").click()
    form = BasePage(page, axe)
    form.page.get_by_role("button", name="Record multi-agency assessment meeting").click()
    BasePage(page, axe)  # the error summary, checked too
    assert "There is a problem" in page.content()

    today = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_label("Priya Tester, social worker").check()
    page.get_by_label("Helen Tester, midwife").check()
    page.get_by_role("group", name="Was the family at the meeting?").get_by_label("Yes").check()
    page.get_by_role("button", name="Record multi-agency assessment meeting").click()

    BasePage(page, axe)
    assert "No health visitor at the meeting" in page.content()
    assert listed.heading() == "Checkpoints"
