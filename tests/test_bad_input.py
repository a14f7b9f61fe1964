"""Bad input gets a clear answer and loses nothing: the causes the hostile probe found.

Each runs on SQLite and PostgreSQL (CI runs the suite on both); PostgreSQL is the one
that refuses NUL in text and in JSON, so these are the tests that would fail there.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from audit.services import AuditContext, audit_record
from cases.models import Case
from rules.text import clean_text
from tests.conftest import PASSWORD
from tests.milestone_ticks import REFUSED
from timeline import services
from timeline.models import MilestoneEvent

LONDON = ZoneInfo("Europe/London")
HOSTILE_AGENT = "Mozilla/5.0\x00 (probe)\x1b[31m"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def case(make_case, social_worker):
    return make_case(social_worker, edd=date(2027, 6, 10), named_social_worker=social_worker)


def test_a_user_agent_with_nul_is_stored_without_it_on_every_audited_page(
    client, social_worker, case
):
    client.force_login(social_worker)

    for url in (reverse("case_list"), reverse("case_detail", args=[case.id]),
                reverse("case_timeline", args=[case.id]), reverse("my_work")):  # fmt: skip
        assert client.get(url, HTTP_USER_AGENT=HOSTILE_AGENT).status_code == 200

    agents = set(AuditEvent.objects.exclude(path="").values_list("user_agent", flat=True))
    assert agents == {"Mozilla/5.0 (probe)[31m"}


@pytest.mark.parametrize("page", ["case_list", "locality", "team", "my_work"])
@pytest.mark.parametrize("value", ["\x00", "a\x00b", "\x1b[2J", "\ud7ff\x85"])
def test_nul_and_control_characters_in_any_list_filter_are_shown_a_page_and_audited_clean(
    client, team_manager, case, page, value
):
    client.force_login(team_manager)
    names = ("q", "locality", "named", "worker", "csc_input", "sort", "page", "show", "zz")
    query = dict.fromkeys(names, value)

    response = client.get(reverse(page), query)

    assert response.status_code == 200
    # The Team page records each of its lists (referrals waiting, late ones, the team's cases).
    rows = AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_VIEWED)
    assert rows.exists()
    for row in rows:
        for text in _strings(row.extra_data):
            assert clean_text(text) == text, text


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("value", ["\x00", "1\x00", "9" * 40, "-1", "1e9", "😀"])
def test_a_hostile_choice_of_locality_or_person_is_an_invalid_choice_not_a_query(
    client, social_worker, case, value
):
    client.force_login(social_worker)

    for name in ("locality", "named"):
        page = client.get(reverse("case_list"), {name: value})
        assert page.status_code == 200
        assert name in page.context["form"].errors


def test_the_path_and_extra_data_of_an_audit_row_lose_their_control_characters(social_worker):
    context = AuditContext(
        ip_address="192.0.2.1", user_agent="agent\x00", path="/cases/\x00?q=\x07"
    )

    event = audit_record(
        actor=social_worker,
        event_type=AuditEventType.CASE_LIST_VIEWED,
        context=context,
        extra_data={"filters": {"q\x00": ["a\x00", {"b": "line\none\x00"}]}, "n": 3},
    )

    event.refresh_from_db()
    assert (event.path, event.user_agent) == ("/cases/?q=", "agent")
    assert event.extra_data == {"filters": {"q": ["a", {"b": "line\none"}]}, "n": 3}


@pytest.mark.parametrize(
    "username", ["x" * 151, "x" * 300, "priya\x00", "\x00", "pri\x1bya", "p" * 5000]
)
def test_signing_in_as_an_impossible_username_is_a_wrong_sign_in(client, social_worker, username):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})

    assert response.status_code == 200
    assert "Enter a correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_password_with_nul_is_a_wrong_sign_in(client, social_worker):
    response = client.post(reverse("login"), {"username": "priya", "password": "a\x00b"})

    assert "Enter a correct username and password" in response.content.decode()


def test_the_lockout_still_counts_wrong_passwords_sent_with_a_hostile_user_agent(
    client, social_worker
):
    for _ in range(3):
        client.post(reverse("login"), {"username": "x" * 300, "password": "guess"})
    for _ in range(5):
        client.post(reverse("login"), {"username": "priya", "password": "guess"},
                    HTTP_USER_AGENT=HOSTILE_AGENT)  # fmt: skip

    response = client.post(reverse("login"), {"username": "priya", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_typed_text_is_stored_without_nul_and_a_box_of_lines_keeps_its_lines(
    client, social_worker, case
):
    client.force_login(social_worker)

    response = client.post(
        reverse("partner_add", args=[case.id]),
        {"relationship": "father", "given_name": "Da\x00n\x1b", "family_name": "Ash\x00",
         "address": "1 Street\r\nFrome\x00"},
    )  # fmt: skip

    assert response.status_code == 302
    person = case.partners.get().person
    assert (person.given_name, person.family_name) == ("Dan", "Ash")
    assert person.address in {"1 Street\r\nFrome", "1 Street\nFrome"}


@pytest.fixture
def referred(case, social_worker):
    from cases import services as case_services

    case_services.case_facts_update(
        actor=social_worker, context=None, case=case,
        referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21), complex=True,
    )  # fmt: skip
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def born(make_case, social_worker, named_midwife):
    """Born on 12 February 2027: its end of tracking is the one milestone here that no
    recorded work does, so the only one still ticked done by hand."""
    from cases import services as case_services

    case = make_case(social_worker, edd=date(2027, 2, 20), named_social_worker=social_worker,
                     named_midwife=named_midwife)  # fmt: skip
    case_services.outcome_record(
        actor=named_midwife, context=None, case=case, outcome="live_birth",
        outcome_date=date(2027, 2, 12),
        babies=[case_services.BabyDetails(born_at=datetime(2027, 2, 12, 4, tzinfo=LONDON),
                                          sex="female")],
    )  # fmt: skip
    return Case.objects.get(pk=case.pk)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (("1", "1", "1900"), "must be on or after 15 February 2026"),
        (("14", "2", "2026"), "must be on or after 15 February 2026"),
        (("16", "2", "2027"), "The date it was done must be today or in the past"),
        (("1", "1", "1899"), "Date it was done must be between 1900 and 2099"),
        (("1", "1", "0002"), "Date it was done must be between 1900 and 2099"),
        (("9" * 40, "1", "2027"), "Date it was done must be a real date"),
    ],
)
def test_an_implausible_done_date_is_refused_against_the_date_with_what_was_typed_kept(
    client, named_midwife, born, typed, message
):
    client.force_login(named_midwife)
    day, month, year = typed

    response = client.post(
        reverse("milestone_record", args=[born.id, "tracking_end"]),
        {"action": "done", "done_date_day": day, "done_date_month": month,
         "done_date_year": year},
    )  # fmt: skip

    assert response.status_code == 200
    assert message in response.content.decode()
    assert 'href="#id_done_date_' in response.content.decode()
    assert f'value="{year}"' in response.content.decode()
    assert not MilestoneEvent.objects.filter(case=born).exists()


def test_the_done_date_rule_protects_any_caller_of_the_service(named_midwife, born):
    with pytest.raises(ValidationError) as error:
        services.milestone_record_done(
            actor=named_midwife, context=None, case=born, milestone_id="tracking_end",
            done_date=date(1900, 1, 1),
        )  # fmt: skip

    assert "no more than a year before the case was registered" in str(error.value)
    assert not MilestoneEvent.objects.filter(case=born).exists()


def test_a_done_date_a_year_before_registration_is_accepted(named_midwife, born):
    registered = born.created_at.astimezone(LONDON).date()
    services.milestone_record_done(
        actor=named_midwife, context=None, case=born, milestone_id="tracking_end",
        done_date=registered - timedelta(days=365),
    )  # fmt: skip

    assert MilestoneEvent.objects.filter(case=born, milestone_id="tracking_end").exists()


def test_a_milestone_done_by_its_work_is_refused_before_its_date_is_looked_at(
    client, social_worker, referred
):
    # Whatever was typed, the genogram is done by uploading it: told so, nothing stored.
    client.force_login(social_worker)
    url = reverse("milestone_record", args=[referred.id, "genogram"])

    for year in ("1900", "9" * 40):
        response = client.post(
            url, {"action": "done", "done_date_day": "1", "done_date_month": "1",
                  "done_date_year": year}, follow=True,
        )  # fmt: skip

        assert response.redirect_chain == [(url, 302)]
        page = response.content.decode()
        assert REFUSED in page
        assert "before the case was registered" not in page
        assert "must be a real date" not in page
        assert "govuk-error-summary" not in page  # no field to point at: no tick form
    assert not MilestoneEvent.objects.filter(case=referred).exists()
