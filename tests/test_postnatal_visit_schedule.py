"""The visit schedule for a baby going home: children's social care records it and the
day it was agreed, which does the milestone; a midwife or health visitor keeps their own
agency's visits on it, and only those."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEventType
from cases.services import case_facts_update
from postnatal import services
from postnatal.models import ScheduledVisit, VisitSchedule
from tests import postnatal_cases
from tests.postnatal_cases import audit_rows, date_fields, milestone, url

# The shared fixtures (tests/postnatal_cases.py), used by name.
_frozen = postnatal_cases._frozen
born = postnatal_cases.born
health_visitor = postnatal_cases.health_visitor
midwife = postnatal_cases.midwife
unborn = postnatal_cases.unborn

PAGE = "postnatal_visit_schedule"
Visit = services.PlannedVisit


@pytest.fixture
def going_home(born, social_worker):
    case_facts_update(actor=social_worker, context=None, case=born, placement="home")
    return born


def csc_form(**extra) -> dict:
    return {
        "rows": "3",
        "visit_1_agency": "csc", "visit_1_who": "Priya Shah", "visit_1_frequency": "Twice a week",
        "visit_1_notes": "",
        "visit_2_agency": "midwifery", "visit_2_who": "Community midwife",
        "visit_2_frequency": "Days 1, 3 and 5", "visit_2_notes": "",
        "visit_3_agency": "", "visit_3_who": "", "visit_3_frequency": "", "visit_3_notes": "",
        "notes": "Risk of neglect", **date_fields("agreed_on", date(2027, 6, 9)),
        **extra,
    }  # fmt: skip


def test_an_agreed_schedule_does_its_milestone(client, going_home, social_worker):
    assert milestone(going_home, "visit_schedule").done_date is None
    client.force_login(social_worker)

    response = client.post(url(PAGE, going_home), csc_form())

    assert response.status_code == 302
    row = milestone(going_home, "visit_schedule")
    assert row.done_date == date(2027, 6, 9)
    schedule = VisitSchedule.objects.get(case=going_home)
    assert [(v.agency, v.who) for v in schedule.visits.all()] == [
        ("csc", "Priya Shah"), ("midwifery", "Community midwife")]  # fmt: skip
    recorded = audit_rows(going_home, AuditEventType.WORK_RECORDED)[-1]
    assert recorded.extra_data["summary"] == (
        "Visit schedule agreed on 9 June 2027: 2 planned visits by children's social care,"
        " midwifery"
    )
    assert recorded.extra_data["record"] == "postnatal.visitschedule"
    assert recorded.extra_data["on"] == "2027-06-09"


def test_a_schedule_not_yet_agreed_does_not_do_the_milestone(going_home, social_worker):
    services.visit_schedule_save(
        actor=social_worker, context=None, case=going_home,
        visits=[Visit("csc", "Priya Shah", "Weekly")], agreed_on=None,
    )  # fmt: skip

    assert milestone(going_home, "visit_schedule").done_date is None


def test_a_schedule_cannot_be_agreed_with_no_visits(client, going_home, social_worker):
    client.force_login(social_worker)
    empty = csc_form(visit_1_agency="", visit_1_who="", visit_1_frequency="",
                     visit_2_agency="", visit_2_who="", visit_2_frequency="")  # fmt: skip

    page = client.post(url(PAGE, going_home), empty).content.decode()

    assert "Add at least one visit before recording the schedule as agreed" in page
    assert not VisitSchedule.objects.exists()


def test_a_health_visitor_adds_their_own_visits_and_leaves_the_others(
    client, going_home, social_worker, health_visitor
):
    services.visit_schedule_save(
        actor=social_worker, context=None, case=going_home, agreed_on=date(2027, 6, 9),
        visits=[Visit("csc", "Priya Shah", "Twice a week"), Visit("phn", "Health visitor", "TBC")],
    )  # fmt: skip
    client.force_login(health_visitor)
    page = client.get(url(PAGE, going_home)).content.decode()
    assert "Priya Shah: Twice a week" in page  # shown, not a box to change
    assert 'name="visit_1_agency"' not in page and 'name="agreed_on_day"' not in page
    assert 'value="TBC"' in page

    response = client.post(url(PAGE, going_home), {
        "rows": "2", "visit_1_who": "Sam Reed", "visit_1_frequency": "New birth visit, day 10",
        "visit_1_notes": "", "visit_2_who": "Sam Reed", "visit_2_frequency": "Weekly",
        "visit_2_notes": "Joint with the social worker",
    })  # fmt: skip

    assert response.status_code == 302
    visits = VisitSchedule.objects.get(case=going_home).visits.all()
    assert [(v.agency, v.who, v.frequency) for v in visits] == [
        ("csc", "Priya Shah", "Twice a week"),
        ("phn", "Sam Reed", "New birth visit, day 10"),
        ("phn", "Sam Reed", "Weekly"),
    ]
    assert milestone(going_home, "visit_schedule").done_date == date(2027, 6, 9)
    changed = audit_rows(going_home, AuditEventType.WORK_CHANGED)[-1]
    assert changed.actor == health_visitor
    assert "visits" in changed.extra_data["changes"]


def test_health_staff_cannot_change_another_agencys_visits_or_agree_the_schedule(
    going_home, midwife
):
    with pytest.raises(PermissionDenied):
        services.visit_schedule_save(actor=midwife, context=None, case=going_home,
                                     visits=[Visit("phn", "Health visitor", "Weekly")])  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.visit_schedule_save(
            actor=midwife, context=None, case=going_home,
            visits=[Visit("midwifery", "Maria", "Daily")], agreed_on=date(2027, 6, 9),
        )  # fmt: skip
    assert not VisitSchedule.objects.exists()
    # Their own agency's visits, yes.
    services.visit_schedule_save(actor=midwife, context=None, case=going_home,
                                 visits=[Visit("midwifery", "Maria", "Daily")])  # fmt: skip
    assert ScheduledVisit.objects.get().agency == "midwifery"


def test_a_guest_cannot_change_the_schedule_and_an_outsider_gets_404(
    client, going_home, guest, outsider
):
    client.force_login(guest)
    assert client.get(url(PAGE, going_home)).status_code == 403
    assert client.post(url(PAGE, going_home), csc_form()).status_code == 403
    with pytest.raises(PermissionDenied):
        services.visit_schedule_save(actor=guest, context=None, case=going_home, visits=[])
    client.force_login(outsider)
    assert client.get(url(PAGE, going_home)).status_code == 404
    assert client.post(url(PAGE, going_home), csc_form()).status_code == 404
    assert client.get(url("postnatal_visit_schedule_withdraw", going_home)).status_code == 404
    assert not VisitSchedule.objects.exists()


def test_bad_input_keeps_what_was_typed(client, going_home, social_worker):
    client.force_login(social_worker)

    page = client.post(url(PAGE, going_home), csc_form(
        visit_2_frequency="", visit_3_who="Family support worker",
        **date_fields("agreed_on", date(2027, 6, 1)),
    )).content.decode()  # fmt: skip

    assert "Enter how often, or on which dates, for visit 2" in page
    assert "Choose who makes visit 3" in page
    assert "The date the schedule was agreed must be on or after the birth" in page
    assert 'value="Family support worker"' in page
    assert not VisitSchedule.objects.exists()


def test_the_schedule_saved_unchanged_changes_nothing(client, going_home, social_worker):
    client.force_login(social_worker)
    client.post(url(PAGE, going_home), csc_form())
    before = list(ScheduledVisit.objects.values())
    audits = len(audit_rows(going_home, AuditEventType.WORK_CHANGED))
    shown = client.get(url(PAGE, going_home)).content.decode()
    assert 'value="Community midwife"' in shown

    response = client.post(url(PAGE, going_home), csc_form())

    assert response.status_code == 302
    assert list(ScheduledVisit.objects.values()) == before
    assert len(audit_rows(going_home, AuditEventType.WORK_CHANGED)) == audits


def test_withdrawing_the_schedule_reopens_the_milestone(going_home, social_worker, midwife):
    services.visit_schedule_save(
        actor=social_worker, context=None, case=going_home, agreed_on=date(2027, 6, 9),
        visits=[Visit("csc", "Priya Shah", "Weekly")],
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.visit_schedule_withdraw(actor=midwife, context=None, case=going_home,
                                         reason="Wrong")  # fmt: skip

    services.visit_schedule_withdraw(actor=social_worker, context=None, case=going_home,
                                     reason="Wrong family")  # fmt: skip

    assert milestone(going_home, "visit_schedule").done_date is None
    assert audit_rows(going_home, AuditEventType.WORK_WITHDRAWN)[-1].extra_data["withdrawn"]


def test_nothing_is_scheduled_before_the_birth(unborn, social_worker):
    with pytest.raises(ValidationError):
        services.visit_schedule_save(actor=social_worker, context=None, case=unborn,
                                     visits=[Visit("csc", "Priya", "Weekly")])  # fmt: skip
