"""After the meeting: the case notes page, checked by axe, and its Copy buttons."""

from playwright.sync_api import expect

from tests.browser.pages import BasePage, SignInPage
from tests.conftest import PASSWORD
from tests.meeting_fixtures import finalised_meeting


class CaseNotesPage(BasePage):
    """The meeting's case notes: a read-only box of text per agency per family."""

    def box(self, label: str, family: str):
        return self.page.get_by_role("textbox", name=f"{label} for {family}")

    def copy(self, label: str, family: str) -> None:
        self.page.get_by_role("button", name=f"Copy the {label} text for {family}").click()


def test_a_case_note_is_copied_with_one_button(page, axe, live_server):
    """
    Given Jo, the CSC operations manager, after a finalised tracking meeting in Mendip
    When she opens the meeting's case notes and presses Copy under a family's CSC case note
    Then the page has no accessibility violation, the note is on her clipboard exactly as
    the box shows it, and the page says it was copied.
    """
    built = finalised_meeting(families=2, password=PASSWORD)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    SignInPage.open(page, axe).sign_in(built.operations_manager.username, PASSWORD)
    page.goto(f"/meetings/{built.meeting.id}/case-notes/")
    notes = CaseNotesPage(page, axe)
    family = built.discussions[0].case.display_name

    note = notes.box("Children's social care", family)
    text = note.input_value()
    assert text.startswith("Management Decisions And Oversight case note")
    expect(note).to_have_attribute("readonly", "")
    notes.copy("Children's social care", family)

    expect(page.locator("[data-app-copy-status]").first).to_have_text(
        "Copied. Paste it into the record."
    )
    assert page.evaluate("navigator.clipboard.readText()") == text
    axe.check(page)  # with the Copy buttons shown and the status said
