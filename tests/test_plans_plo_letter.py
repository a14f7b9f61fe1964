"""The PLO letter pack: sent only with all four enclosures ticked."""

from datetime import timedelta

import time_machine
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from plans.models import PloLetter
from tests import plans_fixtures
from tests.plans_fixtures import TODAY, date_fields, milestone

assessed_case = plans_fixtures.assessed_case  # the fixture

SENT = TODAY - timedelta(days=2)
ALL = ["letter_of_concern", "solicitors_list", "leaflet", "fgdm_offer"]


@time_machine.travel(TODAY, tick=False)
def test_a_letter_with_an_enclosure_missing_is_not_sent(client, social_worker, assessed_case):
    case = assessed_case(csc_input="pre_proceedings")
    client.force_login(social_worker)
    url = reverse("plans_plo_letter", args=[case.id])

    response = client.post(url, {**date_fields("sent_on", SENT), "enclosed": ALL[:3]})

    assert response.status_code == 302
    assert milestone(case, "plo_letter").done_date is None
    letter = PloLetter.objects.get(case=case)
    assert letter.sent_on == SENT and not letter.fgdm_offer
    page = client.get(url).content.decode()
    assert "not recorded as sent until all four enclosures are ticked" in page
    assert "the offer of a family group decision-making meeting" in page
    row = AuditEvent.objects.get(case=case, event_type=AuditEventType.WORK_RECORDED)
    assert row.extra_data["missing"] == ["fgdm_offer"] and row.extra_data["sent"] is False


@time_machine.travel(TODAY, tick=False)
def test_ticking_the_last_enclosure_sends_it_and_unticking_undoes_it(
    client, social_worker, assessed_case
):
    case = assessed_case(csc_input="pre_proceedings")
    client.force_login(social_worker)
    url = reverse("plans_plo_letter", args=[case.id])
    client.post(url, {**date_fields("sent_on", SENT), "enclosed": ALL[:3]})

    client.post(url, {**date_fields("sent_on", SENT), "enclosed": ALL, "version": "1"})
    assert milestone(case, "plo_letter").done_date == SENT

    client.post(url, {**date_fields("sent_on", SENT), "enclosed": ALL[1:], "version": "2"})
    assert milestone(case, "plo_letter").done_date is None


@time_machine.travel(TODAY, tick=False)
def test_an_empty_form_on_a_case_with_no_pack_stores_nothing(client, social_worker, assessed_case):
    case = assessed_case(csc_input="pre_proceedings")
    client.force_login(social_worker)

    response = client.post(reverse("plans_plo_letter", args=[case.id]), {})

    assert response.status_code == 302 and not PloLetter.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_date_in_the_future_is_refused_with_the_ticks_kept(client, social_worker, assessed_case):
    case = assessed_case(csc_input="pre_proceedings")
    client.force_login(social_worker)

    response = client.post(
        reverse("plans_plo_letter", args=[case.id]),
        {**date_fields("sent_on", TODAY + timedelta(days=3)), "enclosed": ALL[:2]},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "The date the letter was sent must be today or in the past" in page
    assert page.count("checked") == 2
    assert not PloLetter.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_a_change_is_a_new_version_by_whoever_made_it_and_no_change_is_nothing(
    client, social_worker, team_manager, assessed_case
):
    case = assessed_case(csc_input="pre_proceedings")
    url = reverse("plans_plo_letter", args=[case.id])
    client.force_login(social_worker)
    client.post(url, {**date_fields("sent_on", SENT), "enclosed": ALL[:3]})
    client.force_login(team_manager)

    client.post(url, {**date_fields("sent_on", SENT), "enclosed": ALL, "version": "1"})
    client.post(url, {**date_fields("sent_on", SENT), "enclosed": ALL, "version": "2"})

    letter = PloLetter.objects.get(case=case)
    assert letter.version == 2 and letter.changed_by == team_manager
    changed = AuditEvent.objects.filter(case=case, event_type=AuditEventType.WORK_CHANGED)
    assert changed.count() == 1
    assert changed.get().extra_data["changes"] == {"fgdm_offer": {"before": False, "after": True}}
