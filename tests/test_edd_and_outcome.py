"""Revising the EDD keeps its history; recording the outcome, including twins and losses."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from cases.models import Baby

TODAY = date(2026, 11, 23)


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


@time_machine.travel(TODAY, tick=False)
def test_revising_the_edd_keeps_every_value_with_its_reason(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 6, 10))
    url = reverse("edd_revise", args=[case.id])

    signed_in.post(url, {"edd_day": "3", "edd_month": "6", "edd_year": "2027", "reason": "Scan"})
    signed_in.post(url, {"edd_day": "5", "edd_month": "6", "edd_year": "2027", "reason": "Rescan"})

    case.refresh_from_db()
    assert case.edd == date(2027, 6, 5)
    history = [(r.edd, r.previous_edd, r.reason) for r in case.edd_revisions.all()]
    assert history == [
        (date(2027, 6, 5), date(2027, 6, 3), "Rescan"),
        (date(2027, 6, 3), date(2027, 6, 10), "Scan"),
        (date(2027, 6, 10), None, "Expected due date when the case was registered"),
    ]
    event = AuditEvent.objects.filter(event_type=AuditEventType.EDD_REVISED).first()
    assert event.extra_data["changes"]["edd"] == {"before": "2027-06-03", "after": "2027-06-05"}
    page = signed_in.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "was 10 June 2027" in page


@time_machine.travel(TODAY, tick=False)
def test_revising_the_edd_needs_a_reason(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 6, 10))

    response = signed_in.post(
        reverse("edd_revise", args=[case.id]),
        {"edd_day": "3", "edd_month": "6", "edd_year": "2027", "reason": ""},
    )

    assert "Enter why the due date has changed" in response.content.decode()
    case.refresh_from_db()
    assert case.edd == date(2027, 6, 10)


@time_machine.travel(TODAY, tick=False)
def test_recording_the_live_birth_of_twins(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2026, 12, 1))
    url = reverse("outcome_record", args=[case.id])
    assert "Twins or more?" in signed_in.get(url).content.decode()

    response = signed_in.post(
        url + "?babies=2",
        {
            "babies": "2",
            "outcome": "live_birth",
            "outcome_date_day": "20",
            "outcome_date_month": "11",
            "outcome_date_year": "2026",
            "baby_1_time": "23:50",
            "baby_1_sex": "female",
            "baby_1_given_name": "Mia",
            "baby_1_family_name": "Ashdown",
            "baby_2_time": "11:58pm",
            "baby_2_sex": "male",
            "baby_2_weight": "2450",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "live_birth"
    assert case.birth_date == date(2026, 11, 20)
    babies = list(Baby.objects.filter(case=case))
    assert [(b.birth_order, b.sex, b.born_at.hour, b.born_at.minute) for b in babies] == [
        (1, "female", 23, 50),
        (2, "male", 23, 58),
    ]
    assert babies[1].birth_weight_grams == 2450
    assert case.display_name == "Baby of Kerry Ashdown"


@time_machine.travel(TODAY, tick=False)
def test_a_live_birth_without_a_time_of_birth_is_refused(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2026, 12, 1))

    response = signed_in.post(
        reverse("outcome_record", args=[case.id]),
        {
            "outcome": "live_birth",
            "outcome_date_day": "20",
            "outcome_date_month": "11",
            "outcome_date_year": "2026",
            "baby_1_sex": "female",
        },
    )

    assert "Enter the time of birth" in response.content.decode()
    case.refresh_from_db()
    assert case.outcome == ""


@time_machine.travel(TODAY, tick=False)
def test_a_loss_is_recorded_gently_and_stops_the_reminders(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 3, 1))

    response = signed_in.post(
        reverse("outcome_record", args=[case.id]),
        {
            "outcome": "miscarriage",
            "outcome_date_day": "18",
            "outcome_date_month": "11",
            "outcome_date_year": "2026",
        },
        follow=True,
    )

    page = response.content.decode()
    case.refresh_from_db()
    assert case.outcome == "miscarriage"
    assert case.birth_date is None
    assert case.edd == date(2027, 3, 1)
    assert "This pregnancy ended in a miscarriage on 18 November 2026" in page
    assert "All reminders for this case have stopped" in page
    assert "Unborn baby" not in page
    assert signed_in.get(reverse("outcome_record", args=[case.id])).status_code == 403
