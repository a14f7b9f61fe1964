"""The birth-and-after task list: every step after the birth with its due date and status
from the case's milestones, for everyone who can read the case; and the case page's
summary, shown only once the baby is born."""

from datetime import date, datetime

from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from cases.services import case_facts_update
from postnatal import services
from tests import postnatal_cases
from tests.postnatal_cases import LONDON, url
from web.work_links import work_link

# The shared fixtures (tests/postnatal_cases.py), used by name.
_frozen = postnatal_cases._frozen
born = postnatal_cases.born
health_visitor = postnatal_cases.health_visitor
unborn = postnatal_cases.unborn

TASKS = "postnatal_after_birth"


def test_the_task_list_shows_each_step_with_its_due_date_and_status(client, born, social_worker):
    case_facts_update(
        actor=social_worker, context=None, case=born, placement="home",
        discharge=datetime(2027, 6, 9, 10, tzinfo=LONDON), planned_discharge_date=date(2027, 6, 9),
    )  # fmt: skip
    client.force_login(social_worker)

    page = client.get(url(TASKS, born)).content.decode()

    assert "govuk-task-list" in page
    for name in ("Birth", "Discharge planning meeting", "Discharge and placement",
                 "Visit schedule", "within 48 hours of discharge",
                 "Child protection review conference", "End of tracking"):  # fmt: skip
        assert name in page
    assert "Born 8 June 2027 at 4am" in page
    assert "Left hospital 9 June 2027 at 10am" in page
    assert "Placement: home with parents" in page
    assert "Due 11 June 2027 at 10am" in page  # the 48-hour visit, counted in hours
    assert "Due 6 July 2027" in page  # the review conference, 28 days after the birth
    assert "Overdue" in page or "Due soon" in page
    assert reverse("postnatal_discharge_planning_meeting", args=[born.id]) in page
    viewed = AuditEvent.objects.filter(case=born, event_type=AuditEventType.CASE_VIEWED)
    assert viewed.exists()


def test_a_recorded_meeting_shows_as_done_with_its_placement(client, born, social_worker):
    services.discharge_planning_meeting_save(
        actor=social_worker, context=None, case=born,
        details=services.MeetingDetails(held_on=date(2027, 6, 9), placement="wider_family"),
    )  # fmt: skip
    client.force_login(social_worker)

    page = client.get(url(TASKS, born)).content.decode()

    assert "Held 9 June 2027. Placement confirmed: wider family." in page
    assert "Done 9 June 2027" in page
    # No attendees recorded: every agency is missing.
    assert "No one from children&#x27;s social care or midwifery or public health nursing" in page


def test_each_step_links_to_where_its_work_is_recorded(client, born, social_worker):
    """The links are the one map's (web/work_links.py), the visits' included."""
    client.force_login(social_worker)

    page = client.get(url(TASKS, born)).content.decode()

    for milestone_id in ("discharge_planning_meeting", "visit_schedule", "home_visit_48h",
                         "cp_review_conference", "pc_midpoint_review"):  # fmt: skip
        assert f'href="{work_link(born.id, milestone_id).url}"' in page
    assert f'href="{reverse("visit_record", args=[born.id])}"' in page


def test_health_staff_and_guests_read_it_with_only_their_own_links(
    client, born, health_visitor, guest
):
    client.force_login(health_visitor)
    page = client.get(url(TASKS, born)).content.decode()
    assert reverse("postnatal_visit_schedule", args=[born.id]) in page
    assert reverse("postnatal_discharge_planning_meeting", args=[born.id]) not in page

    client.force_login(guest)
    page = client.get(url(TASKS, born)).content.decode()
    assert "Discharge planning meeting" in page
    assert reverse("postnatal_visit_schedule", args=[born.id]) not in page


def test_before_the_birth_the_list_says_so_and_the_case_page_shows_nothing(
    client, unborn, social_worker
):
    client.force_login(social_worker)

    page = client.get(url(TASKS, unborn)).content.decode()
    case_page = client.get(reverse("case_detail", args=[unborn.id])).content.decode()

    assert "The birth has not been recorded yet" in page
    assert reverse("postnatal_discharge_planning_meeting", args=[unborn.id]) not in page
    assert 'id="after-birth"' not in case_page
    assert url(TASKS, unborn) not in case_page


def test_after_the_birth_the_case_page_has_a_summary_and_a_link(client, born, social_worker):
    services.discharge_planning_meeting_save(
        actor=social_worker, context=None, case=born,
        details=services.MeetingDetails(held_on=date(2027, 6, 9), placement="home"),
    )  # fmt: skip
    client.force_login(social_worker)

    page = client.get(reverse("case_detail", args=[born.id])).content.decode()

    assert 'id="after-birth"' in page
    assert "9 June 2027: Home with parents" in page
    assert "Child protection review conference" in page
    assert url(TASKS, born) in page


def test_an_outsider_gets_404(client, born, outsider):
    client.force_login(outsider)

    assert client.get(url(TASKS, born)).status_code == 404
