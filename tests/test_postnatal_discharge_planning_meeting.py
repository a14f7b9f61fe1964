"""The discharge planning meeting is recorded by children's social care after the birth:
it does its milestone, confirms the baby's placement and planned discharge on the case,
and warns (without refusing) when an agency was not there."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audit.models import AuditEventType
from postnatal import services
from postnatal.models import DischargePlanningMeeting, VisitingAgency
from tests import postnatal_cases
from tests.postnatal_cases import BIRTH, audit_rows, date_fields, milestone, url

# The shared fixtures (tests/postnatal_cases.py), used by name.
_frozen = postnatal_cases._frozen
born = postnatal_cases.born
midwife = postnatal_cases.midwife
unborn = postnatal_cases.unborn

PAGE = "postnatal_discharge_planning_meeting"


def form(**extra) -> dict:
    return {
        "rows": "4",
        **date_fields("held_on", date(2027, 6, 9)),
        "placement": "home",
        **date_fields("planned_discharge_date", date(2027, 6, 11)),
        "attendee_1_agency": "csc", "attendee_1_name": "Priya Shah",
        "attendee_1_role": "Social worker",
        "attendee_2_agency": "midwifery", "attendee_2_name": "Helen Moss",
        "attendee_2_role": "Named midwife",
        "attendee_3_agency": "phn", "attendee_3_name": "Sam Reed",
        "attendee_3_role": "Health visitor",
        "attendee_4_agency": "", "attendee_4_name": "", "attendee_4_role": "",
        "interventions": "Social worker twice weekly; health visitor weekly.",
        "chair": "Priya Shah", "recorder": "Priya Shah", "distributor": "Priya Shah",
        **date_fields("record_distributed_on", None),
        **extra,
    }  # fmt: skip


def version_of(case) -> str:
    """The case's version, as the page shows it in its hidden box."""
    return str(type(case).objects.get(pk=case.pk).version)


def details(**extra) -> services.MeetingDetails:
    values = {
        "held_on": date(2027, 6, 9),
        "placement": "home",
        "attendees": (services.Attendee("csc", "Priya Shah"),
                      services.Attendee("midwifery", "Helen Moss"),
                      services.Attendee("phn", "Sam Reed")),
        **extra,
    }  # fmt: skip
    return services.MeetingDetails(**values)


def test_recording_the_meeting_does_its_milestone(client, born, social_worker):
    assert milestone(born, "discharge_planning_meeting").done_date is None
    client.force_login(social_worker)

    response = client.post(url(PAGE, born), form(version=version_of(born)))

    assert response.status_code == 302
    assert response["Location"] == url("postnatal_after_birth", born)
    row = milestone(born, "discharge_planning_meeting")
    assert row.done_date == date(2027, 6, 9)
    assert row.state == "done"
    meeting = DischargePlanningMeeting.objects.get(case=born)
    assert [a.name for a in meeting.attendees.all()] == ["Priya Shah", "Helen Moss", "Sam Reed"]
    assert meeting.recorded_by == social_worker


def test_the_meeting_confirms_the_placement_and_planned_discharge_on_the_case(
    client, born, social_worker
):
    assert born.placement == ""
    client.force_login(social_worker)

    client.post(url(PAGE, born), form(version=version_of(born)))

    born.refresh_from_db()
    assert born.placement == "home"
    assert born.planned_discharge_date == date(2027, 6, 11)
    # Going home: the visit schedule is asked for now, due with the meeting's due date.
    assert milestone(born, "discharge_planning_meeting").due_date == date(2027, 6, 11)
    assert milestone(born, "visit_schedule").due_date == date(2027, 6, 11)
    facts = audit_rows(born, AuditEventType.FACTS_CHANGED)[-1]
    assert facts.extra_data["changes"]["placement"] == {"before": "", "after": "home"}


def test_saving_the_meeting_again_leaves_a_placement_changed_since_as_it_is(born, social_worker):
    services.discharge_planning_meeting_save(actor=social_worker, context=None, case=born,
                                             details=details())  # fmt: skip
    from cases.services import case_facts_update

    case_facts_update(actor=social_worker, context=None, case=born, placement="foster")
    services.discharge_planning_meeting_save(
        actor=social_worker, context=None, case=born,
        details=details(interventions="Changed: daily visits"),
    )  # fmt: skip

    born.refresh_from_db()
    assert born.placement == "foster"


def test_a_missing_agency_is_warned_of_but_the_meeting_is_saved(client, born, social_worker):
    client.force_login(social_worker)
    without_phn = form(
        attendee_3_agency="", attendee_3_name="", attendee_3_role="", version=version_of(born)
    )

    response = client.post(url(PAGE, born), without_phn, follow=True)

    assert DischargePlanningMeeting.objects.filter(case=born).exists()
    page = response.content.decode()
    assert "No one from public health nursing is recorded as attending" in page
    assert "govuk-warning-text" in page
    # The form shows the warning too, for the meeting as recorded.
    assert "No one from public health nursing" in client.get(url(PAGE, born)).content.decode()


def test_with_all_three_agencies_there_is_no_warning(client, born, social_worker):
    client.force_login(social_worker)

    response = client.post(url(PAGE, born), form(version=version_of(born)), follow=True)
    page = response.content.decode()

    assert "is recorded as attending" not in page


def test_a_midwife_cannot_record_the_meeting(client, born, named_midwife, midwife):
    for person in (named_midwife, midwife):
        client.force_login(person)
        assert client.get(url(PAGE, born)).status_code == 403
        assert client.post(url(PAGE, born), form(version=version_of(born))).status_code == 403
        with pytest.raises(PermissionDenied):
            services.discharge_planning_meeting_save(
                actor=person, context=None, case=born, details=details()
            )
    assert not DischargePlanningMeeting.objects.exists()


def test_someone_who_cannot_see_the_case_gets_404(client, born, outsider):
    client.force_login(outsider)

    assert client.get(url(PAGE, born)).status_code == 404
    assert client.post(url(PAGE, born), form(version=version_of(born))).status_code == 404
    assert client.get(url("postnatal_after_birth", born)).status_code == 404
    assert client.get(url("postnatal_discharge_planning_meeting_withdraw", born)).status_code == 404
    assert not DischargePlanningMeeting.objects.exists()


def test_bad_input_is_refused_with_the_field_named_and_what_was_typed_kept(
    client, born, social_worker
):
    client.force_login(social_worker)
    bad = form(**date_fields("held_on", date(2027, 6, 7)), attendee_4_name="Dr Who",
               attendee_4_role="GP", chair="Chaired by someone")  # fmt: skip

    page = client.post(url(PAGE, born), bad).content.decode()

    assert "There is a problem" in page
    assert "The date of the meeting must be on or after the birth (8 June 2027)" in page
    assert 'href="#id_held_on_day"' in page
    assert "Choose attendee 4&#x27;s agency" in page
    assert 'value="Dr Who"' in page and 'value="Chaired by someone"' in page
    assert not DischargePlanningMeeting.objects.exists()
    born.refresh_from_db()
    assert born.placement == ""


def test_a_meeting_in_the_future_is_refused(born, social_worker):
    with pytest.raises(ValidationError) as refused:
        services.discharge_planning_meeting_save(
            actor=social_worker, context=None, case=born,
            details=details(held_on=date(2027, 6, 10)),
        )  # fmt: skip
    assert "held_on" in refused.value.error_dict


def test_adding_an_attendee_row_keeps_what_was_typed(client, born, social_worker):
    client.force_login(social_worker)

    response = client.post(url(PAGE, born), form(add_row="1", version=version_of(born)))
    page = response.content.decode()

    assert 'name="attendee_5_name"' in page
    assert 'value="Sam Reed"' in page
    assert "There is a problem" not in page
    assert not DischargePlanningMeeting.objects.exists()


def test_nothing_can_be_recorded_before_the_birth(client, unborn, social_worker):
    client.force_login(social_worker)

    assert client.get(url(PAGE, unborn)).status_code == 404
    with pytest.raises(ValidationError):
        services.discharge_planning_meeting_save(
            actor=social_worker, context=None, case=unborn, details=details()
        )


def test_the_meeting_saved_unchanged_changes_nothing(client, born, social_worker):
    client.force_login(social_worker)
    client.post(url(PAGE, born), form(version=version_of(born)))
    meeting = DischargePlanningMeeting.objects.get(case=born)
    shown = client.get(url(PAGE, born)).content.decode()
    assert 'value="Sam Reed"' in shown
    audits = len(audit_rows(born, AuditEventType.WORK_CHANGED))
    version = str(type(born).objects.get(pk=born.pk).version)

    response = client.post(url(PAGE, born), form(rows="4", version=version))

    assert response.status_code == 302
    assert len(audit_rows(born, AuditEventType.WORK_CHANGED)) == audits
    again = DischargePlanningMeeting.objects.get(case=born)
    assert again.changed_at == meeting.changed_at


def test_recording_and_changing_are_audited_for_the_case_history(born, social_worker):
    meeting = services.discharge_planning_meeting_save(
        actor=social_worker, context=None, case=born,
        details=details(attendees=(services.Attendee(VisitingAgency.CSC, "Priya Shah"),)),
    )  # fmt: skip

    recorded = audit_rows(born, AuditEventType.WORK_RECORDED)[-1]
    assert recorded.extra_data["summary"] == (
        "Discharge planning meeting on 9 June 2027: placement confirmed as home with parents;"
        " attended by children's social care"
    )
    assert recorded.extra_data["record"] == "postnatal.dischargeplanningmeeting"
    assert recorded.extra_data["record_id"] == str(meeting.pk)
    assert recorded.extra_data["on"] == "2027-06-09"
    assert recorded.extra_data["step"] == "discharge_planning_meeting"

    services.discharge_planning_meeting_save(
        actor=social_worker, context=None, case=born, details=details(chair="Mark Tester"),
    )  # fmt: skip
    changed = audit_rows(born, AuditEventType.WORK_CHANGED)[-1]
    assert changed.extra_data["changes"]["chair"] == {"before": "", "after": "Mark Tester"}
    assert "attendees" in changed.extra_data["changes"]
    assert changed.extra_data["summary"].startswith("Changed the record")


def test_withdrawing_the_meeting_reopens_its_milestone(client, born, social_worker):
    services.discharge_planning_meeting_save(actor=social_worker, context=None, case=born,
                                             details=details())  # fmt: skip
    client.force_login(social_worker)
    withdraw = url("postnatal_discharge_planning_meeting_withdraw", born)

    refused = client.post(withdraw, {"reason": ""}).content.decode()
    assert "Enter why this record is being withdrawn" in refused
    response = client.post(withdraw, {"reason": "Recorded on the wrong family"})

    assert response.status_code == 302
    assert milestone(born, "discharge_planning_meeting").done_date is None
    meeting = DischargePlanningMeeting.objects.get(case=born)
    assert meeting.withdrawn_reason == "Recorded on the wrong family"
    row = audit_rows(born, AuditEventType.WORK_WITHDRAWN)[-1]
    assert row.extra_data["summary"] == (
        "Discharge planning meeting of 9 June 2027 withdrawn as recorded in error:"
        " Recorded on the wrong family"
    )
    # A new meeting can be recorded after the withdrawal.
    services.discharge_planning_meeting_save(actor=social_worker, context=None, case=born,
                                             details=details())  # fmt: skip
    assert milestone(born, "discharge_planning_meeting").done_date == date(2027, 6, 9)


def test_a_meeting_after_the_birth_date_is_accepted_on_the_birth_day(born, social_worker):
    services.discharge_planning_meeting_save(
        actor=social_worker, context=None, case=born, details=details(held_on=BIRTH)
    )
    assert milestone(born, "discharge_planning_meeting").done_date == BIRTH
