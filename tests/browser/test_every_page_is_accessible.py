"""Every page of the service, checked by axe-core, and journeys done with a keyboard alone."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import RoleCode
from cases import services as case_services
from cases.models import PregnancyOutcome
from tests.browser.pages import BasePage, RegisterCasePage, SignInPage
from tests.conftest import PASSWORD, sign_in_code
from visits.services import case_note_add


@pytest.fixture
def manager_with_a_case(make_user, make_case):
    manager = make_user("mark", RoleCode.TEAM_MANAGER)
    today = timezone.localdate()
    case = make_case(
        manager,
        edd=today + timedelta(days=60),
        referral_date=today - timedelta(days=30),
        allocation_date=today - timedelta(days=29),
        significant_harm=True,
        named_social_worker=manager,
    )
    return manager, case


def _born_today(manager, make_case, given_name: str):
    """A case whose baby was born just after midnight today."""
    today = timezone.localdate()
    case = make_case(manager, edd=today, given_name=given_name, named_social_worker=manager)
    born_at = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    return case_services.outcome_record(
        actor=manager, context=None, case=case, outcome=PregnancyOutcome.LIVE_BIRTH,
        outcome_date=today, babies=[case_services.BabyDetails(born_at=born_at, sex="female")],
    )  # fmt: skip


@pytest.fixture
def unallocated_case(manager_with_a_case, make_case):
    """Referred late and waiting for allocation: first on the Team page."""
    today = timezone.localdate()
    return make_case(manager_with_a_case[0], edd=today + timedelta(days=60), given_name="Una",
                     family_name="Waiting", referral_date=today - timedelta(days=2))  # fmt: skip


@pytest.fixture
def born_case(manager_with_a_case, make_case):
    return _born_today(manager_with_a_case[0], make_case, "Lena")


@pytest.fixture
def died_case(manager_with_a_case, make_case):
    manager = manager_with_a_case[0]
    case = _born_today(manager, make_case, "Nia")
    return case_services.baby_death_record(
        actor=manager, context=None, case=case, baby=case.babies.get(),
        died_on=timezone.localdate(),
    )  # fmt: skip


def test_every_page_has_no_accessibility_violations(
    page, axe, manager_with_a_case, unallocated_case, born_case, died_case
):
    """
    Given Mark, a team manager in Mendip, with a case in his locality
    When he visits every page of the service, including forms showing errors
    Then axe-core finds no violation on any of them.
    """
    manager, case = manager_with_a_case
    note = case_note_add(actor=manager, context=None, case=case, kind="case_note",
                         text="Written on the wrong case")  # fmt: skip
    # Shown tagged "Restricted" on its page and in the case list.
    case_services.case_restrict(actor=manager, context=None, case=died_case, users=[manager],
                                reason="The mother is a member of staff")  # fmt: skip
    SignInPage.open(page, axe).sign_in("mark", PASSWORD)
    case_url = f"/cases/{case.id}/"
    for path in [
        "/my-work/",
        "/my-work/?show=overdue",
        "/team/",
        "/team/?queue_page=1&late_page=1",
        "/locality/",
        "/locality/?overdue=on&sort=overdue",
        case_url + "timeline/",
        case_url + "timeline/referral/",
        case_url + "timeline/intro_home_visit/",
        case_url + "facts/",
        "/cases/",
        "/cases/?q=nobody",
        "/cases/?csc_input=assessment&sort=-edd",
        "/cases/?gaps=health_visitor&gaps=midwife",
        "/cases/new/",
        case_url,
        case_url + "details/",
        case_url + "edd/",
        case_url + "partners/new/",
        case_url + "outcome/",
        case_url + "outcome/?babies=2",
        case_url + "audit/",
        case_url + "restriction/",
        f"/cases/{died_case.id}/restriction/",
        f"/cases/{died_case.id}/restriction/lift/",
        f"/cases/{born_case.id}/",
        f"/cases/{born_case.id}/facts/",
        case_url + f"notes/{note.id}/withdraw/",
        f"/cases/{born_case.id}/babies/1/death/",
        f"/cases/{died_case.id}/",
        f"/cases/{died_case.id}/babies/1/death/withdraw/",
        "/accessibility/",
        "/privacy/",
        "/account/password/",
        "/account/sessions/",
        "/account/recovery-codes/",
        "/cases/00000000-0000-0000-0000-000000000000/",
    ]:
        page.goto(path)
        BasePage(page, axe)

    for path, button in [
        ("/cases/new/", "Register case"),
        (case_url + "edd/", "Save new due date"),
        (case_url + "partners/new/", "Add"),
        (case_url + "outcome/", "Save outcome"),
        (case_url + "timeline/intro_home_visit/", "Mark as not applicable"),
        (f"/cases/{born_case.id}/babies/1/death/", "Record the death"),
        (f"/cases/{died_case.id}/babies/1/death/withdraw/", "Withdraw the record of this death"),
        (case_url + f"notes/{note.id}/withdraw/", "Withdraw note"),
        ("/account/password/", "Change password"),
        (case_url + "restriction/", "Restrict the case"),
        (f"/cases/{died_case.id}/restriction/lift/", "Lift the restriction"),
    ]:
        page.goto(path)
        page.get_by_role("button", name=button, exact=True).click()
        errors = BasePage(page, axe)
        assert errors.page.locator(".govuk-error-summary").is_visible(), path

    # The introductory visit is done by recording the visit: its page links there, with no
    # tick form (the not applicable form above is its one form).
    page.goto(case_url + "timeline/intro_home_visit/")
    link = page.get_by_role("link", name="Record the introductory home visit", exact=True)
    assert link.get_attribute("href") == case_url + "visits/new/"
    assert page.get_by_role("button", name="Record as done").count() == 0

    # sign-in, its code, landing page, 37 pages, 11 forms with errors
    assert len(axe.checked) == 51


def test_a_possible_duplicate_is_warned_of_and_going_on_needs_a_reason(
    page, axe, manager_with_a_case
):
    """
    Given Mark, with an open case for Kerry Ashdown in Mendip
    When he registers Kerry Ashdown again (same name and date of birth), goes on without a
    reason, then with one
    Then he is warned with a link to her case, is asked for the reason, and the case is
    registered; every state of the page has no accessibility violation.
    """
    _, existing = manager_with_a_case
    today = timezone.localdate()
    edd = today + timedelta(days=100)
    register = SignInPage.open(page, axe).sign_in("mark", PASSWORD).start_registering()
    register.fill_mother("kerry", "ASHDOWN", (14, 7, 1998), "999 777 0005")
    register.fill_pregnancy((edd.day, edd.month, edd.year), (today.day, today.month, today.year),
                            "Midwifery booking appointment", "Mendip")  # fmt: skip

    register.page.get_by_role("button", name="Register case").click()
    warned = RegisterCasePage(page, axe)
    [match] = warned.possible_duplicates()
    assert "Unborn baby of Kerry Ashdown" in match and "same name and date of birth" in match
    assert page.get_by_label("Mother's first name").input_value() == "kerry"

    refused = warned.register_anyway("")
    assert refused.error_messages() == [
        "Enter why you are registering this case despite the possible match"
    ]
    case = refused.register_anyway("A new pregnancy: the earlier case ended and was not closed")
    case.expect_banner("Unborn baby of kerry ASHDOWN registered")
    assert len(axe.checked) == 7  # sign-in, code, landing, form, warning, error, the new case


def test_the_not_found_page_is_a_real_404(page, axe, manager_with_a_case):
    SignInPage.open(page, axe).sign_in("mark", PASSWORD)

    response = page.goto("/cases/00000000-0000-0000-0000-000000000000/")

    assert response.status == 404
    assert BasePage(page, axe).heading() == "Page not found"


def tab_to(page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching selector has focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} was not reached with the Tab key")


def test_signing_in_finding_and_opening_a_case_with_the_keyboard_alone(
    page, axe, manager_with_a_case
):
    """
    Given Mark, who uses a keyboard and no mouse
    When he signs in, searches for a mother and opens her case using Tab and Enter
    Then he reaches the case, and the skip link takes him straight to the content.
    """
    manager, case = manager_with_a_case
    code = sign_in_code(manager)
    SignInPage.open(page, axe)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    tab_to(page, "#id_username")
    page.keyboard.type("mark")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/sign-in/code/*")
    BasePage(page, axe)
    tab_to(page, "#id_code")
    page.keyboard.type(code)
    page.keyboard.press("Enter")
    page.wait_for_url("**/team/")  # a team manager lands on the Team page
    BasePage(page, axe)

    tab_to(page, "nav a[href='/cases/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/")
    BasePage(page, axe)
    tab_to(page, "#id_q")
    page.keyboard.type("Ashdown")
    page.keyboard.press("Enter")
    page.wait_for_url("**/cases/?q=Ashdown*")
    BasePage(page, axe)
    tab_to(page, f"a[href='/cases/{case.id}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/cases/{case.id}/")

    assert BasePage(page, axe).heading() == "Unborn baby of Kerry Ashdown"


def test_the_data_protection_pages_have_no_accessibility_violations(
    page, axe, make_user, manager_with_a_case, died_case
):
    """
    Given Ruth, the data protection officer, and a restricted case and an open one
    When she signs in, searches for a mother (and makes mistakes), lists the restricted
    cases, and reads and filters a case's access log
    Then she lands on her search, and axe-core finds no violation on any of those pages.
    """
    manager, case = manager_with_a_case
    make_user("ruth", RoleCode.DATA_PROTECTION_OFFICER, localities=("mendip", "sedgemoor"))
    case_services.case_restrict(actor=manager, context=None, case=died_case, users=[manager],
                                reason="The mother is a member of staff")  # fmt: skip
    SignInPage.open(page, axe).sign_in("ruth", PASSWORD)
    page.wait_for_url("**/data-protection/")
    assert page.get_by_role("link", name="Data protection").count() == 1
    access = f"/data-protection/cases/{case.id}/access/"
    for path in [
        "/data-protection/?mother_name=Kerry",
        "/data-protection/?mother_name=Nia",
        "/data-protection/?nhs_number=123",
        "/data-protection/restrictions/",
        access,
        access + f"?person={manager.pk}",
        access + "?since_day=31&since_month=2&since_year=2027",
    ]:
        page.goto(path)
        BasePage(page, axe)

    page.goto("/data-protection/")
    page.get_by_role("button", name="Search", exact=True).click()
    errors = BasePage(page, axe)
    assert errors.page.locator(".govuk-error-summary").is_visible()

    # sign-in, its code, landing page, 7 pages, 1 form with errors
    assert len(axe.checked) == 11
    # On a 375px phone her tables are labelled blocks: nothing scrolls sideways.
    page.set_viewport_size({"width": 375, "height": 800})
    for path in ("/data-protection/?mother_name=Kerry", "/data-protection/restrictions/", access):
        page.goto(path)
        wide, window = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert wide <= window, f"{path} scrolls sideways on a phone: {wide}px"
