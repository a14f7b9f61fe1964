"""Registering a case: the GOV.UK form, its validation, and what it stores."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases.forms import CaseRegisterForm
from cases.models import Case

TODAY = date(2026, 11, 23)
VALID_NHS = "9990000018"


def form_data(locality_id, **overrides):
    data = {
        "mother_given_name": "Kerry",
        "mother_family_name": "Ashdown",
        "mother_date_of_birth_day": "14",
        "mother_date_of_birth_month": "7",
        "mother_date_of_birth_year": "1998",
        "mother_nhs_number": "999 000 0018",
        "mother_address": "1 Example Street, Frome",
        "mother_postcode": "ba11 1aa",
        "edd_day": "10",
        "edd_month": "6",
        "edd_year": "2027",
        "identified_date_day": "2",
        "identified_date_month": "11",
        "identified_date_year": "2026",
        "identified_source": "booking",
        "partner_relationship": "putative_father",
        "partner_given_name": "Dean",
        "partner_family_name": "Collins",
        "partner_date_of_birth_day": "",
        "partner_date_of_birth_month": "",
        "partner_date_of_birth_year": "",
        "locality": str(locality_id),
        "csc_input": "none",
    }
    data.update(overrides)
    return data


@pytest.fixture
def signed_in(client, named_midwife):
    client.force_login(named_midwife)
    return client


@time_machine.travel(TODAY, tick=False)
def test_registering_a_case_stores_mother_partner_and_edd_history(signed_in, locality):
    response = signed_in.post(reverse("case_register"), form_data(locality("mendip").id))

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[case.id])
    assert case.mother.full_name == "Kerry Ashdown"
    assert case.mother.nhs_number == VALID_NHS
    assert case.mother.postcode == "BA11 1AA"
    assert case.edd == date(2027, 6, 10)
    assert [r.edd for r in case.edd_revisions.all()] == [date(2027, 6, 10)]
    partner = case.partners.get()
    assert (partner.person.full_name, partner.relationship) == ("Dean Collins", "putative_father")
    assert case.display_name == "Unborn baby of Kerry Ashdown"
    assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.CASE_CREATED).exists()


@time_machine.travel(TODAY, tick=False)
def test_a_bad_nhs_number_is_reported_and_everything_typed_is_shown_again(signed_in, locality):
    response = signed_in.post(
        reverse("case_register"),
        form_data(locality("mendip").id, mother_nhs_number="999 000 0019"),
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert "There is a problem" in page
    assert 'href="#id_mother_nhs_number"' in page
    assert "Enter a valid NHS number" in page
    assert 'value="999 000 0019"' in page
    assert 'value="Kerry"' in page
    assert 'value="Dean"' in page
    assert "<title>Error: Register a case" in page


@pytest.mark.parametrize(
    ("edd", "message"),
    [
        (TODAY + timedelta(weeks=44, days=1), "no more than 44 weeks from today"),
        (TODAY - timedelta(weeks=4, days=1), "no more than 4 weeks ago"),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_an_implausible_edd_is_refused(signed_in, locality, edd, message):
    response = signed_in.post(
        reverse("case_register"),
        form_data(
            locality("mendip").id,
            edd_day=str(edd.day),
            edd_month=str(edd.month),
            edd_year=str(edd.year),
        ),
    )

    assert message in response.content.decode()
    assert Case.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_edd_exactly_44_weeks_ahead_is_accepted(signed_in, locality):
    edd = TODAY + timedelta(weeks=44)
    signed_in.post(
        reverse("case_register"),
        form_data(
            locality("mendip").id,
            edd_day=str(edd.day),
            edd_month=str(edd.month),
            edd_year=str(edd.year),
        ),
    )

    assert Case.objects.get().edd == edd


@time_machine.travel(TODAY, tick=False)
def test_a_date_of_birth_in_the_future_is_refused(signed_in, locality):
    response = signed_in.post(
        reverse("case_register"),
        form_data(locality("mendip").id, mother_date_of_birth_year="2027"),
    )

    assert "Date of birth must be in the past" in response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_date_missing_its_month_links_the_error_to_the_month_input(signed_in, locality):
    response = signed_in.post(
        reverse("case_register"),
        form_data(locality("mendip").id, edd_month=""),
    )

    page = response.content.decode()
    assert 'href="#id_edd_month"' in page
    assert "must include a month" in page


@time_machine.travel(TODAY, tick=False)
def test_an_empty_form_lists_every_required_field(signed_in):
    response = signed_in.post(reverse("case_register"), {})

    page = response.content.decode()
    for message in [
        "Enter the mother&#x27;s first name",
        "Enter the mother&#x27;s last name",
        "Enter the mother&#x27;s date of birth",
        "Enter an NHS number",
        "Enter the expected due date",
        "Choose where the pregnancy was identified",
        "Choose the locality",
    ]:
        assert message in page, message
    assert Case.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_a_partner_chosen_without_a_name_is_refused(signed_in, locality):
    response = signed_in.post(
        reverse("case_register"),
        form_data(locality("mendip").id, partner_given_name="", partner_family_name=""),
    )

    page = response.content.decode()
    assert "Enter the father or partner&#x27;s first name" in page
    assert Case.objects.count() == 0


def test_named_professionals_offered_are_from_my_localities_and_include_the_named_leads(
    client, social_worker, make_user, make_case, named_midwife
):
    lead = make_user("nadia", RoleCode.NAMED_MIDWIFE)
    far_away = make_user("sid", RoleCode.SOCIAL_WORKER, localities=("sedgemoor",))
    form = CaseRegisterForm(user=social_worker)

    assert lead in form.fields["named_midwife"].queryset
    assert named_midwife in form.fields["named_midwife"].queryset
    assert social_worker in form.fields["named_social_worker"].queryset
    assert far_away not in form.fields["named_social_worker"].queryset

    # Someone already named from elsewhere stays choosable, so saving keeps them.
    case = make_case(named_midwife, named_social_worker=far_away)
    client.force_login(social_worker)
    page = client.get(reverse("case_details_change", args=[case.id]))
    assert far_away in page.context["form"].fields["named_social_worker"].queryset
