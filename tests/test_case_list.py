"""Finding cases: search, filters, sort, pagination, and what each row shows."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases.models import Case

TODAY = date(2026, 11, 23)


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


def rows(response) -> list[str]:
    return [case.mother.family_name for case in response.context["page_obj"].object_list]


@time_machine.travel(TODAY, tick=False)
def test_each_row_shows_gestation_today_and_the_edd_in_words(signed_in, named_midwife, make_case):
    make_case(named_midwife, edd=date(2027, 6, 10))

    page = signed_in.get(reverse("case_list")).content.decode()

    # 280 - (10 June 2027 - 23 November 2026 = 199 days) = 81 days = 11+4
    assert "11+4" in page
    assert "10 June 2027" in page
    assert "Unborn baby of Kerry Ashdown" in page


def test_search_finds_a_case_by_name_or_nhs_number(signed_in, named_midwife, make_case):
    kerry = make_case(named_midwife, given_name="Kerry", family_name="Ashdown")
    make_case(named_midwife, given_name="Lisa", family_name="Brown")

    assert rows(signed_in.get(reverse("case_list"), {"q": "ashdown"})) == ["Ashdown"]
    assert rows(signed_in.get(reverse("case_list"), {"q": "Kerry Ashdown"})) == ["Ashdown"]
    number = kerry.mother.nhs_number
    spaced = f"{number[:3]} {number[3:6]} {number[6:]}"
    assert rows(signed_in.get(reverse("case_list"), {"q": spaced})) == ["Ashdown"]
    assert rows(signed_in.get(reverse("case_list"), {"q": kerry.reference})) == ["Ashdown"]
    assert rows(signed_in.get(reverse("case_list"), {"q": "nobody"})) == []


def test_filters_by_level_of_csc_input_and_named_professional(
    signed_in, named_midwife, social_worker, make_case
):
    make_case(named_midwife, family_name="Protected", csc_input="child_protection")
    make_case(named_midwife, family_name="Assessed", named_social_worker=social_worker)

    cp = signed_in.get(reverse("case_list"), {"csc_input": "child_protection"})
    mine = signed_in.get(reverse("case_list"), {"named": social_worker.id})

    assert rows(cp) == ["Protected"]
    assert rows(mine) == ["Assessed"]


def test_sorted_by_edd_by_default_and_by_name_on_request(signed_in, named_midwife, make_case):
    make_case(named_midwife, family_name="Later", edd=date(2027, 5, 1))
    make_case(named_midwife, family_name="Sooner", edd=date(2027, 2, 1))

    assert rows(signed_in.get(reverse("case_list"))) == ["Sooner", "Later"]
    assert rows(signed_in.get(reverse("case_list"), {"sort": "name"})) == ["Later", "Sooner"]
    assert rows(signed_in.get(reverse("case_list"), {"sort": "-edd"})) == ["Later", "Sooner"]


def test_long_lists_are_paginated(signed_in, named_midwife, make_case, settings):
    settings.CASES_PER_PAGE = 2
    for n in range(5):
        make_case(named_midwife, family_name=f"Family{n}")

    first = signed_in.get(reverse("case_list"))
    last = signed_in.get(reverse("case_list"), {"page": 3})

    assert len(first.context["page_obj"].object_list) == 2
    assert len(last.context["page_obj"].object_list) == 1
    assert 'aria-label="Page 3"' in first.content.decode()


def test_the_number_of_queries_does_not_grow_with_the_number_of_cases(
    signed_in, named_midwife, make_case
):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert signed_in.get(reverse("case_list")).status_code == 200
        return len(captured)

    make_case(named_midwife)
    few = queries()
    for _ in range(20):
        make_case(named_midwife, named_social_worker=named_midwife)
    many = queries()

    assert Case.objects.count() == 21
    assert many == few
