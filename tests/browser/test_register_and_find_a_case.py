"""The first journey: sign in, register a case, find it, open it."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import RoleCode
from tests.browser.pages import SignInPage
from tests.conftest import PASSWORD


def test_a_midwife_registers_a_case_then_finds_and_opens_it(page, axe, make_user):
    """
    Given Maria, a community midwife in Mendip
    When she signs in and registers an unborn baby with a mistake, corrects it,
    and searches for the mother by NHS number
    Then she finds the case and its summary shows the EDD in words and the gestation,
    and every page she saw had no accessibility violations.
    """
    make_user("maria", RoleCode.MIDWIFE)
    today = timezone.localdate()
    edd = today + timedelta(days=150)

    my_work = SignInPage.open(page, axe).sign_in("maria", PASSWORD)
    register = my_work.start_registering()
    register.fill_mother("Kerry", "Ashdown", (14, 7, 1998), "999 000 0019")
    register.fill_pregnancy(
        (edd.day, edd.month, edd.year),
        (today.day, today.month, today.year),
        "Midwifery booking appointment",
        "Mendip",
    )
    register = register.submit()
    assert register.error_messages() == [
        "Enter a valid NHS number – check you have typed it correctly"
    ]

    page.get_by_label("Mother's NHS number").fill("999 000 0018")
    case = register.submit()
    case.expect_banner("Unborn baby of Kerry Ashdown registered")
    assert case.heading() == "Unborn baby of Kerry Ashdown"
    assert case.summary_value("Expected due date").startswith(f"{edd.day} {edd:%B} {edd.year}")
    assert case.summary_value("Gestation today") == "18+4"

    cases = case.go_to_cases().search("9990000018")
    rows = cases.row_texts()
    assert len(rows) == 1 and "Unborn baby of Kerry Ashdown" in rows[0]
    case = cases.open_case("Unborn baby of Kerry Ashdown")
    assert case.summary_value("NHS number") == "999 000 0018"
    assert len(axe.checked) >= 6
