"""The chair's month, in the browser: schedule, adjust the cohort, record three families,
finalise, take away the record, and find the actions carried forward and on My work."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import RoleCode
from cases.models import CscInput
from meetings.models import Meeting
from tests.browser.pages import BasePage, SignInPage, fill_date
from tests.conftest import PASSWORD

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
PHONE = {"width": 375, "height": 800}
APPENDIX_1_COLUMNS = [
    "Mother name & DOB",
    "Father / Partner name & DOB",
    "EDD",
    "Current Concerns",
    "Level of CSC input",
    "Actions",
]


@pytest.fixture
def mendip(make_user, make_case):
    """Helen chairs Mendip's meeting with Jo (CSC) and Sam (PHN); three families are open
    to CSC, a fourth is not, and the chair will add it."""
    people = {
        "helen": make_user("helen", RoleCode.NAMED_MIDWIFE),
        "jo": make_user("jo", RoleCode.OPERATIONS_MANAGER),
        "sam": make_user("sam", RoleCode.NAMED_PHN),
    }
    worker = make_user("priya", RoleCode.SOCIAL_WORKER)
    today = timezone.localdate()
    families = [
        make_case(worker, given_name=name, family_name=surname, csc_input=level,
                  edd=today + timedelta(days=40 + 20 * n),
                  referral_date=today - timedelta(days=60))
        for n, (name, surname, level) in enumerate([
            ("Kerry", "Ashdown", CscInput.CHILD_PROTECTION),
            ("Lucy", "Brent", CscInput.CHILD_IN_NEED),
            ("Zara", "Coombe", CscInput.PRE_PROCEEDINGS),
        ])
    ]  # fmt: skip
    extra = make_case(worker, given_name="Nina", family_name="Dunster", csc_input=CscInput.NONE)
    return people, families, extra


def _shoot(page, name: str) -> None:
    """A desktop and a 375px phone screenshot, for a person to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(size)
    assert width <= PHONE["width"], f"{name} scrolls sideways on a phone: {width}px"


def _family(page, name: str):
    return page.locator("section.app-family").filter(
        has=page.get_by_role("heading", name=name, level=2)
    )


def _record_family(page, name: str, concerns: str, points: str, theme: str, action: dict):
    section = _family(page, name)
    section.get_by_label("Current concerns").fill(concerns)
    section.get_by_label("Key points of discussion").fill(points)
    section.get_by_label(theme, exact=True).check()
    section.get_by_label("Action", exact=True).fill(action["what"])
    section.get_by_label("Agency", exact=True).select_option(label=action["agency"])
    section.get_by_label("Owner (optional)").select_option(label=action["owner"])
    due = action["due"]
    fill_date(section, "Timeframe", due.day, due.month, due.year)
    section.get_by_role("button", name=f"Save {name}").click()


def test_the_chairs_month_from_scheduling_to_actions_on_my_work(page, axe, mendip):
    """
    Given Helen, the Named Midwife for Safeguarding in Mendip, with Jo and Sam
    When she schedules this month's meeting and next month's, adds a family with a reason,
    records attendance and three families (concerns, key points, a theme, an action
    each), finalises, downloads the record as Word and PDF and copies a case note
    Then the documents hold exactly the Appendix 1 columns and the families, next month's
    meeting shows the open actions carried forward, Jo and Sam find their actions on My
    work, and axe finds no violation on any page.
    """
    people, families, extra = mendip
    today = timezone.localdate()
    due = today + timedelta(days=14)

    SignInPage.open(page, axe).sign_in("helen", PASSWORD)
    BasePage(page, axe).menu("Meetings")
    BasePage(page, axe)
    page.get_by_role("link", name="Schedule a meeting").click()
    BasePage(page, axe)
    fill_date(page, "Date of the meeting", today.day, today.month, today.year)
    page.get_by_label("Start time").fill("10am")
    page.get_by_label("End time").fill("12pm")
    page.get_by_label("Venue (optional)").fill("Frome Medical Centre, room 2")
    page.get_by_label("Jo Tester").check()
    page.get_by_label("Sam Tester").check()
    page.get_by_label("How many monthly meetings to schedule").select_option("2")
    page.get_by_role("button", name="Schedule").click()
    BasePage(page, axe)
    meeting = Meeting.objects.order_by("date").first()
    assert page.url.endswith(f"/meetings/{meeting.id}/")
    cohort = page.locator("#cohort ~ ol").first
    for case in families:
        expect(cohort).to_contain_text(case.display_name)
    _shoot(page, "meeting-proposed")

    # The chair adds a family the rule left out, with a reason.
    page.get_by_role("link", name="Add a family").click()
    BasePage(page, axe)
    page.get_by_label("Case reference").fill(extra.reference)
    page.get_by_label("Why").fill("Known to CSC before; midwifery worried about housing")
    page.get_by_role("button", name="Add the family").click()
    BasePage(page, axe)
    expect(page.locator("#cohort ~ ol").first).to_contain_text(f"{extra.display_name} ")

    # Attendance: Jo came, Sam sent a deputy.
    page.get_by_role("group", name="Jo Tester").get_by_label("Attended").check()
    sam = page.get_by_role("group", name="Sam Tester")
    sam.get_by_label("Sent a deputy").check()
    sam.get_by_label("Deputy's name, if a deputy came").fill("Pat Deputy")
    page.get_by_role("group", name="Helen Tester").get_by_label("Attended").check()
    page.get_by_role("button", name="Save attendance").click()
    BasePage(page, axe)

    csc, phn = "Children's Social Care", "Public Health Nursing"
    jo, sam = f"Jo Tester ({csc})", f"Sam Tester ({phn})"
    plans = [
        (families[0], "Domestic abuse disclosed", "Father not engaging\nICPC booked",
         "Father or partner not engaged",
         {"what": "Invite the father to the ICPC", "agency": csc, "owner": jo}),
        (families[1], "Missed antenatal appointments", "Health visitor to visit", "Housing",
         {"what": "Antenatal contact by the health visitor", "agency": phn, "owner": sam}),
        (families[2], "Pre-proceedings letter sent", "PAMS assessment requested",
         "Substance misuse", {"what": "Chase the PAMS assessment", "agency": csc, "owner": jo}),
    ]  # fmt: skip
    for case, concerns, points, theme, action in plans:
        _record_family(page, case.display_name, concerns, points, theme, {**action, "due": due})
        BasePage(page, axe)
        expect(_family(page, case.display_name)).to_contain_text(action["what"])
    _shoot(page, "meeting-recorded")

    page.get_by_role("link", name="Finalise the record").click()
    BasePage(page, axe)
    page.get_by_role("button", name="Finalise the record").click()
    BasePage(page, axe)
    expect(page.locator("h1")).to_contain_text("Finalised")

    with page.expect_download() as word:
        page.get_by_role("link", name="Download the meeting record (Word)").click()
    document = Document(io.BytesIO(Path(word.value.path()).read_bytes()))
    table = document.tables[0]
    assert [cell.text.strip() for cell in table.rows[0].cells] == APPENDIX_1_COLUMNS
    rows = [row.cells[0].text for row in table.rows[1:]]
    assert len(rows) == 4
    for case in [*families, extra]:
        assert any(case.mother.full_name in text for text in rows), case.mother.full_name
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Download the meeting record (PDF)").click()
    text = " ".join(p.extract_text() for p in PdfReader(pdf.value.path()).pages)
    assert "Children's Social Care and Health Senior Leads Pre-birth Review" in text.replace(
        "\u2019", "'"
    )
    assert "OFFICIAL-SENSITIVE" in text and "Invite the father to the ICPC" in text

    page.get_by_role("link", name="Case notes for each agency's records").click()
    BasePage(page, axe)
    name = families[0].display_name
    note = page.get_by_role("textbox", name=f"Children's social care for {name}")
    assert note.input_value().startswith("Management Decisions And Oversight case note")
    assert "Invite the father to the ICPC" in note.input_value()
    _shoot(page, "meeting-case-notes")

    # Next month's meeting: the open actions are carried forward.
    later = Meeting.objects.order_by("date").last()
    assert later.date > meeting.date
    page.goto(f"/meetings/{later.id}/")
    BasePage(page, axe)
    page.get_by_role("button", name="Propose the families again by rule").click()
    BasePage(page, axe)
    carried = _family(page, families[0].display_name)
    expect(carried).to_contain_text("Actions from earlier meetings")
    expect(carried).to_contain_text("Invite the father to the ICPC")

    # Jo and Sam find their own actions on My work.
    for username, theirs, not_theirs in [
        ("jo", ["Invite the father to the ICPC", "Chase the PAMS assessment"],
         "Antenatal contact by the health visitor"),
        ("sam", ["Antenatal contact by the health visitor"], "Invite the father to the ICPC"),
    ]:  # fmt: skip
        page.context.clear_cookies()
        SignInPage.open(page, axe).sign_in(username, PASSWORD)
        section = page.locator("#meeting-actions ~ table").first
        for action in theirs:
            expect(section).to_contain_text(action)
        expect(section).not_to_contain_text(not_theirs)
        expect(section).to_contain_text(f"{due.day} {due:%B} {due.year}")
        _shoot(page, f"my-work-{username}")
    assert len(axe.checked) >= 20
