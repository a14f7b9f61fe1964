"""A visit of the right kind, by the right agency, after the event it answers, does its
milestone by itself; withdrawn, the milestone is open again. Through the service, with
the stored CaseMilestone checked."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from tests import visits_fixtures as fixtures
from tests.visits_fixtures import ALLOCATION, BIRTH, DISCHARGE, NOW, at, milestone
from timeline.models import CaseStep
from visits.models import Visit
from visits.services import visit_record, visit_withdraw

allocated, gone_home, fostered = fixtures.allocated, fixtures.gone_home, fixtures.fostered
frozen, health_visitor = fixtures.frozen, fixtures.health_visitor


def record(actor, case, **values):
    values.setdefault("seen", ["mother", "father"])
    values.setdefault("baby_seen", "unborn")
    return visit_record(actor=actor, context=None, case=case, **values)


def test_a_social_workers_introductory_visit_after_allocation_does_the_introductory_visit(
    allocated, social_worker
):
    assert milestone(allocated, "intro_home_visit").done_date is None

    recorded = record(social_worker, allocated, visited_at=at(ALLOCATION + timedelta(days=3)),
                      type="introductory")  # fmt: skip

    row = milestone(allocated, "intro_home_visit")
    assert row.done_date == ALLOCATION + timedelta(days=3)
    assert row.state == "done"
    assert recorded.milestones_done == (row.title,)
    step = CaseStep.objects.get(case=allocated)
    assert (step.kind, step.agency, step.source, step.source_id) == (
        "visit_introductory", "csc", "visits.visit", str(recorded.visit.pk))  # fmt: skip


def test_an_introductory_visit_before_the_allocation_does_not_do_it(allocated, social_worker):
    recorded = record(social_worker, allocated, visited_at=at(ALLOCATION - timedelta(days=1)),
                      type="introductory")  # fmt: skip

    assert Visit.objects.filter(pk=recorded.visit.pk).exists()
    assert milestone(allocated, "intro_home_visit").done_date is None
    assert recorded.milestones_done == ()


def test_the_earliest_introductory_visit_on_or_after_allocation_does_it(allocated, social_worker):
    later = ALLOCATION + timedelta(days=5)
    record(social_worker, allocated, visited_at=at(later), type="introductory")
    record(social_worker, allocated, visited_at=at(ALLOCATION, 9), type="introductory")

    assert milestone(allocated, "intro_home_visit").done_date == ALLOCATION


def test_a_social_workers_home_visit_after_discharge_does_the_48_hour_visit(
    gone_home, social_worker
):
    record(social_worker, gone_home, visited_at=at(DISCHARGE.date() + timedelta(days=1)),
           type="home", baby_seen="yes")  # fmt: skip

    row = milestone(gone_home, "home_visit_48h")
    assert row.done_date == DISCHARGE.date() + timedelta(days=1)
    assert row.state == "done"


def test_a_home_visit_before_the_discharge_does_not_do_the_48_hour_visit(gone_home, social_worker):
    record(social_worker, gone_home, visited_at=at(BIRTH), type="home", baby_seen="yes")

    assert milestone(gone_home, "home_visit_48h").done_date is None


def test_a_midwifes_home_visit_is_recorded_but_does_not_do_the_social_workers_visit(
    gone_home, named_midwife
):
    recorded = record(named_midwife, gone_home,
                      visited_at=at(DISCHARGE.date() + timedelta(days=1)), type="home",
                      baby_seen="yes")  # fmt: skip

    assert recorded.visit.agency == "midwifery"
    assert CaseStep.objects.filter(case=gone_home, kind="visit_home", agency="midwifery").exists()
    assert milestone(gone_home, "home_visit_48h").done_date is None


def test_a_health_visitors_home_visit_does_not_do_it_either(gone_home, health_visitor):
    record(health_visitor, gone_home, visited_at=at(DISCHARGE.date() + timedelta(days=1)),
           type="home", baby_seen="yes")  # fmt: skip

    assert milestone(gone_home, "home_visit_48h").done_date is None


def test_a_foster_visit_after_placement_does_the_72_hour_visit(fostered, social_worker):
    record(social_worker, fostered, visited_at=at(DISCHARGE.date() + timedelta(days=2)),
           type="foster", seen=[], seen_other="Foster carers", baby_seen="yes")  # fmt: skip

    row = milestone(fostered, "foster_visit_72h")
    assert row.done_date == DISCHARGE.date() + timedelta(days=2)
    assert row.state == "done"


def test_an_other_visit_does_no_milestone(allocated, social_worker):
    record(social_worker, allocated, visited_at=at(ALLOCATION + timedelta(days=1)), type="other")

    assert not CaseStep.objects.filter(case=allocated).exists()
    assert milestone(allocated, "intro_home_visit").done_date is None


def test_withdrawing_the_visit_reopens_its_milestone_and_keeps_the_visit(allocated, social_worker):
    recorded = record(social_worker, allocated, visited_at=at(ALLOCATION + timedelta(days=2)),
                      type="introductory")  # fmt: skip
    assert milestone(allocated, "intro_home_visit").done_date is not None

    withdrawn = visit_withdraw(actor=social_worker, context=None, visit=recorded.visit,
                               reason="Recorded on the wrong case")  # fmt: skip

    row = milestone(allocated, "intro_home_visit")
    assert row.done_date is None
    assert withdrawn.milestones_reopened == (row.title,)
    visit = Visit.objects.get(pk=recorded.visit.pk)
    assert visit.withdrawn_at == NOW
    assert visit.withdrawn_by == social_worker
    assert visit.withdrawn_reason == "Recorded on the wrong case"
    assert not CaseStep.objects.filter(case=allocated).exists()


def test_a_team_manager_withdraws_a_social_workers_visit(allocated, social_worker, team_manager):
    recorded = record(social_worker, allocated, visited_at=at(ALLOCATION), type="introductory")

    visit_withdraw(actor=team_manager, context=None, visit=recorded.visit, reason="Duplicate")

    assert milestone(allocated, "intro_home_visit").done_date is None


def test_nobody_else_withdraws_a_visit(allocated, social_worker, named_midwife, make_user):
    recorded = record(social_worker, allocated, visited_at=at(ALLOCATION), type="introductory")
    colleague = make_user("sue", RoleCode.SOCIAL_WORKER)

    for someone in (colleague, named_midwife):
        with pytest.raises(PermissionDenied):
            visit_withdraw(actor=someone, context=None, visit=recorded.visit, reason="No")

    assert Visit.objects.get(pk=recorded.visit.pk).withdrawn_at is None
    assert milestone(allocated, "intro_home_visit").done_date == ALLOCATION


def test_a_withdrawal_needs_a_reason_and_happens_once(allocated, social_worker):
    recorded = record(social_worker, allocated, visited_at=at(ALLOCATION), type="introductory")

    with pytest.raises(ValidationError) as error:
        visit_withdraw(actor=social_worker, context=None, visit=recorded.visit, reason="  ")
    assert "reason" in error.value.message_dict

    visit_withdraw(actor=social_worker, context=None, visit=recorded.visit, reason="Error")
    with pytest.raises(ValidationError):
        visit_withdraw(actor=social_worker, context=None, visit=recorded.visit, reason="Again")
    assert AuditEvent.objects.filter(event_type=AuditEventType.VISIT_WITHDRAWN).count() == 1


def test_recording_and_withdrawing_write_audit_rows_with_their_summary(allocated, social_worker):
    day = ALLOCATION + timedelta(days=3)
    recorded = record(social_worker, allocated, visited_at=at(day, 10, 30), type="introductory",
                      note="Both parents at home")  # fmt: skip
    visit_withdraw(actor=social_worker, context=None, visit=recorded.visit,
                   reason="Recorded on the wrong case")  # fmt: skip

    added = AuditEvent.objects.get(event_type=AuditEventType.VISIT_RECORDED)
    assert added.case_id == allocated.id
    assert added.actor == social_worker
    assert added.extra_data["summary"] == (
        "Introductory home visit on 15 January 2027: mother and father or partner seen,"
        " baby not yet born"
    )
    assert added.extra_data["record"] == "visits.visit"
    assert added.extra_data["record_id"] == str(recorded.visit.pk)
    assert added.extra_data["on"] == "2027-01-15"
    assert added.extra_data["step"] == "visit_introductory"
    assert added.extra_data["changes"]["type"] == {"before": None, "after": "introductory"}
    assert added.extra_data["changes"]["note"]["after"] == "Both parents at home"
    gone = AuditEvent.objects.get(event_type=AuditEventType.VISIT_WITHDRAWN)
    assert gone.extra_data["summary"] == (
        "Introductory home visit on 15 January 2027 withdrawn: Recorded on the wrong case"
    )
    assert gone.extra_data["record_id"] == str(recorded.visit.pk)
    assert gone.extra_data["changes"]["withdrawn_reason"]["after"] == "Recorded on the wrong case"


def test_the_type_offered_depends_on_the_agency(allocated, named_midwife, health_visitor):
    refused = [(named_midwife, "introductory"), (named_midwife, "foster"),
               (health_visitor, "introductory"), (named_midwife, "new_birth")]  # fmt: skip
    for someone, kind in refused:
        with pytest.raises(PermissionDenied):
            record(someone, allocated, visited_at=at(ALLOCATION), type=kind)
    assert not Visit.objects.exists()


def test_a_social_worker_does_not_record_an_antenatal_contact(allocated, social_worker):
    with pytest.raises(PermissionDenied):
        record(social_worker, allocated, visited_at=at(ALLOCATION), type="antenatal")


def test_guests_and_outsiders_record_nothing(allocated, guest, outsider):
    for someone in (guest, outsider):
        with pytest.raises(PermissionDenied):
            record(someone, allocated, visited_at=at(ALLOCATION), type="other")
    assert not Visit.objects.exists()


def _refused(actor, case, **values) -> dict:
    with pytest.raises(ValidationError) as error:
        record(actor, case, **values)
    assert not Visit.objects.exists()
    return error.value.message_dict


def test_a_visit_in_the_future_is_refused(allocated, social_worker):
    tomorrow = _refused(social_worker, allocated, visited_at=NOW + timedelta(days=1),
                        type="other")  # fmt: skip
    later_today = _refused(social_worker, allocated, visited_at=NOW + timedelta(hours=1),
                           type="other")  # fmt: skip

    assert tomorrow == {"visited_on": ["The date of the visit must be today or in the past"]}
    assert later_today == {"visited_time": ["The time of the visit must be in the past"]}


def test_a_visit_over_a_year_before_the_case_was_registered_is_refused(allocated, social_worker):
    errors = _refused(social_worker, allocated, visited_at=NOW - timedelta(days=400), type="other")

    assert "no more than a year before the case was registered" in errors["visited_on"][0]


def test_an_introductory_visit_without_the_father_needs_the_reason(allocated, social_worker):
    errors = _refused(social_worker, allocated, visited_at=at(ALLOCATION), type="introductory",
                      seen=["mother"])  # fmt: skip
    assert list(errors) == ["father_not_seen_reason"]

    recorded = record(social_worker, allocated, visited_at=at(ALLOCATION), type="introductory",
                      seen=["mother"], father_not_seen_reason="Father at work")  # fmt: skip
    assert recorded.visit.father_not_seen_reason == "Father at work"
    # Only the visit of both parents needs it; anywhere else it is not kept.
    other = record(social_worker, allocated, visited_at=at(ALLOCATION), type="other",
                   seen=["mother"], father_not_seen_reason="Not asked")  # fmt: skip
    assert other.visit.father_not_seen_reason == ""


def test_someone_must_have_been_seen(allocated, social_worker):
    errors = _refused(social_worker, allocated, visited_at=at(ALLOCATION), type="other", seen=[])

    assert list(errors) == ["seen"]


def test_the_baby_seen_must_fit_the_day(gone_home, social_worker):
    after_birth = at(DISCHARGE.date() + timedelta(days=1))
    errors = _refused(social_worker, gone_home, visited_at=after_birth, type="home",
                      baby_seen="unborn")  # fmt: skip
    assert list(errors) == ["baby_seen"]

    record(social_worker, gone_home, visited_at=at(BIRTH - timedelta(days=2)), type="other",
           baby_seen="unborn")  # fmt: skip
    assert Visit.objects.count() == 1


def test_a_baby_is_not_seen_before_it_is_born(allocated, social_worker):
    errors = _refused(social_worker, allocated, visited_at=at(ALLOCATION), type="other",
                      baby_seen="yes")  # fmt: skip

    assert "choose ‘Not yet born’" in errors["baby_seen"][0]
