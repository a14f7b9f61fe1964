"""Ruth, the data protection officer: she finds a family's case in any locality, sees
everyone who viewed, changed, exported, downloaded or listed it (and nobody else's
rows), filters and pages through it, downloads it as CSV and PDF, and downloads
everything held about the family; every one of those reads is audited. Nobody else
reaches her pages, and she reaches no other page of case data."""

import csv
import io
import json
import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from faker import Faker
from pypdf import PdfReader

from accounts.models import RoleCode
from audit import appearances
from audit.models import AuditCaseAppearance, AuditEvent, AuditEventType, AuditImmutableError
from audit.services import AuditContext, audit_record
from cases import services as case_services
from cases.management.commands.seed_demo import _seed_case
from cases.models import Case
from dataprotection.selectors import ENTRIES_PER_PAGE
from documents import services as document_services
from rules.dates import format_datetime
from rules.nhs_number import format_nhs_number
from tests.document_fixtures import PDF
from tests.meeting_fixtures import finalised_meeting
from visits import services as visit_services

E = AuditEventType
ALL_LOCALITIES = ("mendip", "sedgemoor", "south-somerset", "taunton-and-west-somerset")
FROM_THE_OFFICE = AuditContext(ip_address="10.1.2.3", user_agent="Firefox", path="/cases/")


@pytest.fixture
def ruth(make_user):
    return make_user("ruth", RoleCode.DATA_PROTECTION_OFFICER, localities=ALL_LOCALITIES)


@pytest.fixture
def kerry(make_case, social_worker):
    return make_case(social_worker, given_name="Kerry", family_name="Ashdown")


@pytest.fixture
def lena(make_case, social_worker):
    return make_case(social_worker, given_name="Lena", family_name="Brook")


def access_log(client, case, **query):
    response = client.get(reverse("dpo_access_log", args=[case.id]), query)
    assert response.status_code == 200
    return response


def entries(response):
    return list(response.context["page_obj"].object_list)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# Finding every access to one family's case.


def test_ruth_finds_a_view_a_change_a_list_an_export_and_a_download_of_one_familys_case(
    client, ruth, social_worker, kerry, lena
):
    document = document_services.document_upload(
        actor=social_worker, context=None, case=kerry, kind="letter", title="Letter to Kerry",
        file_name="letter.pdf", content=PDF,
    )  # fmt: skip
    client.force_login(social_worker)
    assert client.get(reverse("case_detail", args=[kerry.id])).status_code == 200
    assert client.get(reverse("case_detail", args=[lena.id])).status_code == 200
    assert client.get(reverse("case_list")).status_code == 200
    assert client.get(reverse("case_history_pdf", args=[kerry.id])).status_code == 200
    download = client.get(reverse("document_download", args=[kerry.id, document.id]))
    assert download.status_code == 200

    client.force_login(ruth)
    log = entries(access_log(client, kerry))

    whats = [entry.what for entry in log]
    assert whats.count("Viewed the case") == 1  # Kerry's, not Lena's
    assert "Registered the case" in whats
    assert "Uploaded a document" in whats
    assert "Downloaded the case's history" in whats
    assert "Downloaded a document" in whats
    (listed,) = [entry for entry in log if entry.what == "Searched or listed cases"]
    assert listed.page == "Cases"
    assert listed.name == "Priya Tester" and listed.username == "priya"
    assert listed.role == "Social worker, Children's Social Care"
    viewed = next(entry for entry in log if entry.what == "Viewed the case")
    assert viewed.ip_address == "127.0.0.1"
    assert viewed.role == "Social worker, Children's Social Care"
    # Newest first.
    assert [entry.at for entry in log] == sorted((entry.at for entry in log), reverse=True)
    # Lena's own rows are not in Kerry's log.
    assert not AuditEvent.objects.filter(case=lena, pk__in=[entry.id for entry in log]).exists()


def test_the_page_says_who_when_from_where_and_what(client, ruth, social_worker, kerry):
    audit_record(actor=social_worker, event_type=E.CASE_VIEWED, case=kerry,
                 context=FROM_THE_OFFICE)  # fmt: skip
    client.force_login(ruth)

    page = access_log(client, kerry).content.decode()

    viewed = AuditEvent.objects.filter(case=kerry, event_type=E.CASE_VIEWED).get()
    assert format_datetime(viewed.at) in page
    assert "Priya Tester" in page and "(priya)" in page
    assert "10.1.2.3" in page
    assert "Viewed the case" in page


def test_a_meeting_that_showed_the_family_and_the_pdf_of_its_pack_are_in_the_log(client, ruth):
    built = finalised_meeting(families=2)
    client.force_login(built.chair)
    assert client.get(reverse("meeting_detail", args=[built.meeting.id])).status_code == 200
    assert client.get(reverse("meeting_record_pdf", args=[built.meeting.id])).status_code == 200
    client.force_login(ruth)

    for case in built.cases:
        whats = [e.what for e in entries(access_log(client, case))]
        assert "Viewed a tracking meeting and its families" in whats
        assert "Exported a meeting record or case note" in whats


# Searching.


def test_ruth_finds_a_case_by_name_nhs_number_with_spaces_or_reference_in_any_locality(
    client, ruth, make_case, make_user, kerry
):
    sedgemoor_worker = make_user("olly", RoleCode.SOCIAL_WORKER, localities=("sedgemoor",))
    elsewhere = make_case(sedgemoor_worker, locality_slug="sedgemoor", given_name="Kerry",
                          family_name="Ashby")  # fmt: skip
    client.force_login(ruth)
    search = reverse("dpo_search")

    by_name = client.get(search, {"mother_name": "kerry"}).context["cases"]
    number = kerry.mother.nhs_number
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    by_number = client.get(search, {"nhs_number": spaced}).context["cases"]
    by_reference = client.get(search, {"reference": kerry.reference.lower()}).context["cases"]

    assert {case.pk for case in by_name} == {kerry.pk, elsewhere.pk}
    assert [case.pk for case in by_number] == [kerry.pk]
    assert [case.pk for case in by_reference] == [kerry.pk]
    searched = AuditEvent.objects.filter(event_type=E.DPO_SEARCHED, actor=ruth).first()
    assert searched.extra_data["case_ids"] == [str(kerry.pk)]  # the newest: by reference
    # Each search is in the found case's own access log.
    assert "Searched for a family's case (data protection)" in [
        entry.what for entry in entries(access_log(client, kerry))
    ]


@pytest.mark.parametrize(
    ("query", "message", "shown"),
    [
        ({"mother_name": "", "nhs_number": "", "reference": ""},
         "Enter the mother's name, an NHS number or a case reference", None),
        ({"nhs_number": "999 123 456"}, "NHS number must be 10 digits", "999 123 456"),
        ({"nhs_number": "999 123 456x"}, "NHS number must be 10 digits", "999 123 456x"),
    ],
)  # fmt: skip
def test_a_bad_search_is_explained_in_the_error_summary_with_what_was_typed_kept(
    client, ruth, query, message, shown
):
    client.force_login(ruth)

    response = client.get(reverse("dpo_search"), query)

    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert message.replace("'", "&#x27;") in page
    if shown:
        assert f'value="{shown}"' in page
    assert response.context["cases"] is None
    assert not AuditEvent.objects.filter(event_type=E.DPO_SEARCHED).exists()


def test_a_restricted_case_is_found_and_shown_as_restricted(
    client, ruth, team_manager, social_worker, kerry
):
    case_services.case_restrict(
        actor=team_manager, context=None, case=kerry, users=[social_worker],
        reason="A member of staff's family",
    )  # fmt: skip
    client.force_login(ruth)

    response = client.get(reverse("dpo_search"), {"mother_name": "Kerry Ashdown"})

    (found,) = response.context["cases"]
    assert found.pk == kerry.pk and found.is_restricted
    assert "Restricted" in response.content.decode()
    log = access_log(client, kerry)
    assert "Restricted" in log.content.decode()
    restrictions = client.get(reverse("dpo_restrictions"))
    assert kerry.reference in restrictions.content.decode()
    assert "Kerry" not in restrictions.content.decode()  # that it exists, not what it hides
    assert AuditEvent.objects.filter(
        event_type=E.RESTRICTIONS_VIEWED, actor=ruth, extra_data__case_ids=[str(kerry.pk)]
    ).exists()


def test_an_anonymised_case_is_found_by_its_reference(client, ruth, kerry):
    Case.objects.filter(pk=kerry.pk).update(anonymised_at=datetime(2027, 1, 1, tzinfo=UTC))
    client.force_login(ruth)

    response = client.get(reverse("dpo_search"), {"reference": kerry.reference})

    assert [case.pk for case in response.context["cases"]] == [kerry.pk]
    assert "Anonymised" in response.content.decode()


# Filters and pages.


def test_the_log_filters_by_dates_and_by_person(client, ruth, social_worker, team_manager, kerry):
    for day, who in [(3, social_worker), (10, team_manager), (20, social_worker)]:
        with time_machine.travel(datetime(2027, 3, day, 12, tzinfo=UTC), tick=False):
            audit_record(actor=who, event_type=E.CASE_VIEWED, case=kerry)
    client.force_login(ruth)

    march = {"since_day": "1", "since_month": "3", "since_year": "2027",
             "until_day": "15", "until_month": "3", "until_year": "2027"}  # fmt: skip
    in_range = entries(access_log(client, kerry, **march))
    by_priya = entries(access_log(client, kerry, person=social_worker.pk))
    both = entries(access_log(client, kerry, person=social_worker.pk, **march))

    assert [(e.at.day, e.username) for e in in_range] == [(10, "mark"), (3, "priya")]
    assert {e.username for e in by_priya} == {"priya"}
    assert len(by_priya) == 3  # two views and the registration
    assert [(e.at.day, e.username) for e in both] == [(3, "priya")]
    people = access_log(client, kerry).context["form"].fields["person"].queryset
    assert set(people) == {social_worker, team_manager, ruth}


def test_a_bad_date_is_shown_as_an_error_with_what_was_typed(client, ruth, kerry):
    client.force_login(ruth)

    response = access_log(client, kerry, since_day="31", since_month="2", since_year="2027")

    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert 'value="31"' in page
    assert response.context["filters"].since is None  # the bad date is left out


def test_the_log_is_paginated(client, ruth, social_worker, kerry):
    for _ in range(ENTRIES_PER_PAGE + 10):
        audit_record(actor=social_worker, event_type=E.CASE_VIEWED, case=kerry)
    client.force_login(ruth)

    first = access_log(client, kerry)
    second = access_log(client, kerry, page=2)

    assert len(entries(first)) == ENTRIES_PER_PAGE
    # The registration and the views; Ruth's own look is written after the page is read,
    # so the second page has her first look too.
    assert first.context["page_obj"].paginator.count == 1 + ENTRIES_PER_PAGE + 10
    assert len(entries(second)) == 12
    assert "govuk-pagination" in first.content.decode()
    assert entries(second)[-1].what == "Registered the case"  # the oldest, last


def _queries_for_a_page(client, case) -> tuple[int, int]:
    """How many queries a page of the log takes, and how long the log was."""
    with CaptureQueriesContext(connection) as queries:
        response = access_log(client, case)
    return len(queries), response.context["page_obj"].paginator.count


def test_a_page_of_the_log_takes_the_same_queries_however_long_the_log(
    client, ruth, make_user, kerry, lena
):
    client.force_login(ruth)
    people = [make_user(f"worker{n}", RoleCode.SOCIAL_WORKER) for n in range(6)]
    for who in people[:2]:
        audit_record(actor=who, event_type=E.CASE_VIEWED, case=kerry)
        audit_record(actor=who, event_type=E.CASE_LIST_VIEWED,
                     extra_data={"page": "team", "case_ids": [str(kerry.pk)]})  # fmt: skip
    access_log(client, kerry)  # the session and the user are warm
    short, short_log = _queries_for_a_page(client, kerry)

    for n in range(150):
        who = people[n % len(people)]
        audit_record(actor=who, event_type=E.CASE_VIEWED, case=kerry)
        audit_record(
            actor=who, event_type=E.CASE_LIST_VIEWED,
            extra_data={"page": "team", "case_ids": [str(kerry.pk), str(lena.pk)]},
        )  # fmt: skip
    long, long_log = _queries_for_a_page(client, kerry)

    print(f"queries for a page of the access log: {short} ({short_log} rows), {long} ({long_log})")
    assert long == short
    assert long <= 20


# Downloads.


def test_the_csv_has_every_row_the_filters_choose_made_safe_for_a_spreadsheet(
    client, ruth, make_user, kerry
):
    mischief = make_user("mallory", RoleCode.SOCIAL_WORKER)
    mischief.first_name = '=HYPERLINK("http://example.com","Click")'
    mischief.save()
    for _ in range(ENTRIES_PER_PAGE + 5):
        audit_record(actor=mischief, event_type=E.CASE_VIEWED, case=kerry)
    client.force_login(ruth)

    response = client.get(reverse("dpo_access_log_csv", args=[kerry.id]),
                          {"person": mischief.pk})  # fmt: skip

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"access-log-{kerry.reference}.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:5] == ["When", "Name", "Username", "Role and agency", "What"]
    assert len(rows) == 1 + ENTRIES_PER_PAGE + 5  # every page, not the first only
    assert all(row[1].startswith("'=HYPERLINK") for row in rows[1:])
    assert {row[2] for row in rows[1:]} == {"mallory"}
    assert {row[4] for row in rows[1:]} == {"Viewed the case"}
    exported = AuditEvent.objects.get(event_type=E.ACCESS_LOG_EXPORTED)
    assert exported.case_id == kerry.pk and exported.actor == ruth
    assert exported.extra_data["format"] == "csv"
    assert exported.extra_data["filters"]["person"] == mischief.pk
    assert exported.extra_data["rows"] == ENTRIES_PER_PAGE + 5


def test_the_pdf_names_the_family_and_who_looked(client, ruth, social_worker, kerry):
    audit_record(actor=social_worker, event_type=E.CASE_VIEWED, case=kerry)
    client.force_login(ruth)

    response = client.get(reverse("dpo_access_log_pdf", args=[kerry.id]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Kerry Ashdown" in text
    assert "Priya Tester" in text and "Viewed the case" in text
    assert AuditEvent.objects.filter(
        event_type=E.ACCESS_LOG_EXPORTED, case=kerry, actor=ruth, extra_data__format="pdf"
    ).exists()


def test_subject_access_has_the_facts_notes_visits_meetings_and_documents(client, ruth):
    built = finalised_meeting(families=1)
    case = built.cases[0]
    visit_services.case_note_add(
        actor=built.social_worker, context=None, case=case, kind="case_note",
        text="Spoke to mum about the birth plan",
    )  # fmt: skip
    document_services.document_upload(
        actor=built.social_worker, context=None, case=case, kind="letter",
        title="Letter to the family", file_name="letter.pdf", content=PDF,
    )  # fmt: skip
    client.force_login(ruth)

    response = client.get(reverse("dpo_subject_access_json", args=[case.id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(response.content)
    assert data["case"]["reference"] == case.reference
    assert data["mother"]["family_name"] == case.mother.family_name
    assert data["mother"]["nhs_number"] == case.mother.nhs_number
    assert [n["text"] for n in data["case_notes"]] == ["Spoke to mum about the birth plan"]
    (recorded,) = [m for m in data["meetings"] if m["current_concerns"]]
    assert recorded["current_concerns"].startswith("Concerns for family 1")
    assert recorded["date"] == built.meeting.date.isoformat()
    assert "CSC action for family 1" in [a["description"] for a in data["meeting_actions"]]
    (document,) = data["documents"]
    assert document["title"] == "Letter to the family" and document["kind"] == "Letter"
    assert "content" not in document
    assert data["milestones"]
    exported = AuditEvent.objects.get(event_type=E.SUBJECT_ACCESS_EXPORTED)
    assert exported.case_id == case.pk and exported.extra_data["format"] == "json"
    assert exported.extra_data["counts"]["case_notes"] == 1


def test_subject_access_as_pdf(client, ruth, kerry):
    client.force_login(ruth)

    response = client.get(reverse("dpo_subject_access_pdf", args=[kerry.id]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Kerry" in text and "Ashdown" in text and kerry.reference in text
    # Field names and values as the service writes them, not as stored.
    assert "Level of CSC input" in text and "Level of csc input" not in text
    assert kerry.mother.nhs_number and format_nhs_number(kerry.mother.nhs_number) in text
    assert AuditEvent.objects.filter(
        event_type=E.SUBJECT_ACCESS_EXPORTED, case=kerry, extra_data__format="pdf"
    ).exists()


def test_every_page_ruth_reads_is_audited_with_the_case(client, ruth, kerry):
    client.force_login(ruth)

    access_log(client, kerry, page=1)

    viewed = AuditEvent.objects.get(event_type=E.ACCESS_LOG_VIEWED)
    assert viewed.case_id == kerry.pk and viewed.actor == ruth
    assert viewed.extra_data["actor_role"] == "Data protection officer, Council systems"


# Who may.

DPO_PAGES = [
    ("dpo_search", False),
    ("dpo_restrictions", False),
    ("dpo_access_log", True),
    ("dpo_access_log_csv", True),
    ("dpo_access_log_pdf", True),
    ("dpo_subject_access_json", True),
    ("dpo_subject_access_pdf", True),
]


@pytest.mark.parametrize(("name", "with_case"), DPO_PAGES)
@pytest.mark.parametrize("persona", ["social_worker", "team_manager", "administrator", "analyst"])
def test_nobody_else_reaches_the_data_protection_pages(
    client, request, kerry, name, with_case, persona
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse(name, args=[kerry.id] if with_case else []))

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(
        event_type__in=[E.ACCESS_LOG_VIEWED, E.ACCESS_LOG_EXPORTED, E.SUBJECT_ACCESS_EXPORTED,
                        E.DPO_SEARCHED, E.RESTRICTIONS_VIEWED]
    ).exists()  # fmt: skip


def test_a_case_that_does_not_exist_is_a_404_for_ruth(client, ruth):
    client.force_login(ruth)

    response = client.get(reverse("dpo_access_log", args=["00000000-0000-0000-0000-000000000000"]))

    assert response.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["case_detail", "case_timeline", "case_history", "case_history_pdf", "case_audit",
     "document_list", "case_details_change"],
)  # fmt: skip
def test_ruth_reaches_no_ordinary_case_page(client, ruth, kerry, name):
    client.force_login(ruth)

    response = client.get(reverse(name, args=[kerry.id]))

    assert response.status_code in (403, 404)


@pytest.mark.parametrize(
    "name", ["case_list", "my_work", "team", "locality", "meeting_list", "action_log"]
)
def test_ruth_sees_no_list_meeting_or_dashboard(client, ruth, kerry, name):
    client.force_login(ruth)

    response = client.get(reverse(name))

    assert response.status_code in (403, 404)
    assert kerry.mother.family_name not in response.content.decode()


def test_ruth_starts_on_her_search_and_the_menu_shows_data_protection(client, ruth):
    client.force_login(ruth)

    home = client.get(reverse("home"))
    search = client.get(reverse("dpo_search"))

    assert home.status_code == 302 and home["Location"] == reverse("dpo_search")
    page = search.content.decode()
    assert 'href="/data-protection/"' in page and "Data protection" in page
    assert 'href="/cases/"' not in page and 'href="/my-work/"' not in page


# The appearances index.


def test_a_list_row_indexes_each_case_it_showed_but_its_own(social_worker, kerry, lena):
    event = audit_record(
        actor=social_worker, event_type=E.CASE_VIEWED, case=kerry,
        extra_data={"case_ids": [str(kerry.pk), str(lena.pk), "not-a-uuid"]},
    )  # fmt: skip

    (appearance,) = AuditCaseAppearance.objects.filter(event=event)
    assert appearance.case_id == lena.pk and appearance.at == event.at


def test_appearances_cannot_be_changed_or_deleted(social_worker, kerry, lena):
    audit_record(actor=social_worker, event_type=E.CASE_LIST_VIEWED,
                 extra_data={"page": "team", "case_ids": [str(kerry.pk)]})  # fmt: skip
    appearance = AuditCaseAppearance.objects.get()

    with pytest.raises(AuditImmutableError):
        appearance.save()
    with pytest.raises(AuditImmutableError):
        AuditCaseAppearance.objects.update(case=lena)
    with pytest.raises(AuditImmutableError):
        AuditCaseAppearance.objects.all().delete()
    for statement in (
        "UPDATE audit_auditcaseappearance SET at = at",
        "DELETE FROM audit_auditcaseappearance",
    ):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditCaseAppearance.objects.count() == 1


def test_the_backfill_indexes_rows_written_before_the_index_and_runs_twice_safely(
    social_worker, kerry, lena
):
    # Rows as they were written before appearances existed: no appearance rows.
    old = [
        AuditEvent.objects.create(actor=social_worker, actor_username="priya",
                                  event_type=E.CASE_LIST_VIEWED,
                                  extra_data={"page": "case_list",
                                              "case_ids": [str(kerry.pk), str(lena.pk)]}),
        AuditEvent.objects.create(actor=social_worker, actor_username="priya",
                                  event_type=E.MEETING_EXPORTED, case=kerry,
                                  extra_data={"case_ids": [str(kerry.pk),
                                                           "6f1c0f4e-0000-4000-8000-000000000000"]}),
    ]  # fmt: skip
    assert not AuditCaseAppearance.objects.exists()

    def run():
        return appearances.backfill(
            event_model=AuditEvent, appearance_model=AuditCaseAppearance, case_model=Case
        )

    assert run() == 2
    assert run() == 0
    assert set(AuditCaseAppearance.objects.values_list("event_id", "case_id")) == {
        (old[0].pk, kerry.pk),
        (old[0].pk, lena.pk),
    }  # the second row's own case is its `case`; the other id is no case
    assert {a.at for a in AuditCaseAppearance.objects.all()} == {old[0].at}


def test_the_access_log_reads_backfilled_rows_too(client, ruth, social_worker, kerry):
    AuditEvent.objects.create(
        actor=social_worker, actor_username="priya", event_type=E.CASE_LIST_VIEWED,
        extra_data={"page": "locality", "case_ids": [str(kerry.pk)]},
    )  # fmt: skip
    appearances.backfill(
        event_model=AuditEvent, appearance_model=AuditCaseAppearance, case_model=Case
    )
    client.force_login(ruth)

    listed = [e for e in entries(access_log(client, kerry)) if e.what == "Searched or listed cases"]

    assert [e.page for e in listed] == ["Locality"]


def test_an_old_row_without_the_actors_role_says_their_role_now(client, ruth, social_worker, kerry):
    AuditEvent.objects.create(actor=social_worker, actor_username="priya", case=kerry,
                              event_type=E.CASE_VIEWED, extra_data={})  # fmt: skip
    client.force_login(ruth)

    (old,) = [e for e in entries(access_log(client, kerry)) if e.what == "Viewed the case"]

    assert old.role == "Social worker, Children's Social Care"
    assert timedelta(0) <= datetime.now(UTC) - old.at < timedelta(minutes=5)


def test_subject_access_gives_every_other_record_about_the_case_as_stored(
    client, ruth, make_user, social_worker, team_manager, locality
):
    team = {
        RoleCode.SOCIAL_WORKER: [social_worker, team_manager],
        RoleCode.MIDWIFE: [make_user("maria", RoleCode.MIDWIFE)],
        RoleCode.HEALTH_VISITOR: [make_user("hannah", RoleCode.HEALTH_VISITOR)],
    }
    fake = Faker("en_GB")
    fake.seed_instance(7)
    london = ZoneInfo(settings.TIME_ZONE)
    _seed_case(fake, random.Random(7), timezone.localdate(), london, locality("mendip"), team,
               team[RoleCode.MIDWIFE][0], "cp_plan")  # fmt: skip
    case = Case.objects.get()
    client.force_login(ruth)

    data = json.loads(client.get(reverse("dpo_subject_access_json", args=[case.id])).content)
    pdf = client.get(reverse("dpo_subject_access_pdf", args=[case.id]))

    others = data["other_records"]
    assert {"Referrals", "Allocations", "Assessments", "Decisions"} <= set(others)
    (referral,) = others["Referrals"]
    stored = case.referral_record
    assert stored.referrer_name and referral["referrer_name"] == stored.referrer_name
    assert all("case" not in record for records in others.values() for record in records)
    assert "Referrals" in pdf_text(pdf.content) and stored.referrer_name in pdf_text(pdf.content)
    exported = AuditEvent.objects.filter(event_type=E.SUBJECT_ACCESS_EXPORTED).first()
    assert exported.extra_data["counts"]["Referrals"] == 1
