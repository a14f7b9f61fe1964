"""The birth plan: who should be at the birth, who poses a risk and cannot be present.
Agreed, it does the birth plan milestone; every version is kept."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from plans.models import BirthPlan, BirthPlanVersion
from tests import plans_fixtures
from tests.plans_fixtures import TODAY, date_fields, milestone

assessed_case = plans_fixtures.assessed_case  # the fixture

AGREED = TODAY - timedelta(days=3)


def fields(**changes):
    data = {
        "present_at_birth": "Mother, with her sister as birth partner",
        "not_to_be_present": "The father: not to be admitted to the ward",
        "other_arrangements": "Security told",
        **date_fields("agreed_on", AGREED),
    }
    return {**data, **changes}


@time_machine.travel(TODAY, tick=False)
def test_an_agreed_birth_plan_does_its_milestone(client, social_worker, assessed_case):
    case = assessed_case(significant_harm=True)
    assert milestone(case, "birth_plan").done_date is None
    client.force_login(social_worker)

    response = client.post(reverse("plans_birth_plan", args=[case.id]), fields())

    assert response.status_code == 302
    assert milestone(case, "birth_plan").done_date == AGREED
    plan = BirthPlan.objects.get(case=case)
    assert plan.version == 1 and plan.versions.count() == 1
    row = AuditEvent.objects.get(case=case, event_type=AuditEventType.WORK_RECORDED)
    assert row.extra_data["step"] == "birth_plan" and row.extra_data["on"] == AGREED.isoformat()
    detail = client.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "Who poses a risk and cannot be present" in detail
    assert "The father: not to be admitted to the ward" in detail


@time_machine.travel(TODAY, tick=False)
def test_a_draft_does_not_do_the_milestone_until_agreed(client, social_worker, assessed_case):
    case = assessed_case(significant_harm=True)
    client.force_login(social_worker)
    url = reverse("plans_birth_plan", args=[case.id])

    client.post(url, fields(agreed_on_day="", agreed_on_month="", agreed_on_year=""))
    assert milestone(case, "birth_plan").done_date is None

    client.post(url, {**fields(), "version": "1"})
    assert milestone(case, "birth_plan").done_date == AGREED
    assert BirthPlanVersion.objects.filter(birth_plan__case=case).count() == 2
    assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.WORK_CHANGED).exists()


@time_machine.travel(TODAY, tick=False)
def test_bad_input_keeps_what_was_typed(client, social_worker, assessed_case):
    case = assessed_case(significant_harm=True)
    client.force_login(social_worker)

    response = client.post(
        reverse("plans_birth_plan", args=[case.id]),
        fields(not_to_be_present="", agreed_on_day="45"),
    )

    page = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert "Enter who poses a risk and cannot be present" in page
    assert "Mother, with her sister as birth partner" in page and 'value="45"' in page
    assert not BirthPlan.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_saved_unchanged_changes_nothing(client, social_worker, assessed_case):
    case = assessed_case(significant_harm=True)
    client.force_login(social_worker)
    url = reverse("plans_birth_plan", args=[case.id])
    client.post(url, fields())
    # The newest row's id (ids are not counts: PostgreSQL's sequences outlive a rollback).
    last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = client.post(url, {**fields(), "version": "1"})

    assert response.status_code == 302
    plan = BirthPlan.objects.get(case=case)
    assert plan.version == 1 and plan.versions.count() == 1
    # Only the page's read was recorded.
    assert (
        not AuditEvent.objects.filter(
            event_type__in=[AuditEventType.WORK_RECORDED, AuditEventType.WORK_CHANGED]
        )
        .filter(pk__gt=last)
        .exists()
    )


@time_machine.travel(TODAY, tick=False)
def test_a_change_made_meanwhile_is_not_overwritten(client, social_worker, assessed_case):
    case = assessed_case(significant_harm=True)
    client.force_login(social_worker)
    url = reverse("plans_birth_plan", args=[case.id])
    client.post(url, fields())
    client.post(url, {**fields(other_arrangements="Changed by someone else"), "version": "1"})

    response = client.post(url, {**fields(other_arrangements="Mine"), "version": "1"})

    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert BirthPlan.objects.get(case=case).other_arrangements == "Changed by someone else"
