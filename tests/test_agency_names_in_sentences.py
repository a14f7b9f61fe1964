"""An agency's name inside a sentence is in lower case, as the service's own text writes
it ("open to children's social care"): the messages after saving a health agency's view,
its error, its line in the history, and refusals that name an agency."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from history.entries import Lookups, describe
from tests.assessment_fixtures import *  # noqa: F403 – the fixtures
from timeline import services as timeline_services


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


@pytest.mark.parametrize(
    ("who", "message"),
    [("midwife", "The midwifery view has been saved"),
     ("health_visitor", "The public health nursing view has been saved")],
)  # fmt: skip
def test_saving_a_health_agencys_view_says_so_in_a_sentence(client, opened, who, message, request):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("assessment_agency_view", args=[opened.case.id]),
                           {"text": "Attending antenatal care", "version": "0"},
                           follow=True)  # fmt: skip
    assert _messages(response) == [message]


def test_the_view_page_and_its_error_name_the_agency_in_sentence_case(
    client, opened, health_visitor
):
    client.force_login(health_visitor)
    url = reverse("assessment_agency_view", args=[opened.case.id])
    page = client.post(url, {"text": " ", "version": "0"}).content.decode()
    assert '<h1 class="govuk-heading-l">Public health nursing view</h1>' in page
    assert "Enter the public health nursing view" in page
    assert "Public Health Nursing" not in page.split("<main", 1)[1].split("</main>")[0]


def test_the_history_says_which_agencys_view_in_lower_case(client, opened, midwife):
    client.force_login(midwife)
    client.post(reverse("assessment_agency_view", args=[opened.case.id]),
                {"text": "Attending antenatal care", "version": "0"})  # fmt: skip
    row = AuditEvent.objects.get(case_id=opened.case.id, extra_data__step="agency_view")
    assert row.extra_data["summary"].startswith(
        "Pre-birth assessment: the midwifery view of the family added by"
    )


def test_a_supervision_in_the_history_names_the_agency_in_lower_case(db):
    extra = {"agency": "phn", "supervised_on": "2027-02-01"}
    described = describe(AuditEventType.SUPERVISION_RECORDED, extra, Lookups([]))
    assert described.summary.startswith("Supervision in public health nursing on 1 February 2027")


def test_a_refusal_names_the_agency_that_records_the_milestone_in_lower_case(opened, midwife):
    with pytest.raises(PermissionDenied) as refused:
        timeline_services.milestone_mark_not_applicable(
            actor=midwife, context=None, case=opened.case, milestone_id="allocation",
            reason="Not needed",
        )  # fmt: skip
    assert str(refused.value) == "Only children's social care records this milestone"
