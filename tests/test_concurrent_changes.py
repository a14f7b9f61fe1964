"""Two people changing the same case at once: nothing is overwritten, nothing is a 500."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from cases.models import Case, CscInput, PregnancyOutcome
from timeline import services
from timeline.models import MilestoneEvent

TODAY = date(2027, 2, 15)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=ZoneInfo("Europe/London")),
                             tick=False):  # fmt: skip
        yield


@pytest.fixture
def case(named_midwife, social_worker, make_case):
    case = make_case(named_midwife, edd=date(2027, 6, 10), named_social_worker=social_worker)
    return case_services.case_facts_update(
        actor=social_worker, context=None, case=case,
        referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21),
    )  # fmt: skip


def _details_form(page) -> dict:
    """What a browser would post back from the details page, unchanged."""
    form = page.context["form"]
    data = {"version": page.context["version"]}
    for name in form.fields:
        value = form.initial.get(name)
        if name == "identified_date":
            data.update({f"{name}_day": value.day, f"{name}_month": value.month,
                         f"{name}_year": value.year})  # fmt: skip
        else:
            data[name] = getattr(value, "pk", value) or ""
    return data


def test_a_change_from_a_page_opened_before_someone_elses_is_not_saved_over_it(
    client, case, social_worker, team_manager
):
    url = reverse("case_details_change", args=[case.id])
    client.force_login(social_worker)
    priyas = _details_form(client.get(url))
    client.force_login(team_manager)
    marks = _details_form(client.get(url))

    marks["csc_input"] = CscInput.CHILD_PROTECTION
    assert client.post(url, marks).status_code == 302
    client.force_login(social_worker)
    priyas["named_health_visitor"] = ""  # unchanged
    priyas["identified_source"] = "gp"
    refused = client.post(url, priyas)

    case.refresh_from_db()
    assert case.csc_input == CscInput.CHILD_PROTECTION  # Mark's change stands
    assert case.identified_source != "gp"  # Priya's is not saved yet...
    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Someone else changed this case" in page
    assert "<title>Error: " in page
    differences = {row["label"]: row for row in refused.context["differences"]}
    assert differences["Level of CSC input"]["now"] == "Child Protection plan"
    assert differences["Level of CSC input"]["entered"] == "Assessment"
    assert 'value="gp" checked' in page  # ...and what she typed is still in the form

    # Having seen the difference, she keeps Mark's change and saves hers.
    priyas.update(version=refused.context["version"], csc_input=CscInput.CHILD_PROTECTION)
    assert client.post(url, priyas).status_code == 302
    case.refresh_from_db()
    assert (case.csc_input, case.identified_source) == (CscInput.CHILD_PROTECTION, "gp")


def test_a_mistake_corrected_after_someone_elses_change_is_still_caught(
    client, case, social_worker, team_manager
):
    url = reverse("case_details_change", args=[case.id])
    client.force_login(social_worker)
    priyas = _details_form(client.get(url))
    mistake = client.post(url, {**priyas, "identified_date_month": "13"})
    assert mistake.context["version"] == priyas["version"]

    case_services.case_update_details(
        actor=team_manager, context=None, case=Case.objects.get(pk=case.pk),
        csc_input=CscInput.CHILD_PROTECTION,
    )  # fmt: skip
    again = client.post(url, {**priyas, "identified_source": "gp"})

    assert "Someone else changed this case" in again.content.decode()
    case.refresh_from_db()
    assert case.csc_input == CscInput.CHILD_PROTECTION


def test_a_second_outcome_from_a_stale_page_is_refused(case, social_worker):
    stale = Case.objects.get(pk=case.pk)
    case_services.outcome_record(
        actor=social_worker, context=None, case=case,
        outcome=PregnancyOutcome.MISCARRIAGE, outcome_date=TODAY,
    )  # fmt: skip

    with pytest.raises(ValidationError, match="already been recorded"):
        case_services.outcome_record(
            actor=social_worker, context=None, case=stale,
            outcome=PregnancyOutcome.TERMINATION, outcome_date=TODAY,
        )  # fmt: skip

    case.refresh_from_db()
    assert case.outcome == PregnancyOutcome.MISCARRIAGE


def test_recording_a_milestone_twice_is_a_message_not_an_error(client, case, social_worker):
    client.force_login(social_worker)
    url = reverse("milestone_record", args=[case.id, "intro_home_visit"])
    not_applicable = {"action": "not_applicable", "reason": "Seen at the hospital instead"}

    client.post(url, not_applicable)
    again = client.post(url, not_applicable)

    assert again.status_code == 200
    assert "already recorded" in again.content.decode()
    assert MilestoneEvent.objects.filter(case=case, milestone_id="intro_home_visit").count() == 1


def test_a_race_past_the_check_is_caught_by_the_database(case, social_worker, monkeypatch):
    services.milestone_mark_not_applicable(
        actor=social_worker, context=None, case=case, milestone_id="genogram",
        reason="No wider family",
    )  # fmt: skip
    # The other request read "nothing recorded" just before this one committed.
    monkeypatch.setattr(services, "_current_event", lambda case, milestone_id: None)

    with pytest.raises(ValidationError, match="already recorded"):
        services.milestone_mark_not_applicable(
            actor=social_worker, context=None, case=case, milestone_id="genogram",
            reason="No wider family",
        )  # fmt: skip

    assert MilestoneEvent.objects.filter(case=case, milestone_id="genogram").count() == 1


def test_revising_the_edd_from_a_page_opened_before_another_revision_is_refused(
    client, case, social_worker, team_manager
):
    url = reverse("edd_revise", args=[case.id])
    client.force_login(social_worker)
    seen = client.get(url).context["version"]
    case_services.edd_revise(
        actor=team_manager, context=None, case=Case.objects.get(pk=case.pk),
        edd=date(2027, 6, 3), reason="Dating scan",
    )  # fmt: skip

    refused = client.post(url, {"version": seen, "edd_day": "12", "edd_month": "6",
                                "edd_year": "2027", "reason": "Booking scan"})  # fmt: skip

    case.refresh_from_db()
    assert case.edd == date(2027, 6, 3)
    assert "Someone else changed this case" in refused.content.decode()
    assert refused.context["differences"] == [
        {"label": "Expected due date", "now": "3 June 2027", "entered": "12 June 2027"}
    ]
    assert "Booking scan</textarea>" in refused.content.decode()
