"""Specialist assessments (PAMS, parenting capacity, hair strand, DNA, others): recorded,
completed and corrected by children's social care, and flagged wherever they are shown
when first requested after the ICPC or the PLO letter."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from checkpoints import services
from checkpoints.models import SpecialistAssessment
from checkpoints.selectors import specialist_rows
from checkpoints.services import SpecialistDetails
from timeline.models import CaseMilestone
from timeline.services import steps_sync

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 11, 23)
ICPC_DAY = date(2026, 11, 4)
LATE_MESSAGE = (
    "Requested after the initial child protection conference on 4 November 2026: the"
    " procedure says not to wait"
)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 11, 23, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def cp_case(named_midwife, social_worker, make_case):
    """A case with an initial child protection conference held on ICPC_DAY: the plans app
    records it as a step, as this does."""
    case = make_case(named_midwife, edd=TODAY + timedelta(days=100),
                     named_social_worker=social_worker)  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=date(2026, 10, 20),
        allocation_date=date(2026, 10, 21), complex=True, significant_harm=True,
        strategy_discussion_date=date(2026, 10, 28),
    )  # fmt: skip
    steps_sync(case, source="plans.test", source_id="icpc", steps=[("icpc", "csc", ICPC_DAY)])
    assert CaseMilestone.objects.get(case=case, milestone_id="icpc").done_date == ICPC_DAY
    return case


def request(case, actor, *, on, kind="hair_strand", **more):
    return services.specialist_assessment_request(
        actor=actor, context=None, case=case,
        details=SpecialistDetails(kind=kind, requested_on=on, **more),
    )  # fmt: skip


def test_a_request_is_recorded_and_audited(cp_case, social_worker):
    assessment = request(cp_case, social_worker, on=date(2026, 11, 1), provider="Example Lab")

    event = AuditEvent.objects.get(case=cp_case, event_type=AuditEventType.WORK_RECORDED)
    assert event.extra_data["step"] == "specialist_assessment"
    assert event.extra_data["record_id"] == str(assessment.pk)
    assert event.extra_data["on"] == "2026-11-01"
    assert event.extra_data["summary"] == (
        "Hair strand test requested on 1 November 2026 from Example Lab"
    )


def test_a_request_after_the_icpc_is_flagged(cp_case, social_worker):
    assessment = request(cp_case, social_worker, on=ICPC_DAY + timedelta(days=1))

    [row] = specialist_rows(cp_case)
    assert row.late.message == LATE_MESSAGE
    event = AuditEvent.objects.get(case=cp_case, event_type=AuditEventType.WORK_RECORDED)
    assert event.extra_data["summary"].endswith(LATE_MESSAGE)
    assert row.assessment == assessment


@pytest.mark.parametrize("days", [0, -1, -20])
def test_a_request_on_or_before_the_icpc_is_not_flagged(cp_case, social_worker, days):
    request(cp_case, social_worker, on=ICPC_DAY + timedelta(days=days))

    [row] = specialist_rows(cp_case)
    assert row.late is None


def test_a_repeat_of_a_test_first_asked_for_in_time_is_not_flagged(cp_case, social_worker):
    request(cp_case, social_worker, on=ICPC_DAY - timedelta(days=5))
    request(cp_case, social_worker, on=ICPC_DAY + timedelta(days=5))
    request(cp_case, social_worker, on=ICPC_DAY + timedelta(days=6), kind="pams")

    flags = {(row.kind, row.requested_on): row.late for row in specialist_rows(cp_case)}
    assert flags[("hair_strand", ICPC_DAY - timedelta(days=5))] is None
    assert flags[("hair_strand", ICPC_DAY + timedelta(days=5))] is None
    assert flags[("pams", ICPC_DAY + timedelta(days=6))].message == LATE_MESSAGE


def test_a_request_after_the_plo_letter_is_flagged_naming_it(
    named_midwife, social_worker, make_case
):
    case = make_case(named_midwife, named_social_worker=social_worker,
                     csc_input="pre_proceedings")  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=date(2026, 10, 20),
        allocation_date=date(2026, 10, 21),
    )  # fmt: skip
    steps_sync(case, source="plans.test", source_id="plo",
               steps=[("plo_letter", "csc", date(2026, 11, 2))])  # fmt: skip

    request(case, social_worker, on=date(2026, 11, 9), kind="dna")

    [row] = specialist_rows(case)
    assert row.late.message == (
        "Requested after the PLO letter on 2 November 2026: the procedure says not to wait"
    )


def test_the_flag_is_shown_on_the_list_and_the_case_page(client, cp_case, social_worker):
    request(cp_case, social_worker, on=ICPC_DAY + timedelta(days=2), kind="pams")
    client.force_login(social_worker)

    listed = client.get(reverse("checkpoint_list", args=[cp_case.id])).content.decode()
    case_page = client.get(reverse("case_detail", args=[cp_case.id])).content.decode()

    assert LATE_MESSAGE in listed
    assert "PAMS assessment" in listed
    assert LATE_MESSAGE in case_page


def test_completed_before_requested_is_refused_naming_the_field(cp_case, social_worker):
    with pytest.raises(ValidationError) as refused:
        request(cp_case, social_worker, on=date(2026, 11, 10), completed_on=date(2026, 11, 9))

    assert "completed_on" in refused.value.error_dict
    assert not SpecialistAssessment.objects.exists()


def test_another_kind_needs_its_name(cp_case, social_worker):
    with pytest.raises(ValidationError) as refused:
        request(cp_case, social_worker, on=date(2026, 11, 10), kind="other")

    assert "other_name" in refused.value.error_dict
    request(cp_case, social_worker, on=date(2026, 11, 10), kind="other",
            other_name="Psychological assessment")  # fmt: skip
    assert SpecialistAssessment.objects.get().name == "Psychological assessment"


def test_completing_it_is_audited_with_before_and_after(cp_case, social_worker):
    assessment = request(cp_case, social_worker, on=date(2026, 11, 1))

    services.specialist_assessment_update(
        actor=social_worker, context=None, assessment=assessment,
        details=SpecialistDetails(kind="hair_strand", requested_on=date(2026, 11, 1),
                                  completed_on=date(2026, 11, 20), outcome="Negative"),
    )  # fmt: skip

    event = AuditEvent.objects.get(case=cp_case, event_type=AuditEventType.WORK_CHANGED)
    assert event.extra_data["changes"] == {
        "completed_on": {"before": None, "after": "2026-11-20"},
        "outcome": {"before": "", "after": "Negative"},
    }
    assert event.extra_data["on"] == "2026-11-20"


def test_an_update_saved_unchanged_writes_nothing(cp_case, social_worker):
    assessment = request(cp_case, social_worker, on=date(2026, 11, 1))
    events = AuditEvent.objects.count()

    services.specialist_assessment_update(
        actor=social_worker, context=None, assessment=assessment,
        details=services.specialist_details(assessment),
    )  # fmt: skip

    assert AuditEvent.objects.count() == events


def test_a_withdrawn_request_is_no_longer_listed_or_flagged(cp_case, social_worker):
    assessment = request(cp_case, social_worker, on=ICPC_DAY + timedelta(days=3))

    services.specialist_assessment_withdraw(
        actor=social_worker, context=None, assessment=assessment, reason="Duplicate"
    )

    assert specialist_rows(cp_case) == []
    assert AuditEvent.objects.filter(event_type=AuditEventType.WORK_WITHDRAWN).exists()


def test_a_midwife_cannot_record_one(client, cp_case, named_midwife):
    with pytest.raises(PermissionDenied):
        request(cp_case, named_midwife, on=date(2026, 11, 1))

    client.force_login(named_midwife)
    url = reverse("specialist_assessment_request", args=[cp_case.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": "dna"}).status_code == 403
    assert not SpecialistAssessment.objects.exists()


def test_an_outsider_gets_404_on_every_specialist_assessment_page(
    client, cp_case, social_worker, outsider
):
    assessment = request(cp_case, social_worker, on=date(2026, 11, 1))
    client.force_login(outsider)

    for name, args in [
        ("specialist_assessment_request", [cp_case.id]),
        ("specialist_assessment_update", [cp_case.id, assessment.id]),
        ("specialist_assessment_withdraw", [cp_case.id, assessment.id]),
    ]:
        url = reverse(name, args=args)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x"}).status_code == 404, url


def test_another_cases_assessment_is_404_under_this_case(
    client, cp_case, social_worker, named_midwife, make_case
):
    other = make_case(named_midwife, family_name="Other")
    assessment = request(cp_case, social_worker, on=date(2026, 11, 1))
    client.force_login(social_worker)

    url = reverse("specialist_assessment_update", args=[other.id, assessment.id])
    assert client.get(url).status_code == 404


def test_the_page_refuses_a_bad_date_keeping_what_was_typed(client, cp_case, social_worker):
    client.force_login(social_worker)
    url = reverse("specialist_assessment_request", args=[cp_case.id])

    response = client.post(url, {
        "kind": "hair_strand", "requested_on_day": "12", "requested_on_month": "13",
        "requested_on_year": "2026", "provider": "Example Lab",
    })  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert 'value="13"' in page and 'value="Example Lab"' in page
    assert not SpecialistAssessment.objects.exists()


def test_recording_and_completing_through_the_pages(client, cp_case, social_worker):
    client.force_login(social_worker)
    url = reverse("specialist_assessment_request", args=[cp_case.id])
    form = {"kind": "parenting_capacity", "requested_on_day": "1", "requested_on_month": "11",
            "requested_on_year": "2026", "provider": "Example Assessments"}  # fmt: skip

    assert client.post(url, form).status_code == 302
    assessment = SpecialistAssessment.objects.get()
    change = reverse("specialist_assessment_update", args=[cp_case.id, assessment.id])
    completed = {**form, "version": "1", "completed_on_day": "20", "completed_on_month": "11",
                 "completed_on_year": "2026", "outcome": "Good enough parenting"}  # fmt: skip
    assert client.post(change, completed).status_code == 302

    assessment.refresh_from_db()
    assert assessment.completed_on == date(2026, 11, 20)
    assert assessment.outcome == "Good enough parenting"
