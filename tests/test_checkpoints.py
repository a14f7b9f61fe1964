"""The assessment's checkpoints, recorded as work: each moves its own milestone, a
correction moves it again, a withdrawal reopens it; only children's social care's social
workers and team managers record them; bad input is refused with what was typed kept."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from checkpoints import services
from checkpoints.models import Checkpoint, CheckpointKind, ParticipantAgency
from checkpoints.selectors import meeting_warning
from checkpoints.services import CheckpointDetails, ParticipantDetails
from tests.formcrawl import forms_on
from timeline.models import CaseMilestone
from web.work_links import work_link

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)
ALLOCATED = date(2026, 10, 27)
HELD = date(2026, 11, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def health_visitor(make_user):
    return make_user("hannah", RoleCode.HEALTH_VISITOR)


@pytest.fixture
def allocated(named_midwife, social_worker, health_visitor, make_case):
    case = make_case(
        named_midwife, edd=TODAY + timedelta(days=150), named_social_worker=social_worker,
        named_midwife=named_midwife, named_health_visitor=health_visitor,
    )  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case,
        referral_date=ALLOCATED - timedelta(days=1), allocation_date=ALLOCATED, complex=True,
    )  # fmt: skip
    return case


def milestone(case, milestone_id) -> CaseMilestone:
    return CaseMilestone.objects.get(case=case, milestone_id=milestone_id)


def details_for(kind, team_manager, *, held_on=HELD) -> CheckpointDetails:
    """The least each kind needs."""
    return {
        CheckpointKind.AGENCIES_INFORMED: CheckpointDetails(
            held_on=held_on, participants=[ParticipantDetails(agency=ParticipantAgency.POLICE)]
        ),
        CheckpointKind.CHECKPOINT_10_DAY: CheckpointDetails(
            held_on=held_on, team_manager=team_manager
        ),
        CheckpointKind.MULTI_AGENCY_MEETING: CheckpointDetails(
            held_on=held_on,
            family_present=True,
            participants=[
                ParticipantDetails(agency="csc", name="Priya Tester"),
                ParticipantDetails(agency="midwifery", name="Helen Tester"),
                ParticipantDetails(agency="phn", name="Hannah Tester"),
            ],
        ),  # fmt: skip
        CheckpointKind.CHECKPOINT_30_DAY: CheckpointDetails(held_on=held_on, outcome="complete"),
        CheckpointKind.FAMILY_NETWORK: CheckpointDetails(held_on=held_on, route="fgc_referral"),
    }[kind]


def record(case, actor, kind, team_manager, **changes):
    return services.checkpoint_record(
        actor=actor, context=None, case=case, kind=kind,
        details=details_for(kind, team_manager, **changes),
    )  # fmt: skip


@pytest.mark.parametrize("kind", CheckpointKind.values)
def test_each_checkpoint_does_its_own_milestone(allocated, social_worker, team_manager, kind):
    assert milestone(allocated, kind).done_date is None

    checkpoint = record(allocated, social_worker, kind, team_manager)

    row = milestone(allocated, kind)
    assert row.done_date == HELD
    assert row.state in {"done", "done_late"}
    others = set(CheckpointKind.values) - {kind}
    assert all(milestone(allocated, other).done_date is None for other in others)
    event = AuditEvent.objects.get(case=allocated, event_type=AuditEventType.WORK_RECORDED)
    assert event.extra_data["step"] == kind
    assert event.extra_data["record"] == "checkpoints.checkpoint"
    assert event.extra_data["record_id"] == str(checkpoint.pk)
    assert event.extra_data["on"] == HELD.isoformat()
    assert event.extra_data["summary"]
    assert event.extra_data["changes"]["held_on"] == {"before": None, "after": "2026-11-10"}


def test_a_team_manager_records_the_10_day_checkpoint_too(allocated, team_manager):
    record(allocated, team_manager, CheckpointKind.CHECKPOINT_10_DAY, team_manager)

    assert milestone(allocated, "checkpoint_10_day").done_date == HELD


def test_a_correction_moves_the_milestone_and_is_audited_with_before_and_after(
    allocated, social_worker, team_manager
):
    checkpoint = record(allocated, social_worker, "checkpoint_10_day", team_manager)

    services.checkpoint_change(
        actor=social_worker, context=None, checkpoint=checkpoint,
        details=CheckpointDetails(held_on=HELD + timedelta(days=2), team_manager=team_manager,
                                  notes="Progress discussed"),
    )  # fmt: skip

    assert milestone(allocated, "checkpoint_10_day").done_date == HELD + timedelta(days=2)
    event = AuditEvent.objects.get(case=allocated, event_type=AuditEventType.WORK_CHANGED)
    assert event.extra_data["changes"]["held_on"] == {"before": "2026-11-10",
                                                      "after": "2026-11-12"}  # fmt: skip
    assert event.extra_data["changes"]["notes"] == {"before": "", "after": "Progress discussed"}
    assert event.extra_data["step"] == "checkpoint_10_day"
    checkpoint.refresh_from_db()
    assert checkpoint.version == 2


def test_a_correction_saved_unchanged_writes_nothing(allocated, social_worker, team_manager):
    checkpoint = record(allocated, social_worker, "multi_agency_meeting", team_manager)
    events = AuditEvent.objects.count()

    services.checkpoint_change(
        actor=social_worker, context=None, checkpoint=checkpoint,
        details=services.checkpoint_details(checkpoint),
    )  # fmt: skip

    assert AuditEvent.objects.count() == events
    checkpoint.refresh_from_db()
    assert checkpoint.version == 1


def test_withdrawing_reopens_the_milestone_and_keeps_the_record(
    allocated, social_worker, team_manager
):
    checkpoint = record(allocated, social_worker, "family_network", team_manager)

    services.checkpoint_withdraw(
        actor=social_worker, context=None, checkpoint=checkpoint, reason="Wrong case"
    )

    row = milestone(allocated, "family_network")
    assert row.done_date is None
    assert row.state == "open"
    checkpoint.refresh_from_db()
    assert checkpoint.withdrawn_reason == "Wrong case"
    event = AuditEvent.objects.get(case=allocated, event_type=AuditEventType.WORK_WITHDRAWN)
    assert event.extra_data["reason"] == "Wrong case"
    assert "withdrawn: Wrong case" in event.extra_data["summary"]
    # Recorded again afresh.
    record(allocated, social_worker, "family_network", team_manager)
    assert milestone(allocated, "family_network").done_date == HELD


def test_withdrawing_needs_a_reason(allocated, social_worker, team_manager):
    checkpoint = record(allocated, social_worker, "family_network", team_manager)

    with pytest.raises(ValidationError) as refused:
        services.checkpoint_withdraw(actor=social_worker, context=None, checkpoint=checkpoint,
                                     reason="  ")  # fmt: skip

    assert "reason" in refused.value.error_dict
    assert milestone(allocated, "family_network").done_date == HELD


def test_the_full_45_days_needs_a_reason_and_the_team_manager(allocated, social_worker):
    with pytest.raises(ValidationError) as refused:
        services.checkpoint_record(
            actor=social_worker, context=None, case=allocated, kind="checkpoint_30_day",
            details=CheckpointDetails(held_on=HELD, outcome="full_45_days"),
        )  # fmt: skip

    assert set(refused.value.error_dict) == {"reason", "team_manager"}
    assert not Checkpoint.objects.exists()
    assert milestone(allocated, "checkpoint_30_day").done_date is None


def test_the_full_45_days_agreed_with_a_reason_does_the_30_day_checkpoint(
    allocated, social_worker, team_manager
):
    services.checkpoint_record(
        actor=social_worker, context=None, case=allocated, kind="checkpoint_30_day",
        details=CheckpointDetails(held_on=HELD, outcome="full_45_days", team_manager=team_manager,
                                  reason="The hair strand test results are not back"),
    )  # fmt: skip

    assert milestone(allocated, "checkpoint_30_day").done_date == HELD
    event = AuditEvent.objects.get(case=allocated, event_type=AuditEventType.WORK_RECORDED)
    assert event.extra_data["summary"] == (
        "30-day checkpoint on 10 November 2026: the full 45 days agreed with Mark Tester"
        " because The hair strand test results are not back"
    )


def test_a_meeting_without_the_health_visitor_is_saved_with_a_warning_naming_who(
    allocated, social_worker
):
    checkpoint = services.checkpoint_record(
        actor=social_worker, context=None, case=allocated, kind="multi_agency_meeting",
        details=CheckpointDetails(held_on=HELD, family_present=False, participants=[
            ParticipantDetails(agency="csc", name="Priya Tester", role="Social worker"),
            ParticipantDetails(agency="police", name="PC Example", role="Police officer"),
        ]),
    )  # fmt: skip

    assert milestone(allocated, "multi_agency_meeting").done_date == HELD
    assert meeting_warning(checkpoint) == (
        "No midwife or health visitor at the meeting: the procedure asks for at least the"
        " midwife, health visitor and social worker"
    )
    event = AuditEvent.objects.get(case=allocated, event_type=AuditEventType.WORK_RECORDED)
    assert "No midwife or health visitor" in event.extra_data["summary"]


def test_the_meeting_page_warns_who_was_missing_and_saves(client, allocated, social_worker):
    client.force_login(social_worker)
    url = reverse("checkpoint_record", args=[allocated.id, "multi_agency_meeting"])

    response = client.post(url, {
        "held_on_day": "10", "held_on_month": "11", "held_on_year": "2026",
        "named": ["named_social_worker", "named_midwife"], "family_present": "yes",
        "attendee_1_agency": "police", "attendee_1_name": "PC Example",
    }, follow=True)  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert "No health visitor at the meeting" in page
    assert milestone(allocated, "multi_agency_meeting").done_date == HELD
    checkpoint = Checkpoint.objects.get(case=allocated)
    assert [p.agency for p in checkpoint.participants.all()] == ["csc", "midwifery", "police"]
    assert checkpoint.participants.first().user == social_worker


def test_a_checkpoint_before_the_allocation_is_refused(allocated, social_worker, team_manager):
    with pytest.raises(ValidationError) as refused:
        record(allocated, social_worker, "agencies_informed", team_manager,
               held_on=ALLOCATED - timedelta(days=1))  # fmt: skip

    assert "on or after the allocation on 27 October 2026" in refused.value.error_dict[
        "held_on"][0].message  # fmt: skip


def test_a_checkpoint_cannot_be_recorded_before_the_case_is_allocated(
    named_midwife, social_worker, team_manager, make_case
):
    case = make_case(named_midwife, named_social_worker=social_worker)

    with pytest.raises(ValidationError):
        record(case, social_worker, "checkpoint_10_day", team_manager)
    assert not Checkpoint.objects.exists()


def test_the_10_day_checkpoint_is_with_a_team_manager(allocated, social_worker):
    with pytest.raises(ValidationError) as refused:
        record(allocated, social_worker, "checkpoint_10_day", social_worker)

    assert "team_manager" in refused.value.error_dict


def test_a_midwife_cannot_record_a_checkpoint(allocated, named_midwife, team_manager, client):
    with pytest.raises(PermissionDenied):
        record(allocated, named_midwife, "checkpoint_10_day", team_manager)

    client.force_login(named_midwife)
    url = reverse("checkpoint_record", args=[allocated.id, "checkpoint_10_day"])
    assert client.get(url).status_code == 403
    assert client.post(url, {"held_on_day": "10"}).status_code == 403
    assert client.get(reverse("checkpoint_list", args=[allocated.id])).status_code == 200
    assert not Checkpoint.objects.exists()


def test_a_guest_reads_the_checkpoints_and_records_nothing(allocated, guest, client):
    client.force_login(guest)

    assert client.get(reverse("checkpoint_list", args=[allocated.id])).status_code == 200
    url = reverse("checkpoint_record", args=[allocated.id, "agencies_informed"])
    assert client.get(url).status_code == 403


def test_an_outsider_gets_404_on_every_checkpoint_page(
    allocated, outsider, social_worker, team_manager, client
):
    record(allocated, social_worker, "checkpoint_10_day", team_manager)
    client.force_login(outsider)
    urls = [
        reverse("checkpoint_list", args=[allocated.id]),
        reverse("checkpoint_record", args=[allocated.id, "checkpoint_10_day"]),
        reverse("checkpoint_withdraw", args=[allocated.id, "checkpoint_10_day"]),
    ]

    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in urls[1:]:
        assert client.post(url, {"reason": "x"}).status_code == 404, url
    with pytest.raises(PermissionDenied):
        record(allocated, outsider, "agencies_informed", team_manager)


def test_a_bad_date_is_refused_with_what_was_typed_kept(client, allocated, social_worker):
    client.force_login(social_worker)
    url = reverse("checkpoint_record", args=[allocated.id, "agencies_informed"])

    response = client.post(url, {
        "held_on_day": "31", "held_on_month": "2", "held_on_year": "2026",
        "agencies": ["police", "gp"], "other_agencies": "Women's Aid",
    })  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert 'href="#id_held_on_day"' in page
    assert 'value="31"' in page
    assert "Women&#x27;s Aid" in page
    assert 'value="police" checked' in page
    assert not Checkpoint.objects.exists()


def test_the_45_days_without_a_reason_is_refused_on_the_page(
    client, allocated, social_worker, team_manager
):
    client.force_login(social_worker)
    url = reverse("checkpoint_record", args=[allocated.id, "checkpoint_30_day"])

    response = client.post(url, {
        "held_on_day": "10", "held_on_month": "11", "held_on_year": "2026",
        "outcome": "full_45_days", "team_manager": str(team_manager.pk), "notes": "Kept",
    })  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter why the assessment needs the full 45 days" in page
    assert 'href="#id_reason"' in page
    assert "Kept" in page
    assert not Checkpoint.objects.exists()


def test_recording_and_correcting_through_the_pages(client, allocated, social_worker, team_manager):
    client.force_login(social_worker)
    url = reverse("checkpoint_record", args=[allocated.id, "checkpoint_10_day"])
    form = {"held_on_day": "10", "held_on_month": "11", "held_on_year": "2026",
            "team_manager": str(team_manager.pk), "notes": "On track"}  # fmt: skip

    assert client.post(url, form).status_code == 302
    assert milestone(allocated, "checkpoint_10_day").done_date == HELD
    page = client.get(url).content.decode()
    assert 'value="10"' in page and "On track" in page
    assert client.post(url, {**form, "version": "1", "held_on_day": "11"}).status_code == 302

    assert milestone(allocated, "checkpoint_10_day").done_date == date(2026, 11, 11)
    assert Checkpoint.objects.count() == 1
    stale = client.post(url, {**form, "version": "1", "held_on_day": "12"})
    assert stale.status_code == 200
    assert "Someone else changed this record" in stale.content.decode()


def test_the_withdraw_page_reopens_the_milestone(client, allocated, social_worker, team_manager):
    record(allocated, social_worker, "agencies_informed", team_manager)
    client.force_login(social_worker)
    url = reverse("checkpoint_withdraw", args=[allocated.id, "agencies_informed"])

    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 200
    assert "Enter why this record is being withdrawn" in refused.content.decode()
    assert client.post(url, {"reason": "Recorded on the wrong case"}).status_code == 302

    assert milestone(allocated, "agencies_informed").done_date is None


def test_the_task_list_shows_each_checkpoint_due_and_its_status(
    client, allocated, social_worker, team_manager
):
    record(allocated, social_worker, "checkpoint_10_day", team_manager)
    client.force_login(social_worker)

    page = client.get(reverse("checkpoint_list", args=[allocated.id])).content.decode()

    assert "govuk-task-list" in page
    due = milestone(allocated, "multi_agency_meeting").due_date
    assert f"Due {due.day} November 2026" in page
    assert "Introductory home visit to both parents" in page
    assert "Genogram and chronology attached" in page
    assert reverse("checkpoint_record", args=[allocated.id, "agencies_informed"]) in page
    assert "Done" in page


def test_the_task_list_links_each_task_to_where_its_work_is_recorded(
    client, allocated, social_worker, health_visitor
):
    """The links are the one map's (web/work_links.py): the visit and documents recorded
    elsewhere included, and only for those who record checkpoints."""
    client.force_login(social_worker)
    page = client.get(reverse("checkpoint_list", args=[allocated.id])).content.decode()

    for milestone_id in ("intro_home_visit", "genogram", "chronology", "agencies_informed"):
        assert work_link(allocated.id, milestone_id).url in page
    assert "Record the introductory home visit</a>" in page
    assert "Upload the genogram</a> · " in page
    assert "?kind=chronology" in page

    client.force_login(health_visitor)
    page = client.get(reverse("checkpoint_list", args=[allocated.id])).content.decode()

    assert "Genogram and chronology attached" in page
    assert work_link(allocated.id, "genogram").url not in page
    assert reverse("visit_record", args=[allocated.id]) not in page


def test_before_the_allocation_no_task_can_start(client, social_worker, make_case):
    case = make_case(social_worker, edd=TODAY + timedelta(days=150))
    client.force_login(social_worker)

    page = client.get(reverse("checkpoint_list", args=[case.id])).content.decode()

    assert page.count("govuk-task-list__status--cannot-start-yet") == 7
    assert page.count("Cannot start yet") == 7
    assert "govuk-task-list__link" not in page


def test_the_case_page_counts_the_checkpoints_done(client, allocated, social_worker, team_manager):
    record(allocated, social_worker, "checkpoint_10_day", team_manager)
    record(allocated, social_worker, "agencies_informed", team_manager)
    client.force_login(social_worker)

    page = client.get(reverse("case_detail", args=[allocated.id])).content.decode()

    assert "2 of 7 checkpoints done" in page
    assert reverse("checkpoint_list", args=[allocated.id]) in page


@pytest.mark.parametrize("kind", CheckpointKind.values)
def test_each_form_saved_as_shown_changes_nothing(
    client, allocated, social_worker, named_midwife, team_manager, kind
):
    details = details_for(kind, team_manager)
    if kind == CheckpointKind.MULTI_AGENCY_MEETING:
        # Someone not named on the case first, then a named professional: shown the other
        # way round on the form, and still the same meeting.
        details = CheckpointDetails(held_on=HELD, family_present=True, participants=[
            ParticipantDetails(agency="csc", name="Sam Cover", role="Duty social worker"),
            ParticipantDetails(agency="midwifery", name="Helen Tester", role="Midwife",
                               user=named_midwife),
        ])  # fmt: skip
    if kind == CheckpointKind.AGENCIES_INFORMED:
        details = CheckpointDetails(held_on=HELD, participants=[
            ParticipantDetails(agency="police"), ParticipantDetails(agency="gp"),
            ParticipantDetails(agency="other", name="Women's Aid"),
        ])  # fmt: skip
    services.checkpoint_record(actor=social_worker, context=None, case=allocated, kind=kind,
                               details=details)  # fmt: skip
    changes = AuditEvent.objects.filter(case=allocated).exclude(
        event_type=AuditEventType.CASE_VIEWED
    )
    events = changes.count()
    client.force_login(social_worker)
    url = reverse("checkpoint_record", args=[allocated.id, kind])
    page = client.get(url).content.decode()
    [form] = [f for f in forms_on(page) if f.method == "post" and not f.action]

    response = client.post(url, form.data())

    assert response.status_code == 302
    assert Checkpoint.objects.get(case=allocated).version == 1
    assert changes.count() == events
