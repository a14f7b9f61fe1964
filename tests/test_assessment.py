"""Opening, writing and authorising the pre-birth assessment move its milestones, and a
team manager never authorises an assessment they wrote."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessments import services
from assessments.models import AgencyView, Assessment, AssessmentArea, AssessmentState
from audit.models import AuditEvent, AuditEventType
from rules import assessment as rules
from tests.assessment_fixtures import *  # noqa: F403 – the fixtures
from tests.assessment_fixtures import ALLOCATION, TODAY, fill
from timeline.models import CaseMilestone, MilestoneState


def milestone(case, milestone_id) -> CaseMilestone:
    return CaseMilestone.objects.get(case=case, milestone_id=milestone_id)


def test_opening_the_assessment_does_the_assessment_opened_milestone(allocated, social_worker):
    assert milestone(allocated, "assessment_opened").done_date is None

    assessment = services.assessment_open(actor=social_worker, context=None, case=allocated)

    row = milestone(allocated, "assessment_opened")
    assert row.done_date == TODAY
    assert row.state == MilestoneState.DONE_LATE  # due on the day of allocation
    assert assessment.opened_by == social_worker
    assert assessment.areas.count() == 15
    assert set(assessment.areas.values_list("status", flat=True)) == {rules.NOT_STARTED}
    event = AuditEvent.objects.get(case=allocated, event_type=AuditEventType.WORK_RECORDED)
    assert event.extra_data["summary"] == (
        "Pre-birth assessment opened on 15 February 2027 by Priya Tester"
    )
    assert event.extra_data["record"] == "assessments.assessment"
    assert event.extra_data["record_id"] == str(assessment.pk)
    assert event.extra_data["on"] == "2027-02-15"


def test_opened_on_the_day_of_allocation_it_is_on_time(allocated, social_worker):
    services.assessment_open(actor=social_worker, context=None, case=allocated,
                             opened_on=ALLOCATION)  # fmt: skip
    assert milestone(allocated, "assessment_opened").state == MilestoneState.DONE


def test_the_assessment_is_not_opened_before_the_case_is_allocated(unallocated, social_worker):
    with pytest.raises(ValidationError, match="must be allocated"):
        services.assessment_open(actor=social_worker, context=None, case=unallocated)
    assert not Assessment.objects.exists()


def test_any_csc_worker_of_the_locality_may_open_it_but_not_health_staff(
    allocated, team_manager, midwife, outsider
):
    for refused in (midwife, outsider):
        with pytest.raises(PermissionDenied):
            services.assessment_open(actor=refused, context=None, case=allocated)
    assessment = services.assessment_open(actor=team_manager, context=None, case=allocated)
    assert assessment.opened_by == team_manager


def test_authorising_the_assessment_completes_the_assessment_completed_milestone(
    submitted, team_manager
):
    case = submitted.case
    assert milestone(case, "assessment_completed").done_date is None

    services.assessment_decide(actor=team_manager, context=None, assessment=submitted,
                               authorise=True)  # fmt: skip

    submitted.refresh_from_db()
    assert submitted.state == AssessmentState.AUTHORISED
    assert submitted.authorised_on == TODAY
    assert submitted.decided_by == team_manager
    row = milestone(case, "assessment_completed")
    assert row.done_date == TODAY
    assert row.state == MilestoneState.DONE
    assert milestone(case, "assessment_opened").done_date == TODAY  # still done
    decided = AuditEvent.objects.get(case=case, event_type=AuditEventType.ASSESSMENT_DECIDED)
    assert decided.extra_data["summary"] == (
        "Pre-birth assessment authorised on 15 February 2027 by Mark Tester"
    )
    assert decided.extra_data["changes"]["state"] == {"before": "submitted",
                                                      "after": "authorised"}  # fmt: skip
    assert AuditEvent.objects.filter(
        case=case, event_type=AuditEventType.ASSESSMENT_SUBMITTED
    ).exists()


def test_a_team_manager_cannot_authorise_an_assessment_they_wrote(
    allocated, team_manager, other_manager
):
    assessment = services.assessment_open(actor=team_manager, context=None, case=allocated)
    fill(assessment, team_manager)
    services.assessment_submit(actor=team_manager, context=None, assessment=assessment)

    with pytest.raises(PermissionDenied, match="you cannot authorise it"):
        services.assessment_decide(actor=team_manager, context=None, assessment=assessment,
                                   authorise=True)  # fmt: skip

    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED
    assert milestone(allocated, "assessment_completed").done_date is None
    # Another team manager may.
    services.assessment_decide(actor=other_manager, context=None, assessment=assessment,
                               authorise=True)  # fmt: skip
    assert milestone(allocated, "assessment_completed").done_date == TODAY


def test_a_team_manager_who_wrote_an_area_or_sent_it_cannot_authorise_it(
    opened, social_worker, team_manager, other_manager
):
    fill(opened, social_worker)
    # Mark corrects the discharge plan: he wrote part of it now.
    services.area_save(actor=team_manager, context=None, assessment=opened,
                       code="discharge_plan", text="Home with both parents.",
                       action=rules.COMPLETE, version=None)  # fmt: skip
    services.assessment_submit(actor=other_manager, context=None, assessment=opened)
    for author in (team_manager, other_manager):
        with pytest.raises(PermissionDenied):
            services.assessment_decide(actor=author, context=None, assessment=opened,
                                       authorise=True)  # fmt: skip


def test_a_social_worker_cannot_authorise(submitted, make_user):
    from accounts.models import RoleCode

    colleague = make_user("sunita", RoleCode.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied, match="Only a team manager"):
        services.assessment_decide(actor=colleague, context=None, assessment=submitted,
                                   authorise=True)  # fmt: skip


def test_returning_it_records_the_reason_and_reopens_the_areas(
    submitted, team_manager, social_worker
):
    with pytest.raises(ValidationError) as refused:
        services.assessment_decide(actor=team_manager, context=None, assessment=submitted,
                                   authorise=False, reason="  ")  # fmt: skip
    assert "reason" in refused.value.error_dict

    services.assessment_decide(
        actor=team_manager,
        context=None,
        assessment=submitted,
        authorise=False,
        reason="Say more about the father's history",
    )
    submitted.refresh_from_db()
    assert submitted.state == AssessmentState.RETURNED
    assert submitted.decision_reason == "Say more about the father's history"
    assert milestone(submitted.case, "assessment_completed").done_date is None
    saved = services.area_save(actor=social_worker, context=None, assessment=submitted,
                               code="parental_history", text="Father: two older children.",
                               action=rules.COMPLETE, version=None)  # fmt: skip
    assert saved.changed


def test_nothing_changes_while_the_assessment_waits_for_authorisation(
    submitted, social_worker, midwife
):
    with pytest.raises(PermissionDenied):
        services.area_save(actor=social_worker, context=None, assessment=submitted,
                           code="accommodation", text="New flat", action=rules.DRAFT,
                           version=None)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.agency_view_save(actor=midwife, context=None, assessment=submitted,
                                  text="Late booking", version=None)  # fmt: skip


def test_the_analysis_cannot_be_completed_with_areas_empty(opened, social_worker):
    fill(opened, social_worker, codes=["parental_history", "substance_misuse"])

    with pytest.raises(ValidationError) as refused:
        services.area_save(actor=social_worker, context=None, assessment=opened,
                           code="analysis", text="Risks balanced by support",
                           action=rules.COMPLETE, version=None)  # fmt: skip

    message = refused.value.error_dict["text"][0].messages[0]
    assert message.startswith("The analysis is written from the other areas: complete planned")
    assert "discharge plan" in message and "substance misuse" not in message
    analysis = opened.areas.get(code="analysis")
    assert (analysis.status, analysis.text) == (rules.NOT_STARTED, "")


def test_an_empty_area_cannot_be_completed(opened, social_worker):
    with pytest.raises(ValidationError) as refused:
        services.area_save(actor=social_worker, context=None, assessment=opened,
                           code="accommodation", text=" \x00 ", action=rules.COMPLETE,
                           version=None)  # fmt: skip
    assert "text" in refused.value.error_dict
    assert opened.areas.get(code="accommodation").status == rules.NOT_STARTED


def test_the_assessment_is_not_submitted_with_areas_incomplete(opened, social_worker):
    fill(opened, social_worker, codes=["parental_history"])
    with pytest.raises(ValidationError, match="Complete every area"):
        services.assessment_submit(actor=social_worker, context=None, assessment=opened)
    opened.refresh_from_db()
    assert opened.state == AssessmentState.IN_PROGRESS


def test_an_area_saved_unchanged_changes_nothing(opened, social_worker):
    fill(opened, social_worker, codes=["accommodation"], action=rules.DRAFT)
    area = opened.areas.get(code="accommodation")
    events = AuditEvent.objects.count()

    saved = services.area_save(actor=social_worker, context=None, assessment=opened,
                               code="accommodation", text=area.text + "\n", action=rules.DRAFT,
                               version=area.version)  # fmt: skip

    assert not saved.changed
    fresh = AssessmentArea.objects.get(pk=area.pk)
    assert (fresh.version, fresh.updated_at, fresh.status) == (
        area.version, area.updated_at, rules.IN_PROGRESS,
    )  # fmt: skip
    assert AuditEvent.objects.count() == events


def test_an_area_changed_meanwhile_is_refused_and_not_overwritten(
    opened, social_worker, team_manager
):
    area = opened.areas.get(code="accommodation")
    services.area_save(actor=team_manager, context=None, assessment=opened, code="accommodation",
                       text="Housing association flat", action=rules.DRAFT,
                       version=area.version)  # fmt: skip
    with pytest.raises(services.ChangedMeanwhile) as changed:
        services.area_save(actor=social_worker, context=None, assessment=opened,
                           code="accommodation", text="Living with grandmother",
                           action=rules.DRAFT, version=area.version)  # fmt: skip
    assert changed.value.current.text == "Housing association flat"
    assert opened.areas.get(code="accommodation").text == "Housing association flat"


def test_an_area_saved_records_an_audit_row_with_its_changes(opened, social_worker):
    services.area_save(actor=social_worker, context=None, assessment=opened,
                       code="substance_misuse", text="None reported", action=rules.COMPLETE,
                       version=0)  # fmt: skip
    event = AuditEvent.objects.filter(event_type=AuditEventType.WORK_CHANGED).latest("at", "pk")
    area = opened.areas.get(code="substance_misuse")
    assert event.case == opened.case
    assert event.extra_data["summary"] == (
        "Pre-birth assessment: Substance misuse marked as completed by Priya Tester"
    )
    assert event.extra_data["record"] == "assessments.assessmentarea"
    assert event.extra_data["record_id"] == str(area.pk)
    assert event.extra_data["changes"] == {
        "text": {"before": "", "after": "None reported"},
        "status": {"before": "not_started", "after": "completed"},
    }


def test_an_area_reopened_takes_the_completed_analysis_back_to_in_progress(opened, social_worker):
    fill(opened, social_worker)
    saved = services.area_save(actor=social_worker, context=None, assessment=opened,
                               code="accommodation", text="Moving next month",
                               action=rules.DRAFT, version=None)  # fmt: skip
    assert saved.analysis_reopened
    assert opened.areas.get(code="analysis").status == rules.IN_PROGRESS


def test_the_named_midwife_adds_midwiferys_view_but_no_area_and_no_phn_view(opened, midwife):
    services.agency_view_save(actor=midwife, context=None, assessment=opened,
                              text="Booked late; attending since.", version=None)  # fmt: skip

    view = AgencyView.objects.get(assessment=opened)
    assert (view.agency, view.author, view.text) == (
        "midwifery",
        midwife,
        "Booked late; attending since.",
    )
    event = AuditEvent.objects.filter(event_type=AuditEventType.WORK_RECORDED).latest("at", "pk")
    assert event.extra_data["summary"] == (
        "Pre-birth assessment: the midwifery view of the family added by Maria Tester"
    )
    with pytest.raises(PermissionDenied):
        services.area_save(actor=midwife, context=None, assessment=opened,
                           code="views_of_other_agencies", text="Midwife's words",
                           action=rules.DRAFT, version=None)  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.agency_view_save(actor=midwife, context=None, assessment=opened,
                                  agency="phn", text="Health visitor's words",
                                  version=None)  # fmt: skip
    assert AgencyView.objects.count() == 1
    assert opened.areas.get(code="views_of_other_agencies").text == ""


def test_only_the_named_midwife_writes_midwiferys_view_when_one_is_named(
    opened, named_midwife, health_visitor
):
    with pytest.raises(PermissionDenied):
        services.agency_view_save(actor=named_midwife, context=None, assessment=opened,
                                  text="Another midwife's view", version=None)  # fmt: skip
    services.agency_view_save(actor=health_visitor, context=None, assessment=opened,
                              text="New birth visit planned", version=None)  # fmt: skip
    assert list(AgencyView.objects.values_list("agency", flat=True)) == ["phn"]


def test_with_no_named_midwife_any_midwife_of_the_locality_writes_it(
    opened, named_midwife, outsider, make_user
):
    from accounts.models import RoleCode

    case = opened.case
    case.named_midwife = None
    case.save(update_fields=["named_midwife"])
    elsewhere = make_user("sedge", RoleCode.MIDWIFE, localities=("sedgemoor",))
    with pytest.raises(PermissionDenied):
        services.agency_view_save(actor=elsewhere, context=None, assessment=opened,
                                  text="View", version=None)  # fmt: skip
    services.agency_view_save(actor=named_midwife, context=None, assessment=opened,
                              text="View of the Named Midwife", version=None)  # fmt: skip
    assert AgencyView.objects.get().author == named_midwife


def test_an_authorised_assessment_is_the_30_day_checkpoints_outcome(submitted, team_manager):
    """ "At the 30 day check point the assessment should have been completed": once it is
    authorised, the worker is not asked to record the 30-day checkpoint as well."""
    case = submitted.case
    assert milestone(case, "checkpoint_30_day").done_date is None

    services.assessment_decide(actor=team_manager, context=None, assessment=submitted,
                               authorise=True)  # fmt: skip

    assert milestone(case, "checkpoint_30_day").done_date == TODAY
