"""The baby's sex is optional on the birth outcome page, as it is to the service and the
model: a live birth saves without it (shown as not recorded), "Not known or
indeterminate" is there to choose, and the pages saved as shown change nothing."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services as case_services
from cases.models import Baby
from tests.formcrawl import forms_on
from tests.test_unchanged_save import changes, stored

LONDON = ZoneInfo("Europe/London")
BIRTH = {"outcome": "live_birth", "outcome_date_day": "20", "outcome_date_month": "11",
         "outcome_date_year": "2026", "baby_1_time": "04:10"}  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 11, 23, 10, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def unborn(named_midwife, make_case):
    return make_case(named_midwife, edd=date(2026, 12, 1))


def test_the_page_says_the_sex_is_optional_and_offers_not_known(client, unborn, named_midwife):
    client.force_login(named_midwife)
    page = client.get(reverse("outcome_record", args=[unborn.id])).content.decode()
    assert "Baby&#x27;s sex (optional)" in page
    assert 'value="not_known"' in page and "Not known or indeterminate" in page


def test_a_live_birth_saves_without_the_babys_sex(client, unborn, named_midwife):
    client.force_login(named_midwife)

    response = client.post(reverse("outcome_record", args=[unborn.id]), BIRTH)

    assert response.status_code == 302
    baby = Baby.objects.get(case=unborn)
    assert (baby.sex, baby.born_at.hour, baby.born_at.minute) == ("", 4, 10)
    page = client.get(reverse("case_detail", args=[unborn.id])).content.decode()
    sex_row = page.split('summary-list__key">Sex</dt>', 1)[1].split("</dd>", 1)[0]
    assert "Not recorded" in sex_row


def test_not_known_is_kept_when_chosen(client, unborn, named_midwife):
    client.force_login(named_midwife)
    client.post(reverse("outcome_record", args=[unborn.id]), {**BIRTH, "baby_1_sex": "not_known"})
    assert Baby.objects.get(case=unborn).sex == "not_known"


def test_the_service_refuses_a_sex_not_on_the_list(unborn, named_midwife):
    with pytest.raises(ValidationError):
        case_services.outcome_record(
            actor=named_midwife, context=None, case=unborn, outcome="live_birth",
            outcome_date=date(2026, 11, 20),
            babies=[case_services.BabyDetails(born_at=datetime(2026, 11, 20, 4, tzinfo=LONDON),
                                              sex="unknown")],
        )  # fmt: skip
    assert not Baby.objects.exists()


def test_the_outcome_page_saved_as_shown_changes_nothing(client, unborn, named_midwife):
    client.force_login(named_midwife)
    url = reverse("outcome_record", args=[unborn.id])
    (form,) = [
        f for f in forms_on(client.get(url).content.decode()) if f.method == "post" and not f.action
    ]
    before = stored()

    response = client.post(url, form.data())

    assert response.status_code == 200
    assert "Choose how the pregnancy ended" in response.content.decode()
    assert changes(before, stored()) == []


def test_the_facts_page_of_a_baby_without_a_recorded_sex_saved_as_shown_changes_nothing(
    client, unborn, named_midwife
):
    client.force_login(named_midwife)
    client.post(reverse("outcome_record", args=[unborn.id]), BIRTH)
    url = reverse("case_facts_change", args=[unborn.id])
    (form,) = [
        f for f in forms_on(client.get(url).content.decode()) if f.method == "post" and not f.action
    ]
    before = stored()

    response = client.post(url, form.data())

    assert response.status_code == 302
    assert changes(before, stored()) == []
    assert Baby.objects.get(case=unborn).sex == ""
