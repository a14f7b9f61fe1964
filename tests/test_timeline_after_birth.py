"""The case timeline after the birth leads with the baby's date of birth and age; the
expected due date is still there, after the case's facts. Before the birth it leads with
the gestation and the EDD."""

import re
from datetime import date, datetime

import time_machine
from django.urls import reverse

from cases import services as case_services
from tests.postnatal_cases import *  # noqa: F403 – the fixtures
from tests.postnatal_cases import LONDON, _frozen  # noqa: F401 – today is 9 June 2027


def facts(client, case) -> list[tuple[str, str]]:
    """The timeline's summary of the case, (key, value) in the order shown."""
    page = client.get(reverse("case_timeline", args=[case.id])).content.decode()
    block = page.split('app-timeline-facts">', 1)[1].split("</dl>", 1)[0]
    rows = re.findall(
        r'summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">(.*?)</dd>',
        block,
        re.DOTALL,
    )
    return [(key.strip(), re.sub(r"<[^>]+>", "", value).strip()) for key, value in rows]


def test_before_the_birth_the_timeline_leads_with_gestation_and_edd(client, unborn, social_worker):
    client.force_login(social_worker)
    keys = [key for key, _ in facts(client, unborn)]
    assert keys[:2] == ["Gestation today", "Expected due date"]
    assert "Date of birth" not in keys


def test_after_the_birth_it_leads_with_the_date_of_birth_and_age(client, born, social_worker):
    client.force_login(social_worker)
    rows = facts(client, born)
    assert rows[0] == ("Date of birth", "8 June 2027 (1 day old)")
    keys = [key for key, _ in rows]
    assert "Gestation today" not in keys
    assert dict(rows)["Expected due date"] == "10 June 2027"
    assert keys.index("Expected due date") > keys.index("Team")


def test_the_age_moves_on_with_the_days(client, born, social_worker):
    with time_machine.travel(datetime(2027, 7, 20, 11, tzinfo=LONDON), tick=False):
        client.force_login(social_worker)  # a session of its own day
        assert facts(client, born)[0] == ("Date of birth", "8 June 2027 (6 weeks old)")


def test_after_the_babys_death_the_date_of_birth_leads_without_an_age(client, born, social_worker):
    case_services.baby_death_record(
        actor=social_worker,
        context=None,
        case=born,
        baby=born.babies.get(),
        died_on=date(2027, 6, 9),
    )
    client.force_login(social_worker)
    assert facts(client, born)[0] == ("Date of birth", "8 June 2027")
