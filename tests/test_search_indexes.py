"""The case list's search finds each way through an index, so it reads in proportion to
what matches, not to the country: a reference through its unique index, an NHS number
through the people's, a name through pg_trgm's index on the upper-cased names
(cases/migrations/0010). Checked on PostgreSQL with sequential scans priced out, so the
plan shows which index could serve each read (with a handful of rows the planner would
rightly read the table), and plain index scans too, so it cannot walk a primary key."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="The trigram indexes are PostgreSQL's. Run with DATABASE_URL=postgres://...",
)


def plans_of_search(client, query: str) -> str:
    """The plans of every query the case list ran for this search, one text."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_list"), {"q": query})
    assert response.status_code == 200
    plans = []
    with connection.cursor() as cursor:
        # Only bitmap scans left, which need a condition an index serves: the plan
        # names the index that serves each search, whatever the statistics say.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        for query_ in captured:
            if "cases_person" in query_["sql"] or "cases_case" in query_["sql"]:
                cursor.execute("EXPLAIN " + query_["sql"])
                plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("SET LOCAL enable_seqscan = on")
        cursor.execute("SET LOCAL enable_indexscan = on")
    return "\n\n".join(plans)


@pytest.fixture
def signed_in(client, social_worker, named_midwife, make_case):
    make_case(named_midwife, given_name="Kerry", family_name="Ashdown")
    make_case(named_midwife, given_name="Lisa", family_name="Brown")
    client.force_login(social_worker)
    return client


@postgresql_only
def test_a_name_is_found_through_the_trigram_indexes(signed_in):
    plans = plans_of_search(signed_in, "ashd")

    assert "cases_person_family_name_trgm" in plans
    assert "cases_person_given_name_trgm" in plans
    assert "Seq Scan on cases_person" not in plans


@postgresql_only
def test_an_nhs_number_and_a_reference_are_found_through_their_indexes(signed_in, social_worker):
    from cases.models import Case

    case = Case.objects.get(mother__family_name="Ashdown")
    by_number = plans_of_search(signed_in, case.mother.nhs_number)
    by_reference = plans_of_search(signed_in, case.reference.lower())

    assert "Seq Scan on cases_person" not in by_number
    assert "nhs_number" in by_number  # the people's NHS number index
    assert "Seq Scan on cases_case" not in by_reference
    assert "reference" in by_reference  # the references' unique index


def test_a_reference_typed_in_small_letters_finds_the_case(signed_in):
    from cases.models import Case

    case = Case.objects.get(mother__family_name="Brown")
    response = signed_in.get(reverse("case_list"), {"q": f"  {case.reference.lower()} "})

    assert [c.mother.family_name for c in response.context["page_obj"].object_list] == ["Brown"]


@postgresql_only
def test_an_nhs_number_is_not_looked_for_among_the_names(signed_in):
    """A name has letters: a search of digits alone reads no name index, whose entries
    it could not match (at 100,000 cases the name part read 334 buffers for nothing)."""
    from cases.models import Case

    case = Case.objects.get(mother__family_name="Ashdown")
    by_number = plans_of_search(
        signed_in, case.mother.nhs_number[:3] + " " + case.mother.nhs_number[3:]
    )

    assert "trgm" not in by_number
    found = signed_in.get(reverse("case_list"), {"q": case.mother.nhs_number})
    assert [c.pk for c in found.context["page_obj"].object_list] == [case.pk]


@postgresql_only
def test_the_name_indexes_take_each_name_at_once_not_through_a_pending_list(signed_in):
    """GIN's pending list is read whole by every search until a VACUUM merges it."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reloptions FROM pg_class WHERE relname LIKE 'cases_person_%_trgm'"
        )
        options = dict(cursor.fetchall())

    assert options == {
        "cases_person_given_name_trgm": ["fastupdate=off"],
        "cases_person_family_name_trgm": ["fastupdate=off"],
    }
