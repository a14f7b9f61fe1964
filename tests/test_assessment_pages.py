"""The assessment's pages: a GOV.UK task list of the 15 areas, each area's form, the health
agencies' views, sending it and authorising it. Without JavaScript, scoped to who may see
the case (404 otherwise), refused to the wrong role (403), and keeping what was typed."""

import pytest
from django.urls import reverse

from accounts.models import RoleCode
from assessments import services
from assessments.models import AgencyView, AssessmentArea, AssessmentState
from rules import assessment as rules
from tests.assessment_fixtures import *  # noqa: F403 – the fixtures
from tests.assessment_fixtures import TODAY, fill
from timeline.models import CaseMilestone


def urls(case) -> list[str]:
    return [
        reverse("assessment_detail", args=[case.id]),
        reverse("assessment_open", args=[case.id]),
        reverse("assessment_area", args=[case.id, "parental_history"]),
        reverse("assessment_agency_view", args=[case.id]),
        reverse("assessment_submit", args=[case.id]),
        reverse("assessment_decide", args=[case.id]),
    ]


def area_url(case, code="accommodation") -> str:
    return reverse("assessment_area", args=[case.id, code])


def test_someone_who_cannot_see_the_case_gets_404_everywhere(client, submitted, outsider):
    client.force_login(outsider)
    for url in urls(submitted.case):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"text": "x", "decision": "authorise"}).status_code == 404, url


def test_an_unknown_area_is_404(client, opened, social_worker):
    client.force_login(social_worker)
    assert client.get(area_url(opened.case, "not_an_area")).status_code == 404


def test_the_worker_opens_the_assessment_from_its_page(client, allocated, social_worker):
    client.force_login(social_worker)
    page = client.get(reverse("assessment_detail", args=[allocated.id]))
    assert b"Open the assessment" in page.content

    response = client.post(reverse("assessment_open", args=[allocated.id]))

    assert response.status_code == 302
    assert allocated.assessment.opened_by == social_worker
    row = CaseMilestone.objects.get(case=allocated, milestone_id="assessment_opened")
    assert row.done_date == TODAY
    page = client.get(reverse("assessment_detail", args=[allocated.id])).content.decode()
    assert page.count('class="govuk-task-list__item') == 15
    assert "Not started" in page and "0 of 15 areas completed" in page


def test_before_allocation_the_page_says_so_and_opening_is_refused(
    client, unallocated, social_worker
):
    client.force_login(social_worker)
    page = client.get(reverse("assessment_detail", args=[unallocated.id]))
    assert b"once a team manager has allocated the case" in page.content
    response = client.post(reverse("assessment_open", args=[unallocated.id]))
    assert response.status_code == 200
    assert b"must be allocated" in response.content


def test_a_draft_saves_and_the_task_list_shows_it_in_progress(client, opened, social_worker):
    client.force_login(social_worker)
    response = client.post(area_url(opened.case), {"text": "Two-bedroom flat", "version": "0",
                                                   "action": "draft"})  # fmt: skip
    assert response.status_code == 302
    area = AssessmentArea.objects.get(assessment=opened, code="accommodation")
    assert (area.status, area.text, area.updated_by) == ("in_progress", "Two-bedroom flat",
                                                         social_worker)  # fmt: skip
    page = client.get(reverse("assessment_detail", args=[opened.case.id])).content.decode()
    assert "In progress" in page


def test_completing_an_empty_area_shows_an_error_summary(client, opened, social_worker):
    client.force_login(social_worker)
    response = client.post(area_url(opened.case), {"text": "", "version": "0",
                                                   "action": "complete"})  # fmt: skip
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
    assert b"Enter the accommodation before marking it as completed" in response.content
    assert AssessmentArea.objects.get(assessment=opened, code="accommodation").status == (
        rules.NOT_STARTED
    )


def test_completing_the_analysis_early_names_the_areas_and_keeps_the_text(
    client, opened, social_worker
):
    fill(opened, social_worker, codes=[c for c in rules.AREA_CODES
                                       if c not in {"analysis", "discharge_plan"}])  # fmt: skip
    client.force_login(social_worker)
    response = client.post(area_url(opened.case, "analysis"),
                           {"text": "Risks balanced by family support", "version": "0",
                            "action": "complete"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "complete discharge plan first" in page
    assert "Risks balanced by family support</textarea>" in page
    assert AssessmentArea.objects.get(assessment=opened, code="analysis").text == ""


def test_an_area_saved_meanwhile_shows_what_was_saved_and_keeps_the_typed_text(
    client, opened, social_worker, team_manager
):
    services.area_save(actor=team_manager, context=None, assessment=opened, code="accommodation",
                       text="Housing association flat", action=rules.DRAFT,
                       version=0)  # fmt: skip
    client.force_login(social_worker)
    response = client.post(area_url(opened.case), {"text": "Living with grandmother",
                                                   "version": "0", "action": "draft"})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this area after you opened it" in page
    assert "Housing association flat" in page
    assert "Living with grandmother</textarea>" in page
    assert 'name="version" value="1"' in page
    assert AssessmentArea.objects.get(assessment=opened, code="accommodation").text == (
        "Housing association flat"
    )


def test_an_area_form_saved_as_shown_changes_nothing(client, opened, social_worker):
    fill(opened, social_worker, codes=["accommodation"])
    before = AssessmentArea.objects.get(assessment=opened, code="accommodation")
    client.force_login(social_worker)
    page = client.get(area_url(opened.case)).content.decode()
    # A completed area's first button keeps it completed.
    assert page.index('value="complete"') < page.index('value="draft"')

    response = client.post(area_url(opened.case), {"text": before.text, "action": "complete",
                                                   "version": str(before.version)})  # fmt: skip

    assert response.status_code == 302
    after = AssessmentArea.objects.get(pk=before.pk)
    assert (after.version, after.updated_at, after.status) == (
        before.version, before.updated_at, "completed",
    )  # fmt: skip


def test_the_named_midwife_adds_her_view_but_cannot_write_an_area(client, opened, midwife):
    client.force_login(midwife)
    assert client.get(reverse("assessment_agency_view", args=[opened.case.id])).status_code == 200
    response = client.post(reverse("assessment_agency_view", args=[opened.case.id]),
                           {"text": "Attending antenatal care", "version": "0"})  # fmt: skip
    assert response.status_code == 302
    assert AgencyView.objects.get().agency == "midwifery"

    assert client.post(area_url(opened.case), {"text": "x", "version": "0"}).status_code == 403
    page = client.get(area_url(opened.case, "views_of_other_agencies")).content.decode()
    assert "Attending antenatal care" in page and "<textarea" not in page


def test_an_empty_view_is_refused_with_the_error_summary(client, opened, health_visitor):
    client.force_login(health_visitor)
    response = client.post(reverse("assessment_agency_view", args=[opened.case.id]),
                           {"text": " ", "version": "0"})  # fmt: skip
    assert response.status_code == 200
    assert b"Enter the public health nursing view" in response.content
    assert not AgencyView.objects.exists()


def test_social_workers_do_not_write_a_health_agencys_view(client, opened, social_worker):
    client.force_login(social_worker)
    url = reverse("assessment_agency_view", args=[opened.case.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "x"}).status_code == 403


def test_a_guest_reads_the_assessment_and_changes_nothing(client, opened, make_user):
    guest = make_user("gita", RoleCode.GUEST)
    client.force_login(guest)
    assert client.get(reverse("assessment_detail", args=[opened.case.id])).status_code == 200
    page = client.get(area_url(opened.case))
    assert page.status_code == 200 and b"<textarea" not in page.content
    assert client.post(area_url(opened.case), {"text": "x"}).status_code == 403
    assert client.post(reverse("assessment_open", args=[opened.case.id])).status_code == 403
    assert client.post(reverse("assessment_submit", args=[opened.case.id])).status_code == 403
    assert AssessmentArea.objects.filter(assessment=opened).exclude(text="").count() == 0


def test_sent_and_authorised_through_the_pages(client, opened, social_worker, team_manager):
    fill(opened, social_worker)
    client.force_login(social_worker)
    assert client.post(reverse("assessment_submit", args=[opened.case.id])).status_code == 302
    # Read only now.
    assert client.post(area_url(opened.case), {"text": "x"}).status_code == 403
    # The worker cannot decide.
    assert client.get(reverse("assessment_decide", args=[opened.case.id])).status_code == 403

    client.force_login(team_manager)
    page = client.get(reverse("assessment_detail", args=[opened.case.id])).content.decode()
    assert "Authorise or return the assessment" in page
    refused = client.post(reverse("assessment_decide", args=[opened.case.id]),
                          {"decision": "return", "reason": ""})  # fmt: skip
    assert b"Enter what needs to change" in refused.content
    response = client.post(reverse("assessment_decide", args=[opened.case.id]),
                           {"decision": "authorise", "reason": ""})  # fmt: skip
    assert response.status_code == 302
    opened.refresh_from_db()
    assert opened.state == AssessmentState.AUTHORISED
    case_page = client.get(reverse("case_detail", args=[opened.case.id])).content.decode()
    assert "Authorised" in case_page and "15 of 15 areas completed" in case_page


def test_the_team_manager_who_wrote_it_is_refused_the_decision_page(
    client, allocated, team_manager
):
    assessment = services.assessment_open(actor=team_manager, context=None, case=allocated)
    fill(assessment, team_manager)
    services.assessment_submit(actor=team_manager, context=None, assessment=assessment)
    client.force_login(team_manager)
    url = reverse("assessment_decide", args=[allocated.id])
    assert client.get(url).status_code == 403
    assert client.post(url, {"decision": "authorise"}).status_code == 403
    assessment.refresh_from_db()
    assert assessment.state == AssessmentState.SUBMITTED


@pytest.mark.parametrize("hostile", ["\x00", "x" * 30_000, "<script>alert(1)</script>"])
def test_hostile_text_is_refused_or_stored_as_text(client, opened, social_worker, hostile):
    client.force_login(social_worker)
    response = client.post(area_url(opened.case), {"text": hostile, "version": "zz",
                                                   "action": "\x00"})  # fmt: skip
    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content
