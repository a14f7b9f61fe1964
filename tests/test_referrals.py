"""The referral to children's social care: who referred, the risk sensible model and its
complexity, recorded by CSC. It sets the case's referral date and complexity, so the
`referral` and `team_routing` milestones follow, and the case page shows the gestation at
referral, whether it was late and the team the protocol routes it to."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from cases.models import Case
from referrals.models import Referral, RiskFactor
from referrals.services import referral_record
from timeline.models import CaseMilestone, MilestoneState

TODAY = date(2027, 2, 15)
EDD = date(2027, 6, 10)  # 16+0 on 24 December 2026; 30+0 on 1 April 2027; today 23+4


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=ZoneInfo("Europe/London")),
                             tick=False):  # fmt: skip
        yield


def form_data(case=None, **overrides) -> dict:
    """The referral form as posted, with the version of the case the page showed."""
    data = {
        "received_on_day": "12",
        "received_on_month": "2",
        "received_on_year": "2027",
        "referrer_name": "Alys Penhallow",
        "referrer_agency": "midwifery",
        "high_risk_indicators": ["domestic_abuse", "previous_child_removed"],
        "high_risk_notes": "Disclosed at booking",
        "underlying_risk_factors": ["housing_instability"],
        "underlying_notes": "",
        "complex": "yes",
        "complexity_notes": "Two adults posing a risk",
    }
    if case is not None:
        data["version"] = str(Case.objects.get(pk=case.pk).version)
    data.update(overrides)
    return data


def milestone(case, milestone_id) -> CaseMilestone:
    return CaseMilestone.objects.get(case=case, milestone_id=milestone_id)


def test_recording_the_referral_does_the_referral_and_team_routing_milestones(
    client, social_worker, make_case
):
    case = make_case(social_worker, edd=EDD)
    assert milestone(case, "referral").done_date is None
    client.force_login(social_worker)

    response = client.post(reverse("referral_change", args=[case.id]), form_data(case))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.referral_date == date(2027, 2, 12) and case.complex
    referral = milestone(case, "referral")
    assert referral.done_date == date(2027, 2, 12)
    assert referral.state == MilestoneState.DONE_LATE  # after 16+0 weeks
    assert milestone(case, "team_routing").done_date == date(2027, 2, 12)
    record = case.referral_record
    assert record.referrer_name == "Alys Penhallow"
    assert sorted(record.risk_factors.values_list("code", flat=True)) == [
        "domestic_abuse", "housing_instability", "previous_child_removed"
    ]  # fmt: skip
    assert record.recorded_by == social_worker


def test_the_case_page_shows_gestation_at_referral_the_late_flag_and_the_team(
    client, social_worker, make_case
):
    case = make_case(social_worker, edd=EDD)
    client.force_login(social_worker)
    client.post(reverse("referral_change", args=[case.id]), form_data(case))

    page = client.get(reverse("case_detail", args=[case.id])).content.decode()

    assert "Gestation at referral" in page and "23+1 weeks" in page
    assert "Yes, 50 days after the referral was due, due 24 December 2026" in page
    assert "Safeguarding Children&#x27;s Team" in page
    assert "before 30+0, and the case is complex" in page
    assert "Domestic abuse" in page and "Disclosed at booking" in page
    assert "Alys Penhallow, Midwifery" in page
    assert "Change the referral" in page


def test_a_referral_at_30_weeks_stays_with_duty_and_assessment_even_when_complex(
    client, social_worker, make_case
):
    case = make_case(social_worker, edd=date(2027, 4, 23))  # 30+0 on 12 February 2027
    client.force_login(social_worker)
    client.post(reverse("referral_change", args=[case.id]), form_data(case))

    page = client.get(reverse("case_detail", args=[case.id])).content.decode()

    assert "Duty and Assessment Team" in page
    assert "Referred at 30+0 weeks, at or after 30+0" in page


def test_a_referral_on_time_is_not_flagged(client, social_worker, make_case):
    case = make_case(social_worker, edd=date(2027, 7, 30))  # 16+0 on 12 February 2027
    client.force_login(social_worker)
    client.post(reverse("referral_change", args=[case.id]), form_data(case, complex="no"))

    page = client.get(reverse("case_detail", args=[case.id])).content.decode()

    assert milestone(case, "referral").state == MilestoneState.DONE
    assert "No, referred on time" in page
    assert "and the case is not complex: it stays with the Duty and Assessment Team" in page


def test_a_midwife_cannot_record_the_referral(client, named_midwife, make_case):
    case = make_case(named_midwife, edd=EDD)
    client.force_login(named_midwife)
    url = reverse("referral_change", args=[case.id])

    assert client.get(url).status_code == 403
    assert client.post(url, form_data(case)).status_code == 403

    case.refresh_from_db()
    assert case.referral_date is None and not Referral.objects.exists()
    assert (
        "Record the referral"
        not in client.get(reverse("case_detail", args=[case.id])).content.decode()
    )
    with pytest.raises(PermissionDenied):
        referral_record(
            actor=named_midwife, context=None, case=case, received_on=TODAY,
            referrer_name="A", referrer_agency="gp", risk_factors=[], complex=False,
        )  # fmt: skip


def test_a_guest_cannot_record_the_referral(client, guest, social_worker, make_case):
    case = make_case(social_worker, edd=EDD)
    client.force_login(guest)

    url = reverse("referral_change", args=[case.id])
    assert client.post(url, form_data(case)).status_code == 403
    assert not Referral.objects.exists()


def test_someone_who_cannot_see_the_case_gets_404(client, outsider, social_worker, make_case):
    case = make_case(social_worker, edd=EDD)
    client.force_login(outsider)

    url = reverse("referral_change", args=[case.id])
    assert client.get(url).status_code == 404
    assert client.post(url, form_data(case)).status_code == 404
    assert not Referral.objects.exists()


def test_bad_input_is_refused_with_the_fields_named_and_what_was_typed_kept(
    client, social_worker, make_case
):
    case = make_case(social_worker, edd=EDD)
    client.force_login(social_worker)

    response = client.post(
        reverse("referral_change", args=[case.id]),
        form_data(case, referrer_name="", referrer_agency="", received_on_day="16",
                  high_risk_notes="Kept when refused"),
    )  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the name of the person who made the referral" in page
    assert "Select the agency that made the referral" in page
    assert "The date of referral must be today or in the past" in page
    assert "Kept when refused" in page
    assert 'value="domestic_abuse" checked' in page
    case.refresh_from_db()
    assert case.referral_date is None and not Referral.objects.exists()


def test_saving_the_referral_unchanged_changes_nothing(client, social_worker, make_case):
    case = make_case(social_worker, edd=EDD)
    client.force_login(social_worker)
    url = reverse("referral_change", args=[case.id])
    client.post(url, form_data(case))
    case.refresh_from_db()
    events = AuditEvent.objects.exclude(event_type=AuditEventType.CASE_VIEWED).count()
    version = case.version

    response = client.post(url, {**form_data(case), "version": str(version)})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.version == version
    assert Referral.objects.get().updated_at is None
    assert AuditEvent.objects.exclude(event_type=AuditEventType.CASE_VIEWED).count() == events


def test_changing_the_referral_is_audited_with_what_changed(client, social_worker, make_case):
    case = make_case(social_worker, edd=EDD)
    client.force_login(social_worker)
    url = reverse("referral_change", args=[case.id])
    client.post(url, form_data(case))

    client.post(url, form_data(case, referrer_agency="gp", underlying_risk_factors=[]))

    first, second = AuditEvent.objects.filter(event_type=AuditEventType.REFERRAL_RECORDED).order_by(
        "at", "id"
    )
    assert first.case_id == case.id and first.actor == social_worker
    assert first.extra_data["summary"] == (
        "Referral of 12 February 2027 recorded: from Alys Penhallow (Midwifery),"
        " 2 high risk indicators and 1 underlying risk factor, complex"
    )
    assert first.extra_data["record"] == "referrals.referral"
    assert first.extra_data["record_id"] == str(case.referral_record.pk)
    assert first.extra_data["on"] == "2027-02-12"
    assert second.extra_data["changes"] == {
        "referrer_agency": {"before": "midwifery", "after": "gp"},
        "risk_factors": {
            "before": ["Domestic abuse", "Previous children removed or cared for by others",
                       "Unsuitable or unstable accommodation"],
            "after": ["Domestic abuse", "Previous children removed or cared for by others"],
        },
    }  # fmt: skip
    assert second.extra_data["summary"].startswith("Referral of 12 February 2027 changed")
    # The facts were audited by the case's own service.
    assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.FACTS_CHANGED).exists()


def test_a_retired_risk_factor_stays_on_the_referral_that_has_it(client, social_worker, make_case):
    case = make_case(social_worker, edd=EDD)
    client.force_login(social_worker)
    url = reverse("referral_change", args=[case.id])
    client.post(url, form_data(case))
    RiskFactor.objects.filter(code="domestic_abuse").update(active=False)

    page = client.get(url).content.decode()
    response = client.post(url, form_data(case))

    assert 'value="domestic_abuse" checked' in page
    assert response.status_code == 302
    assert case.referral_record.risk_factors.filter(code="domestic_abuse").exists()
    fresh = make_case(social_worker, edd=EDD, family_name="Other")
    assert (
        'value="domestic_abuse"'
        not in client.get(reverse("referral_change", args=[fresh.id])).content.decode()
    )
