"""The main pages fit a 375px phone without sideways scrolling, and use a desktop's width."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleCode, User
from cases import services as case_services
from cases.models import PregnancyOutcome
from tests.browser.pages import BasePage, SignInPage
from tests.conftest import PASSWORD, reference_data, sign_in_code

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
LONG_NAME = {"given_name": "Alexandra-Louise", "family_name": "Featherstonehaugh-Whittington"}


@pytest.fixture
def cases(make_user, make_case):
    """Mark, a team manager named on two cases with long names: one with overdue
    work before birth, one born early (its strip has weeks after birth)."""
    mark = make_user("mark", RoleCode.TEAM_MANAGER)
    today = timezone.localdate()
    unborn = make_case(
        mark,
        edd=today + timedelta(days=60),
        referral_date=today - timedelta(days=30),
        allocation_date=today - timedelta(days=29),
        significant_harm=True,
        named_social_worker=mark,
        **LONG_NAME,
    )
    # On the Team page: a case of a social worker in Mark's team.
    make_case(
        mark,
        edd=today + timedelta(days=90),
        named_social_worker=make_user("priya", RoleCode.SOCIAL_WORKER),
        **LONG_NAME,
    )
    born = make_case(
        mark, edd=today + timedelta(days=10), named_social_worker=mark, given_name="Lena"
    )
    born_at = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    born = case_services.outcome_record(
        actor=mark, context=None, case=born, outcome=PregnancyOutcome.LIVE_BIRTH,
        outcome_date=today, babies=[case_services.BabyDetails(born_at=born_at, sex="female")],
    )  # fmt: skip
    return unborn, born


@pytest.fixture
def open_at(browser, live_server, axe, _audit_rows_flushable):
    """A signed-in page in a browser window of the given size."""
    reference_data()
    contexts = []

    def open_(viewport):
        context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=viewport)
        contexts.append(context)
        page = context.new_page()
        SignInPage.open(page, axe).sign_in("mark", PASSWORD)
        return page

    yield open_
    for context in contexts:
        context.close()


def _paths(cases):
    unborn, born = cases
    return {
        "My work": "/my-work/",
        "the case list": "/cases/",
        "Team": "/team/",
        "Locality": "/locality/",
        "a case": f"/cases/{unborn.id}/",
        "its timeline": f"/cases/{unborn.id}/timeline/",
        "a born baby's timeline": f"/cases/{born.id}/timeline/",
    }


def test_no_page_scrolls_sideways_on_a_phone(open_at, axe, cases):
    """
    Given Mark, on a phone 375 pixels wide
    When he opens My work, the case list, Team, Locality, a case and its timeline
    Then none of them scrolls sideways, the last column of My work is on screen,
    each table row is a labelled block, the filters are folded away, and axe-core
    finds nothing wrong at this width.
    """
    page = open_at(PHONE)
    for name, path in _paths(cases).items():
        page.goto(path)
        BasePage(page, axe)
        scroll_width, inner_width = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width, f"{name} scrolls sideways: {scroll_width}px"

    page.goto("/my-work/")
    status = page.locator("td[data-label='Status']").first
    box = status.bounding_box()
    assert status.is_visible() and box["x"] + box["width"] <= PHONE["width"]
    label = status.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert "Status" in label

    for path in ("/locality/", "/team/", "/cases/"):
        page.goto(path)
        filters = page.locator("details.app-filters-details")
        assert not filters.evaluate("details => details.open"), path
        assert not page.get_by_label("Level of CSC input").is_visible()
        page.get_by_text("Show filters").click()
        assert page.get_by_label("Level of CSC input").is_visible()
        assert page.get_by_text("Hide filters").is_visible()

    page.goto(_paths(cases)["its timeline"])
    assert not page.locator("figure.app-strip").is_visible()  # the table says it all
    assert page.locator("table td[data-label='Due']").first.is_visible()


def test_a_phone_without_javascript_can_still_open_the_filters(browser, live_server, cases):
    reference_data()
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    code = sign_in_code(User.objects.get(username="mark"))
    page.goto("/sign-in/")
    page.get_by_label("Username").fill("mark")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code", exact=True).fill(code)
    page.get_by_role("button", name="Continue").click()
    page.goto("/locality/")

    page.get_by_text("Show filters").click()
    page.get_by_label("Only cases with something overdue").check()
    page.get_by_role("button", name="Apply filters").click()

    assert "overdue=on" in page.url
    assert page.locator("details.app-filters-details").evaluate("details => details.open")
    context.close()


def test_dashboards_use_the_width_of_a_desktop(open_at, axe, cases):
    """
    Given Mark on a desktop 1280 pixels wide
    When he opens Locality, Team and the case list
    Then the filters are open above the table, and no case's name, however long,
    wraps onto more than two lines.
    """
    page = open_at(DESKTOP)
    for path in ("/locality/", "/team/", "/cases/"):
        page.goto(path)
        BasePage(page, axe)
        assert page.locator("details.app-filters-details").evaluate("details => details.open")
        table = page.locator("table.app-drift-table, table.app-case-table")
        main = page.locator("main").bounding_box()
        assert table.bounding_box()["width"] >= main["width"] - 1, path
        names = table.locator("tbody tr td:first-child a")
        assert names.count() >= 1
        for i in range(names.count()):
            name = names.nth(i)
            lines = name.evaluate("link => link.getClientRects().length")
            assert lines <= 2, f"{name.inner_text()!r} wraps onto {lines} lines on {path}"


def test_a_form_sent_with_a_stale_token_explains_itself_on_a_phone(open_at, axe, cases):
    """The form-security failure page, reached as a person would, is accessible and fits."""
    page = open_at(PHONE)
    page.goto("/cases/new/")
    page.evaluate(
        "document.querySelectorAll('input[name=csrfmiddlewaretoken]')"
        ".forEach(input => input.value = 'A'.repeat(64))"
    )
    page.get_by_role("button", name="Register case").click()

    assert BasePage(page, axe).heading() == "What you entered was not saved"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("link", name="Go back to the page you were on").click()
    assert page.url.endswith("/cases/new/")
