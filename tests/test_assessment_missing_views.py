"""A health agency's view missing from "views of other agencies" is warned of, never
blocking: the area and the submit page (and the team manager's decision page) say which
agency's view is missing, and the assessment can still be completed and sent."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.models import AssessmentState
from rules import assessment as rules
from tests.assessment_fixtures import *  # noqa: F403 – the fixtures
from tests.assessment_fixtures import fill

PHN_MISSING = "The public health nursing view has not been added: the named health visitor adds it"
BOTH_MISSING = (
    "The midwifery and public health nursing views have not been added: the named midwife"
    " and health visitor add them"
)


def add_view(assessment, who):
    services.agency_view_save(actor=who, context=None, assessment=assessment,
                              text="Known to us since booking.", version=None)  # fmt: skip


def warning_texts(page: str) -> list[str]:
    parts = page.split('<strong class="govuk-warning-text__text">')[1:]
    return [
        part.split("</strong>", 1)[0].split("</span>", 1)[1].strip().removesuffix(".")
        for part in parts
    ]


@pytest.mark.parametrize(
    ("added", "warning"),
    [((), BOTH_MISSING), (("midwifery",), PHN_MISSING),
     (("phn",), "The midwifery view has not been added: the named midwife adds it"),
     (("midwifery", "phn"), "")],
)  # fmt: skip
def test_the_warning_names_the_agencies_whose_view_is_missing(added, warning):
    assert rules.missing_views_warning(rules.missing_views(added)) == warning


def test_the_views_area_warns_which_view_is_missing(client, opened, social_worker, midwife):
    add_view(opened, midwife)
    client.force_login(social_worker)
    url = reverse("assessment_area", args=[opened.case.id, rules.VIEWS_OF_OTHER_AGENCIES])
    assert warning_texts(client.get(url).content.decode()) == [PHN_MISSING]
    # Other areas say nothing of it.
    other = reverse("assessment_area", args=[opened.case.id, "accommodation"])
    assert warning_texts(client.get(other).content.decode()) == []


def test_those_reading_the_area_see_the_warning_too(client, opened, midwife):
    client.force_login(midwife)
    url = reverse("assessment_area", args=[opened.case.id, rules.VIEWS_OF_OTHER_AGENCIES])
    assert warning_texts(client.get(url).content.decode()) == [BOTH_MISSING]


def test_the_submit_page_warns_and_still_sends_it(client, opened, social_worker, midwife):
    add_view(opened, midwife)
    fill(opened, social_worker)
    client.force_login(social_worker)
    url = reverse("assessment_submit", args=[opened.case.id])

    page = client.get(url).content.decode()

    assert warning_texts(page) == [PHN_MISSING]
    assert "You can still send the assessment" in page
    assert client.post(url).status_code == 302
    opened.refresh_from_db()
    assert opened.state == AssessmentState.SUBMITTED


def test_the_team_manager_deciding_sees_the_warning(
    client, opened, social_worker, midwife, team_manager
):
    add_view(opened, midwife)
    fill(opened, social_worker)
    services.assessment_submit(actor=social_worker, context=None, assessment=opened)
    client.force_login(team_manager)
    page = client.get(reverse("assessment_decide", args=[opened.case.id])).content.decode()
    assert warning_texts(page) == [PHN_MISSING]


def test_with_both_views_there_is_no_warning(
    client, opened, social_worker, midwife, health_visitor
):
    add_view(opened, midwife)
    add_view(opened, health_visitor)
    fill(opened, social_worker)
    client.force_login(social_worker)
    assert warning_texts(client.get(reverse("assessment_submit", args=[opened.case.id]))
                         .content.decode()) == []  # fmt: skip
    url = reverse("assessment_area", args=[opened.case.id, rules.VIEWS_OF_OTHER_AGENCIES])
    assert warning_texts(client.get(url).content.decode()) == []
