"""Named-professional gaps: found with a case-list filter, and warned of on the case page
before and after the birth; a loss has none (it stops every reminder)."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases import services
from cases.models import PregnancyOutcome

TODAY = date(2027, 6, 12)
EDD = date(2027, 6, 10)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 6, 12, 10, tzinfo=ZoneInfo("Europe/London")),
                             tick=False):  # fmt: skip
        yield


@pytest.fixture
def health_visitor(make_user):
    return make_user("hana", RoleCode.HEALTH_VISITOR)


def born(case, actor):
    return services.outcome_record(
        actor=actor, context=None, case=case, outcome=PregnancyOutcome.LIVE_BIRTH,
        outcome_date=date(2027, 6, 11),
        babies=[services.BabyDetails(
            born_at=datetime(2027, 6, 11, 4, 30, tzinfo=ZoneInfo("Europe/London")), sex="female"
        )],
    )  # fmt: skip


def lost(case, actor):
    return services.outcome_record(
        actor=actor, context=None, case=case, outcome=PregnancyOutcome.STILLBIRTH,
        outcome_date=date(2027, 6, 11), babies=[],
    )  # fmt: skip


@pytest.fixture
def cases(named_midwife, social_worker, health_visitor, make_case):
    every = {"named_social_worker": social_worker, "named_midwife": named_midwife,
             "named_health_visitor": health_visitor}  # fmt: skip
    return {
        "no health visitor": make_case(named_midwife, edd=EDD, family_name="Novisitor",
                                       **{**every, "named_health_visitor": None}),
        "no midwife": make_case(named_midwife, edd=EDD, family_name="Nomidwife",
                                **{**every, "named_midwife": None}),
        "everyone named": make_case(named_midwife, edd=EDD, family_name="Complete", **every),
        "lost, no health visitor": lost(
            make_case(named_midwife, edd=EDD, family_name="Lost",
                      **{**every, "named_health_visitor": None}),
            named_midwife,
        ),
    }  # fmt: skip


def names(response) -> set[str]:
    return {case.mother.family_name for case in response.context["page_obj"].object_list}


def test_the_case_list_finds_cases_with_no_named_health_visitor(client, named_midwife, cases):
    client.force_login(named_midwife)

    response = client.get(reverse("case_list"), {"gaps": "health_visitor"})

    assert names(response) == {"Novisitor"}
    assert 'value="health_visitor" checked' in response.content.decode()


def test_gaps_of_several_kinds_find_cases_missing_any_of_them(client, named_midwife, cases):
    client.force_login(named_midwife)

    response = client.get(reverse("case_list"), {"gaps": ["health_visitor", "midwife"]})

    assert names(response) == {"Novisitor", "Nomidwife"}


def test_the_gap_filter_is_recorded_in_the_audit_row(client, named_midwife, cases):
    client.force_login(named_midwife)

    client.get(reverse("case_list"), {"gaps": ["midwife", "health_visitor"]})

    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_LIST_VIEWED)
    assert event.extra_data["filters"]["gaps"] == "midwife,health_visitor"
    assert event.extra_data["case_ids"] == sorted(
        str(cases[key].id) for key in ("no health visitor", "no midwife")
    )


def test_an_unknown_gap_is_refused_and_the_list_is_unfiltered(client, named_midwife, cases):
    client.force_login(named_midwife)

    response = client.get(reverse("case_list"), {"gaps": "dentist"})

    assert response.status_code == 200
    assert len(names(response)) == 4


def test_an_outsider_finds_no_gaps_in_another_locality(client, outsider, cases):
    client.force_login(outsider)

    response = client.get(reverse("case_list"), {"gaps": ["health_visitor", "midwife"]})

    assert names(response) == set()


def test_the_gap_warning_stays_after_the_birth(client, named_midwife, cases):
    case = born(cases["no health visitor"], named_midwife)
    client.force_login(named_midwife)

    page = client.get(reverse("case_detail", args=[case.id])).content.decode()

    assert "Every baby should have a named professional in all three agencies" in page
    assert "No named health visitor." in page


def test_the_gap_warning_before_the_birth_names_each_gap(client, named_midwife, cases):
    client.force_login(named_midwife)

    page = client.get(reverse("case_detail", args=[cases["no midwife"].id])).content.decode()

    assert "Every unborn baby should have a named professional" in page
    assert "No named midwife." in page
    assert "No named health visitor." not in page


def test_after_a_loss_there_is_no_gap_warning(client, named_midwife, cases):
    client.force_login(named_midwife)

    page = client.get(reverse("case_detail", args=[cases["lost, no health visitor"].id]))

    assert "should have a named professional" not in page.content.decode()
