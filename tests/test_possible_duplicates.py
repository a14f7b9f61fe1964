"""Registering a case whose mother matches an open case: a warning first, with a link to
each match the user may see; going on needs a reason, which the audit log keeps."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases import services
from cases.models import Case, CscInput, PregnancyOutcome
from rules import nhs_number as nhs
from tests.test_case_register import TODAY, form_data

WARNING = "This mother may already have an open case"


def _valid_nhs(base: int) -> str:
    while nhs.check_digit(str(base)) is None:
        base += 1
    return f"{base}{nhs.check_digit(str(base))}"


NEW_NHS = _valid_nhs(999_777_000)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def signed_in(client, named_midwife):
    client.force_login(named_midwife)
    return client


def register(client, locality_id, **overrides):
    data = form_data(locality_id, mother_nhs_number=NEW_NHS)
    data.update(overrides)
    return client.post(reverse("case_register"), data)


def test_a_mother_with_the_nhs_number_of_an_open_case_is_warned_before_saving(
    signed_in, named_midwife, make_case, locality
):
    existing = make_case(named_midwife, given_name="Jade", family_name="Marsh")

    response = register(signed_in, locality("mendip").id,
                        mother_nhs_number=existing.mother.nhs_number)  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 1
    assert WARNING in page
    assert f'href="{reverse("case_detail", args=[existing.id])}"' in page
    assert "Unborn baby of Jade Marsh" in page and "same NHS number" in page
    assert 'name="duplicate_reason"' in page and "Register anyway" in page
    assert 'value="Kerry"' in page and 'value="Dean"' in page  # everything typed is kept
    assert "There is a problem" not in page  # a warning, not an error


def test_the_same_name_in_any_case_and_date_of_birth_is_warned(
    signed_in, named_midwife, make_case, locality
):
    existing = make_case(named_midwife, given_name="Kerry", family_name="Ashdown")

    response = register(signed_in, locality("mendip").id,
                        mother_given_name="KERRY", mother_family_name=" ashdown ")  # fmt: skip

    page = response.content.decode()
    assert WARNING in page
    assert reverse("case_detail", args=[existing.id]) in page
    assert "same name and date of birth" in page
    assert Case.objects.count() == 1


def test_the_same_name_with_another_date_of_birth_is_no_match(
    signed_in, named_midwife, make_case, locality
):
    make_case(named_midwife, given_name="Kerry", family_name="Ashdown")

    response = register(signed_in, locality("mendip").id, mother_date_of_birth_year="1999")

    assert response.status_code == 302
    assert Case.objects.count() == 2


def _closed(case, actor):
    return services.case_update_details(
        actor=actor, context=None, case=case, csc_input=CscInput.CLOSED
    )


def _lost(case, actor):
    return services.outcome_record(
        actor=actor, context=None, case=case, outcome=PregnancyOutcome.MISCARRIAGE,
        outcome_date=TODAY, babies=[],
    )  # fmt: skip


@pytest.mark.parametrize("end", [_closed, _lost], ids=["closed to CSC", "ended in a loss"])
def test_a_closed_or_lost_case_is_not_a_possible_duplicate(
    signed_in, named_midwife, social_worker, make_case, locality, end
):
    existing = end(make_case(named_midwife), social_worker)

    response = register(signed_in, locality("mendip").id,
                        mother_nhs_number=existing.mother.nhs_number)  # fmt: skip

    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_going_on_without_a_reason_is_refused_with_an_error_summary(
    signed_in, named_midwife, make_case, locality
):
    existing = make_case(named_midwife)

    response = register(signed_in, locality("mendip").id, register_anyway="yes",
                        mother_nhs_number=existing.mother.nhs_number,
                        duplicate_reason="   ")  # fmt: skip

    page = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 1
    assert "There is a problem" in page
    assert 'href="#id_duplicate_reason"' in page
    assert "Enter why you are registering this case despite the possible match" in page
    assert WARNING in page and 'value="Kerry"' in page


def test_going_on_with_a_reason_registers_the_case_and_audits_the_reason(
    signed_in, named_midwife, make_case, locality
):
    existing = make_case(named_midwife)
    reason = "The other case is her previous pregnancy; it should have been closed"

    response = register(signed_in, locality("mendip").id, register_anyway="yes",
                        mother_nhs_number=existing.mother.nhs_number,
                        duplicate_reason=reason)  # fmt: skip

    new = Case.objects.exclude(id=existing.id).get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[new.id])
    event = AuditEvent.objects.get(case=new, event_type=AuditEventType.CASE_CREATED)
    assert event.extra_data["reason"] == reason
    assert event.extra_data["possible_duplicates"] == [str(existing.id)]


def test_the_matches_shown_are_recorded_as_read(signed_in, named_midwife, make_case, locality):
    existing = make_case(named_midwife)

    register(signed_in, locality("mendip").id, mother_nhs_number=existing.mother.nhs_number)

    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_LIST_VIEWED)
    assert event.extra_data["page"] == "possible_duplicates"
    assert event.extra_data["case_ids"] == [str(existing.id)]


def test_a_match_outside_the_users_localities_is_mentioned_without_any_detail(
    client, outsider, named_midwife, make_case, locality
):
    """Olly, in Sedgemoor, registers a mother who has an open case in Mendip."""
    mendip_case = make_case(named_midwife, given_name="Zelda", family_name="Quarry")
    client.force_login(outsider)

    response = register(client, locality("sedgemoor").id,
                        mother_nhs_number=mendip_case.mother.nhs_number)  # fmt: skip

    page = response.content.decode()
    assert WARNING in page
    assert "possible match in another locality" in page
    for detail in (str(mendip_case.id), mendip_case.reference, "Zelda", "Quarry", "Mendip"):
        assert detail not in page
    told = AuditEvent.objects.get(event_type=AuditEventType.POSSIBLE_DUPLICATE_ELSEWHERE)
    assert (told.actor, told.case) == (outsider, mendip_case)
    assert told.extra_data["matched_on"] == ["same_nhs_number"]
    assert not AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_VIEWED)


def test_going_on_past_a_match_elsewhere_records_it_with_the_reason(
    client, outsider, named_midwife, make_case, locality
):
    mendip_case = make_case(named_midwife)
    client.force_login(outsider)

    response = register(client, locality("sedgemoor").id, register_anyway="yes",
                        mother_nhs_number=mendip_case.mother.nhs_number,
                        duplicate_reason="Moved to Sedgemoor; Mendip to close it")  # fmt: skip

    assert response.status_code == 302
    new = Case.objects.get(locality__slug="sedgemoor")
    event = AuditEvent.objects.get(case=new, event_type=AuditEventType.CASE_CREATED)
    assert event.extra_data["possible_duplicates"] == [str(mendip_case.id)]


def test_the_register_service_refuses_going_past_a_match_without_a_reason(named_midwife, make_case):
    existing = make_case(named_midwife)

    with pytest.raises(ValidationError):
        services.case_register(
            actor=named_midwife, context=None, mother={"given_name": "A", "family_name": "B"},
            partner=None, edd=date(2027, 6, 10), possible_duplicates=[str(existing.id)],
            duplicate_reason="",
        )  # fmt: skip


def test_a_match_the_user_is_named_on_elsewhere_is_linked(
    client, make_user, named_midwife, make_case, locality
):
    """A health visitor in Sedgemoor named on a Mendip case may see it, so it is linked."""
    visitor = make_user("hana", RoleCode.HEALTH_VISITOR, localities=("sedgemoor",))
    existing = make_case(named_midwife, named_health_visitor=visitor)
    client.force_login(visitor)

    response = register(client, locality("sedgemoor").id,
                        mother_nhs_number=existing.mother.nhs_number)  # fmt: skip

    page = response.content.decode()
    assert reverse("case_detail", args=[existing.id]) in page
    assert "possible match in another locality" not in page
