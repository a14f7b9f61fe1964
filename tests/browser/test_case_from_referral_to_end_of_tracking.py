"""One case from registration to the end of tracking, in a browser, by the four people who
do the work, each going from the case page as a person would; axe-core on every page and
every person at 375 px wide too; screenshots in var/screenshots for a person to look at."""

from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.models import RoleCode
from documents.demo import minimal_pdf
from rules import assessment as rules
from tests.browser.pages import BasePage, SignInPage, fill_date
from tests.conftest import PASSWORD

SHOTS = Path(__file__).resolve().parent.parent.parent / "var" / "screenshots"
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
# The milestones the journey's work does, each by its own recorded step.
DONE = ["referral", "allocation", "assessment_opened", "intro_home_visit", "agencies_informed",
        "checkpoint_10_day", "multi_agency_meeting", "genogram", "chronology",
        "assessment_completed", "icpc", "birth_plan", "discharge_planning_meeting",
        "visit_schedule", "home_visit_48h"]  # fmt: skip


class Journey:
    """The browser of whoever is signed in, and the one case they all work on."""

    def __init__(self, page: Page, axe):
        self.page, self.axe, self.case_url = page, axe, ""

    def sign_in(self, username: str, *, width: dict = DESKTOP) -> BasePage:
        self.page.set_viewport_size(width)
        self.page.context.clear_cookies()
        return SignInPage.open(self.page, self.axe).sign_in(username, PASSWORD)

    def arrived(self) -> BasePage:
        """The page now shown, checked by axe, and not scrolling sideways."""
        checked = BasePage(self.page, self.axe)
        width = self.page.viewport_size["width"]
        scroll = self.page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{self.page.url} scrolls sideways at {width}px: {scroll}px"
        return checked

    def case(self) -> BasePage:
        self.page.goto(self.case_url)
        return self.arrived()

    def follow(self, name: str, *, exact: bool = True, within: str = "main") -> BasePage:
        self.page.locator(within).get_by_role("link", name=name, exact=exact).first.click()
        return self.arrived()

    def press(self, name: str, *, exact: bool = True) -> BasePage:
        self.page.get_by_role("button", name=name, exact=exact).click()
        return self.arrived()

    def fill(self, label: str, text: str) -> None:
        self.page.get_by_label(label, exact=True).fill(text)

    def tick(self, *labels: str, within: str | None = None) -> None:
        scope = self.page.get_by_role("group", name=within) if within else self.page
        for label in labels:
            scope.get_by_label(label, exact=True).check()

    def date(self, legend: str, day: date) -> None:
        fill_date(self.page, legend, day.day, day.month, day.year)

    def date_only(self, day: date) -> None:
        """The one date on the page."""
        for part, value in (("Day", day.day), ("Month", day.month), ("Year", day.year)):
            self.fill(part, str(value))

    def no_errors(self) -> None:
        summary = self.page.locator(".govuk-error-summary")
        assert not summary.count(), f"{self.page.url}: {summary.inner_text()}"

    def shoot(self, name: str) -> None:
        SHOTS.mkdir(parents=True, exist_ok=True)
        size = "phone" if self.page.viewport_size["width"] <= PHONE["width"] else "desktop"
        self.page.screenshot(path=str(SHOTS / f"journey-{name}-{size}.png"), full_page=True)

    def record_visit(self, kind: str, *, baby: str, note: str) -> BasePage:
        self.case()
        self.follow("Record a visit", within="#visits ~ ul")
        self.tick("Just now", kind, "Mother", "Father or partner", baby)
        self.fill("Note (optional)", note)
        page = self.press("Save visit")
        self.no_errors()
        return page

    def timeline_statuses(self) -> dict[str, str]:
        self.case()
        self.follow("Timeline and milestones")
        rows = self.page.locator("table.govuk-table tbody tr")
        statuses = {}
        for row in rows.all():
            link = row.locator("td").first.get_by_role("link")
            milestone = link.get_attribute("href").rstrip("/").rsplit("/", 1)[-1]
            statuses[milestone] = row.locator("[data-label=Status]").inner_text().strip()
        return statuses


@pytest.fixture
def people(make_user):
    return {
        "priya": make_user("priya", RoleCode.SOCIAL_WORKER),
        "mark": make_user("mark", RoleCode.TEAM_MANAGER),
        "helen": make_user("helen", RoleCode.NAMED_MIDWIFE),
        "hana": make_user("hana", RoleCode.HEALTH_VISITOR),
    }


def register(journey: Journey, edd: date) -> None:
    """Helen, the named midwife, registers the unborn baby at booking."""
    today = timezone.localdate()
    register = journey.sign_in("helen").start_registering()
    register.fill_mother("Kerry", "Ashdown", (14, 7, 1998), "999 000 0018")
    register.fill_pregnancy((edd.day, edd.month, edd.year), (today.day, today.month, today.year),
                            "Midwifery booking appointment", "Mendip")  # fmt: skip
    case_page = register.submit()
    case_page.expect_banner("Unborn baby of Kerry Ashdown registered")
    journey.case_url = journey.page.url
    journey.shoot("registered")


def refer_and_allocate(journey: Journey) -> None:
    today = timezone.localdate()
    journey.sign_in("priya")
    journey.case()
    journey.follow("Record the referral")
    journey.date("Date of the referral", today)
    journey.tick("Midwifery", "Domestic abuse", "Financial hardship or debt",
                 "Yes, the case is complex")  # fmt: skip
    journey.fill("Who made the referral?", "Alys Penhallow")
    journey.press("Save the referral")
    journey.no_errors()
    expect(journey.page.locator("#referral + dl")).to_contain_text("Gestation at referral")

    journey.sign_in("mark", width=PHONE)
    journey.page.get_by_role("button", name="Menu").click()
    journey.arrived().menu("Allocations")
    journey.arrived()
    journey.shoot("allocations")
    journey.follow("Allocate Unborn baby of Kerry Ashdown", exact=False)
    journey.page.get_by_label("Social worker").select_option(label="Priya Tester")
    journey.fill("Case note of directions", "Introductory visit with both parents this week.")
    journey.press("Allocate")
    journey.no_errors()
    expect(journey.page.locator("#allocation + dl")).to_contain_text("Priya Tester")


def assess(journey: Journey) -> None:
    """Priya opens the assessment, visits, keeps the checkpoints, uploads the genogram and
    the chronology, and writes the 15 areas."""
    today = timezone.localdate()
    journey.sign_in("priya", width=PHONE)
    journey.case()
    journey.follow("Pre-birth assessment")
    journey.press("Open the assessment")
    journey.no_errors()
    journey.record_visit("Introductory home visit", baby="Not yet born",
                         note="Explained the assessment to both parents.")  # fmt: skip
    expect(journey.page.locator(".govuk-notification-banner")).to_contain_text(
        "Introductory home visit"
    )
    journey.shoot("introductory-visit")

    journey.page.set_viewport_size(DESKTOP)
    journey.case()
    journey.follow("Checkpoints and specialist assessments")
    journey.follow("Involved agencies informed", exact=False)
    journey.date("Date all involved agencies had been informed", today)
    journey.tick("Midwifery", "Public health nursing (health visiting)")
    journey.press("Record involved agencies informed")
    journey.no_errors()
    journey.follow("Multi-agency assessment meeting")
    journey.date("Date of the meeting", today)
    journey.tick("Priya Tester, social worker")
    journey.tick("Yes", within="Was the family at the meeting?")
    journey.press("Record multi-agency assessment meeting")
    journey.no_errors()
    journey.follow("10-day checkpoint with the team manager")
    journey.date("Date you met the team manager", today)
    journey.page.get_by_label("Team manager", exact=True).select_option(label="Mark Tester")
    journey.press("Record 10-day checkpoint with the team manager")
    journey.no_errors()
    journey.follow("Family Group Conference referral, or wider family explored")
    journey.tick("Family Group Conference referral made")
    journey.date("Date the referral was made or the wider family explored", today)
    journey.press("Record family group conference referral or wider family explored")
    journey.no_errors()

    for kind, title in [("Genogram", "Genogram, both families"), ("Chronology", "Chronology")]:
        journey.case()
        journey.follow("Upload a document")
        journey.tick(kind)
        journey.fill("Title", title)
        journey.page.get_by_label("Upload a file").set_input_files(files=[{
            "name": f"{kind.lower()}.pdf", "mimeType": "application/pdf",
            "buffer": minimal_pdf([title, "Made by the journey test"]),
        }])  # fmt: skip
        journey.press("Upload")
        expect(journey.page.locator(".govuk-notification-banner")).to_contain_text(
            "Document uploaded"
        )

    journey.case()
    journey.follow("Pre-birth assessment")
    for code in sorted(rules.AREA_CODES, key=lambda code: code == rules.ANALYSIS):
        journey.follow(rules.area_title(code))
        journey.fill("Your assessment", f"{rules.area_title(code)}: seen and written up.")
        journey.press("Mark as completed")
        journey.no_errors()
    journey.shoot("assessment-written")


def add_view(journey: Journey, username: str, text: str) -> None:
    journey.sign_in(username, width=PHONE)
    journey.case()
    journey.follow("Pre-birth assessment")
    journey.follow("Add your agency's view", exact=False)
    journey.fill("Your agency's view", text)
    journey.press("Save your agency's view")
    journey.no_errors()
    expect(journey.page.locator("main")).to_contain_text(text)
    journey.shoot(f"view-{username}")


def submit_and_authorise(journey: Journey) -> None:
    journey.sign_in("priya")
    journey.case()
    journey.follow("Pre-birth assessment")
    journey.follow("Send for authorisation")
    journey.press("Send for authorisation")
    expect(journey.page.locator("main")).to_contain_text("Sent for authorisation")

    journey.sign_in("mark")
    journey.case()
    journey.follow("Pre-birth assessment")
    journey.follow("Authorise or return the assessment")
    journey.tick("Authorise the assessment")
    journey.press("Record the decision")
    expect(journey.page.locator("main")).to_contain_text("Authorised on")


def decide_and_plan(journey: Journey) -> None:
    today = timezone.localdate()
    journey.sign_in("priya")
    journey.case()
    journey.follow("Checkpoints and specialist assessments")
    journey.follow("30-day checkpoint", exact=False)
    journey.date("Date of the 30-day checkpoint", today)
    journey.tick("Assessment complete")
    journey.press("Record 30-day checkpoint")
    journey.no_errors()
    journey.case()
    journey.follow("Decisions and plans")
    journey.tick("Strategy discussion")
    journey.press("Record a decision")
    journey.date("Date of the strategy discussion", today)
    journey.tick("Yes", within="Did the strategy discussion identify")
    journey.press("Save")
    journey.no_errors()
    journey.tick("Initial child protection conference")
    journey.press("Record a decision")
    journey.date("Date of the conference", today)
    journey.tick("Child protection plan")
    journey.press("Save")
    journey.no_errors()
    journey.case()
    journey.follow("Birth plan")
    journey.fill("Who should be at the birth", "Mother, with her sister")
    journey.fill("Who poses a risk and cannot be present", "No one named")
    journey.date("Date the birth plan was agreed (optional)", today)
    journey.press("Save the birth plan")
    journey.no_errors()
    journey.shoot("birth-plan")


def birth_and_after(journey: Journey, born: date) -> None:
    """The day after the birth: the outcome, the meeting, the schedule, discharge today,
    then the home visit after discharge."""
    today = timezone.localdate()
    journey.sign_in("priya")
    journey.case()
    journey.follow("Record outcome")
    journey.tick("Live birth")
    journey.date("Date", born)
    journey.fill("Baby's time of birth", "06:30")
    journey.tick("Female", within="Baby's sex")
    journey.press("Save outcome")
    journey.no_errors()

    journey.follow("Birth and after")
    journey.follow("Discharge planning meeting")
    journey.date("Date of the meeting", today)
    journey.tick("Home with parents")
    journey.fill("Attendee 1: name", "Priya Tester")
    journey.fill("Attendee 2: name", "Helen Tester")
    journey.fill("Agreed multi-agency interventions", "Social worker twice weekly.")
    journey.press("Save meeting")
    journey.no_errors()
    journey.follow("Visit schedule", exact=False)
    journey.date("Date the schedule was agreed (optional until it is)", today)
    journey.page.get_by_label("Visit 1: agency").select_option(index=1)
    journey.fill("Visit 1: who visits", "Social worker")
    journey.fill("Visit 1: how often, or on which dates", "Twice a week for 4 weeks")
    journey.press("Save visit schedule")
    journey.no_errors()

    journey.follow("Discharge and placement")
    journey.date("Date the baby left hospital", today)
    journey.fill("Time the baby left hospital", "09:00")
    journey.press("Save and recalculate")
    journey.no_errors()
    journey.record_visit("Home visit", baby="Yes", note="Baby home and well; parents coping.")
    journey.follow("Birth and after")
    for task in ("discharge-planning-meeting", "visit-schedule", "home-visit"):
        expect(journey.page.locator(f"#{task}-status")).to_contain_text("Done")
    journey.shoot("after-birth")


def test_a_case_from_referral_to_the_end_of_tracking(page, axe, people):
    """
    Given Helen, named midwife, who registers an unborn baby at booking
    When Priya (social worker) records the referral with its risk factors,
      Mark (team manager) finds it in Allocations on his phone and allocates it to her,
      Priya opens the assessment, records the introductory home visit, the checkpoints
      (agencies informed, 10-day, multi-agency meeting, family network, later the 30-day),
      uploads the genogram and the chronology (PDFs made here) and completes the 15 areas,
      Helen and Hana (health visitor) add midwifery's and public health nursing's views,
      Priya sends it, Mark authorises it, Priya records the strategy discussion,
      the conference with a plan and the birth plan,
      and after the birth the outcome, the discharge planning meeting, the visit schedule,
      the discharge and the home visit within 48 hours (time moved on to the birth),
      and three weeks later the child protection review conference
    Then the case's timeline shows each of those milestones done, and 28 days after the
      birth the end of tracking, with nothing left due or overdue;
      axe-core found nothing wrong on any page, and each person worked at 375 px too.
    """
    page.set_default_timeout(10_000)
    journey = Journey(page, axe)
    start = timezone.localtime()
    edd = start.date() + timedelta(days=170)  # booked at 15+5 weeks
    born = edd - timedelta(days=2)
    register(journey, edd=edd)
    refer_and_allocate(journey)
    assess(journey)
    add_view(journey, "helen", "Booked at 10 weeks; attending antenatal care.")
    add_view(journey, "hana", "Known to the health visiting team with an older child.")
    submit_and_authorise(journey)
    decide_and_plan(journey)

    after = timezone.make_aware(datetime.combine(born + timedelta(days=1), time(10)))
    with time_machine.travel(after, tick=True):
        birth_and_after(journey, born)
        statuses = journey.timeline_statuses()
        journey.shoot("timeline")
    assert {m: statuses.get(m) for m in DONE} == dict.fromkeys(DONE, "Done")

    with time_machine.travel(after + timedelta(days=20), tick=True):
        journey.sign_in("priya")
        journey.case()
        journey.follow("Birth and after")
        journey.follow("Child protection review conference")
        journey.date_only(timezone.localdate())
        journey.tick("The child protection plan continues")
        journey.press("Save")
        journey.no_errors()

    with time_machine.travel(after + timedelta(days=28), tick=True):
        journey.sign_in("helen", width=PHONE)
        journey.case()
        journey.follow("Birth and after")
        expect(page.locator("#tracking-end-status")).to_contain_text("Done")
        statuses = journey.timeline_statuses()
        journey.shoot("end-of-tracking")
    later = ["checkpoint_30_day", "family_network", "cp_review_conference", "tracking_end"]
    assert {m: statuses.get(m) for m in later} == dict.fromkeys(later, "Done")
    assert set(statuses.values()) == {"Done"}, statuses  # nothing left overdue or due
    assert len(axe.checked) > 60
