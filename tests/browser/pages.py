"""Page objects: what a person sees and does on each page, in their words.

Every page object checks the page with axe-core when it arrives, so no journey
can visit a page without it being checked.
"""

from playwright.sync_api import Page, expect

from accounts.models import User
from tests.conftest import sign_in_code


class BasePage:
    def __init__(self, page: Page, axe):
        self.page = page
        self.axe = axe
        self.page.wait_for_load_state("load")
        self.axe.check(page)

    def heading(self) -> str:
        return self.page.locator("h1").inner_text()

    def menu(self, name: str) -> None:
        self.page.get_by_role("navigation", name="Menu").get_by_role(
            "link", name=name, exact=True
        ).click()

    def start_registering(self) -> "RegisterCasePage":
        self.menu("Register a case")
        return RegisterCasePage(self.page, self.axe)

    def go_to_cases(self) -> "CaseListPage":
        self.menu("Cases")
        return CaseListPage(self.page, self.axe)


class SignInPage(BasePage):
    @classmethod
    def open(cls, page: Page, axe) -> "SignInPage":
        page.goto("/sign-in/")
        return cls(page, axe)

    def sign_in(self, username: str, password: str) -> "MyWorkPage":
        """The password, then the code the person's authenticator app shows (set up
        already, as the demo's people have)."""
        code = sign_in_code(User.objects.get(username=username))
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        return CodePage(self.page, self.axe).enter(code)


class CodePage(BasePage):
    """Signing in, step 2: the code from the authenticator app."""

    def enter(self, code: str) -> "MyWorkPage":
        expect(self.page.locator("h1")).to_have_text("Enter your sign-in code")
        self.page.get_by_label("Code", exact=True).fill(code)
        self.page.get_by_role("button", name="Continue").click()
        return MyWorkPage(self.page, self.axe)


class MyWorkPage(BasePage):
    def counts(self) -> list[str]:
        return self.page.locator(".app-counts li").all_inner_texts()


class CaseListPage(BasePage):
    def search(self, text: str) -> "CaseListPage":
        self.page.get_by_label("Name, NHS number or case reference").fill(text)
        self.page.get_by_role("button", name="Search").click()
        return CaseListPage(self.page, self.axe)

    def row_texts(self) -> list[str]:
        return self.page.locator("table.app-case-table tbody tr").all_inner_texts()

    def open_case(self, name: str) -> "CasePage":
        self.page.get_by_role("link", name=name).click()
        return CasePage(self.page, self.axe)


def fill_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


class RegisterCasePage(BasePage):
    def fill_mother(self, given, family, dob, nhs_number) -> None:
        self.page.get_by_label("Mother's first name").fill(given)
        self.page.get_by_label("Mother's last name").fill(family)
        fill_date(self.page, "Mother's date of birth", *dob)
        self.page.get_by_label("Mother's NHS number").fill(nhs_number)

    def fill_pregnancy(self, edd, identified, source: str, locality: str) -> None:
        fill_date(self.page, "Expected due date (EDD)", *edd)
        fill_date(self.page, "When was the pregnancy identified?", *identified)
        self.page.get_by_label(source, exact=True).check()
        self.page.get_by_label(locality, exact=True).check()

    def submit(self):
        self.page.get_by_role("button", name="Register case").click()
        self.page.wait_for_load_state("load")
        if self.page.locator(".govuk-error-summary").count():
            return RegisterCasePage(self.page, self.axe)
        return CasePage(self.page, self.axe)

    def error_messages(self) -> list[str]:
        return self.page.locator(".govuk-error-summary__list li").all_inner_texts()

    def possible_duplicates(self) -> list[str]:
        return self.page.locator("#possible-duplicates ~ ul li").all_inner_texts()

    def register_anyway(self, reason: str):
        """After a possible-duplicate warning: go on, giving why."""
        self.page.get_by_label("Why are you registering this case anyway?").fill(reason)
        self.page.get_by_role("button", name="Register anyway").click()
        self.page.wait_for_load_state("load")
        if self.page.locator(".govuk-error-summary").count():
            return RegisterCasePage(self.page, self.axe)
        return CasePage(self.page, self.axe)


class CasePage(BasePage):
    def summary_value(self, key: str) -> str:
        row = self.page.locator(
            ".govuk-summary-list__row",
            has=self.page.locator(".govuk-summary-list__key", has_text=key),
        )
        return row.first.locator(".govuk-summary-list__value").inner_text()

    def expect_banner(self, text: str) -> None:
        expect(self.page.locator(".govuk-notification-banner")).to_contain_text(text)
