"""Case notes: anyone working on the case writes one; a management direction is a team
or operations manager's; one written in error is withdrawn by its writer or their manager,
and kept; each is audited with its summary."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from tests import visits_fixtures as fixtures
from tests.visits_fixtures import TODAY
from visits.models import CaseNote
from visits.services import case_note_add, case_note_withdraw

allocated, frozen = fixtures.allocated, fixtures.frozen


def add(actor, case, kind="case_note", text="Spoke with mother by phone", on=None):
    return case_note_add(actor=actor, context=None, case=case, kind=kind, text=text, on=on)


def test_a_social_worker_adds_a_case_note_audited_with_its_summary(allocated, social_worker):
    note = add(social_worker, allocated, text="  Spoke with mother by phone\x00 ")

    stored = CaseNote.objects.get()
    assert stored == note
    assert (stored.kind, stored.text, stored.author, stored.agency) == (
        "case_note", "Spoke with mother by phone", social_worker, "csc")  # fmt: skip
    event = AuditEvent.objects.get(event_type=AuditEventType.NOTE_ADDED)
    assert event.case_id == allocated.id
    assert event.extra_data["summary"] == (
        "Case note by Priya Tester (Children's Social Care), 20 January 2027 at 12pm"
    )
    assert event.extra_data["record"] == "visits.casenote"
    assert event.extra_data["record_id"] == str(note.pk)
    assert event.extra_data["on"] == "2027-01-20"
    assert event.extra_data["changes"]["text"] == {
        "before": None, "after": "Spoke with mother by phone"}  # fmt: skip


def test_a_supervision_note_about_an_earlier_day_is_ordered_by_that_day(allocated, social_worker):
    add(social_worker, allocated, kind="supervision", text="Supervision held", on=date(2027, 1, 18))

    event = AuditEvent.objects.get(event_type=AuditEventType.NOTE_ADDED)
    assert event.extra_data["on"] == "2027-01-18"
    assert event.extra_data["summary"].endswith("about 18 January 2027")


def test_a_management_direction_is_refused_for_a_social_worker(allocated, social_worker):
    with pytest.raises(PermissionDenied):
        add(social_worker, allocated, kind="management_direction", text="Visit weekly")

    assert not CaseNote.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.NOTE_ADDED).exists()


def test_team_and_operations_managers_give_management_directions(
    allocated, team_manager, make_user
):
    operations_manager = make_user("jo", RoleCode.OPERATIONS_MANAGER)

    add(team_manager, allocated, kind="management_direction", text="Visit weekly")
    add(operations_manager, allocated, kind="management_direction", text="Book the ICPC")

    assert CaseNote.objects.filter(kind="management_direction").count() == 2


def test_health_staff_add_their_own_agencys_notes(allocated, named_midwife):
    note = add(named_midwife, allocated)

    assert note.agency == "midwifery"
    with pytest.raises(PermissionDenied):
        add(named_midwife, allocated, kind="management_direction")


def test_guests_and_outsiders_add_no_notes(allocated, guest, outsider, analyst):
    for someone in (guest, outsider, analyst):
        with pytest.raises(PermissionDenied):
            add(someone, allocated)
    assert not CaseNote.objects.exists()


def test_an_empty_note_or_an_implausible_day_is_refused_against_its_box(allocated, social_worker):
    with pytest.raises(ValidationError) as empty:
        add(social_worker, allocated, text=" \x00 ")
    with pytest.raises(ValidationError) as future:
        add(social_worker, allocated, on=TODAY + timedelta(days=1))
    with pytest.raises(ValidationError) as ancient:
        add(social_worker, allocated, on=date(1900, 1, 1))

    assert list(empty.value.message_dict) == ["text"]
    assert list(future.value.message_dict) == ["on"]
    assert list(ancient.value.message_dict) == ["on"]
    assert not CaseNote.objects.exists()


def withdraw(actor, note, reason="Written on the wrong case"):
    return case_note_withdraw(actor=actor, context=None, note=note, reason=reason)


def test_withdrawing_a_note_keeps_it_marked_with_who_when_and_why(allocated, social_worker):
    note = add(social_worker, allocated, kind="supervision", text="Supervision held",
               on=date(2027, 1, 18))  # fmt: skip

    withdraw(social_worker, note, reason="  Written on the wrong case\x00 ")

    stored = CaseNote.objects.get()
    assert stored.is_withdrawn and stored.text == "Supervision held"
    assert (stored.withdrawn_by, stored.withdrawn_reason) == (
        social_worker, "Written on the wrong case")  # fmt: skip
    event = AuditEvent.objects.get(event_type=AuditEventType.NOTE_WITHDRAWN)
    assert event.case_id == allocated.id and event.actor_id == social_worker.pk
    assert event.extra_data["summary"] == (
        "Supervision note by Priya Tester (Children's Social Care), about 18 January 2027"
        " withdrawn: Written on the wrong case"
    )
    assert (event.extra_data["record"], event.extra_data["record_id"]) == (
        "visits.casenote", str(note.pk))  # fmt: skip
    assert event.extra_data["on"] == "2027-01-18"


def test_a_manager_of_the_writers_agency_withdraws_it_and_nobody_else(
    allocated, social_worker, team_manager, named_midwife, make_user
):
    other_worker = make_user("sol", RoleCode.SOCIAL_WORKER)
    notes = [add(social_worker, allocated) for _ in range(2)]
    for someone in (other_worker, named_midwife):
        with pytest.raises(PermissionDenied):
            withdraw(someone, notes[0])

    withdraw(team_manager, notes[0])

    assert CaseNote.objects.get(pk=notes[0].pk).withdrawn_by == team_manager
    assert not CaseNote.objects.get(pk=notes[1].pk).is_withdrawn
    assert AuditEvent.objects.filter(event_type=AuditEventType.NOTE_WITHDRAWN).count() == 1


def test_a_note_is_withdrawn_once_and_only_with_a_reason(allocated, social_worker):
    note = add(social_worker, allocated)

    with pytest.raises(ValidationError) as no_reason:
        withdraw(social_worker, note, reason=" \x00 ")
    withdraw(social_worker, note)
    with pytest.raises(ValidationError, match="already been withdrawn"):
        withdraw(social_worker, note)

    assert list(no_reason.value.message_dict) == ["reason"]
    assert AuditEvent.objects.filter(event_type=AuditEventType.NOTE_WITHDRAWN).count() == 1
