"""A page showing errors starts its <title> with "Error: ", once (GOV.UK validation
pattern: screen reader users hear it first). The layout adds it whenever a form on the
page has errors, so pages whose form is a single button (opening and sending the
assessment) carry their refusal in a form, and no page adds the prefix a second time."""

import re

import pytest
from django.urls import reverse

from tests.assessment_fixtures import *  # noqa: F403 – the fixtures
from tests.assessment_fixtures import fill


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.DOTALL).group(1)


def summary(response) -> str:
    page = response.content.decode()
    assert 'class="govuk-error-summary"' in page
    return page.split("govuk-error-summary__list", 1)[1].split("</ul>", 1)[0]


def test_opening_refused_before_allocation_is_an_error_page(client, unallocated, social_worker):
    client.force_login(social_worker)
    url = reverse("assessment_open", args=[unallocated.id])
    assert not title(client.get(url)).startswith("Error: ")

    response = client.post(url)

    assert response.status_code == 200
    assert title(response).startswith("Error: Open the pre-birth assessment – ")
    assert "must be allocated" in summary(response)


def test_sending_refused_with_areas_incomplete_is_an_error_page(client, opened, social_worker):
    fill(opened, social_worker, codes=["accommodation"])
    client.force_login(social_worker)
    url = reverse("assessment_submit", args=[opened.case.id])
    assert not title(client.get(url)).startswith("Error: ")

    response = client.post(url)

    assert response.status_code == 200
    assert title(response).startswith("Error: Send the assessment for authorisation – ")
    assert "Complete every area before sending" in summary(response)
    assert 'href="#main-content"' in summary(response)


@pytest.mark.parametrize(
    ("name", "extra"),
    [("checkpoint_record", {"milestone_id": "checkpoint_30_day"}),
     ("specialist_assessment_request", {}),
     ("assessment_area", {"area": "accommodation"})],
)  # fmt: skip
def test_error_pages_say_error_once(client, opened, social_worker, name, extra):
    client.force_login(social_worker)
    url = reverse(name, kwargs={"case_id": opened.case.id, **extra})

    response = client.post(url, {"action": "complete", "version": "0"})

    assert response.status_code == 200
    assert title(response).startswith("Error: ")
    assert title(response).count("Error:") == 1
