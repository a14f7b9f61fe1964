"""A user sees only cases in their localities or that they are named on; others are 404."""

import pytest
from django.urls import reverse

CASE_PAGES = ["case_detail", "case_details_change", "edd_revise", "partner_add", "outcome_record"]


@pytest.mark.parametrize("page", [*CASE_PAGES, "case_audit"])
def test_a_user_from_another_locality_gets_not_found_for_every_case_page(
    client, named_midwife, outsider, make_case, page
):
    case = make_case(named_midwife)
    client.force_login(outsider)

    response = client.get(reverse(page, args=[case.id]))

    assert response.status_code == 404


def test_a_user_from_another_locality_cannot_change_a_case_by_posting(
    client, named_midwife, outsider, make_case
):
    case = make_case(named_midwife)
    client.force_login(outsider)

    response = client.post(
        reverse("edd_revise", args=[case.id]),
        {"edd_day": "1", "edd_month": "6", "edd_year": "2027", "reason": "probe"},
    )

    assert response.status_code == 404
    case.refresh_from_db()
    assert case.edd_revisions.count() == 1


def test_a_mendip_user_cannot_open_a_sedgemoor_case_by_url(
    client, make_user, social_worker, make_case
):
    sedgemoor_midwife = make_user("sally", "midwife", localities=("sedgemoor",))
    case = make_case(sedgemoor_midwife, locality_slug="sedgemoor")
    client.force_login(social_worker)

    assert client.get(reverse("case_detail", args=[case.id])).status_code == 404


def test_a_named_professional_from_another_locality_can_open_the_case(
    client, named_midwife, outsider, make_case
):
    case = make_case(named_midwife, named_social_worker=outsider)
    client.force_login(outsider)

    response = client.get(reverse("case_detail", args=[case.id]))

    assert response.status_code == 200


def test_the_case_list_shows_only_cases_the_user_may_see(
    client, named_midwife, make_user, social_worker, make_case
):
    make_case(named_midwife, family_name="Mendipcase")
    sedgemoor_midwife = make_user("sally", "midwife", localities=("sedgemoor",))
    make_case(sedgemoor_midwife, locality_slug="sedgemoor", family_name="Sedgemoorcase")
    client.force_login(social_worker)

    page = client.get(reverse("case_list")).content.decode()

    assert "Mendipcase" in page
    assert "Sedgemoorcase" not in page


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_analysts_and_administrators_see_no_case_data(
    client, request, named_midwife, make_case, persona
):
    case = make_case(named_midwife)
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("case_detail", args=[case.id])).status_code == 404
    assert client.get(reverse("case_list")).status_code == 403
    assert client.get(reverse("case_register")).status_code == 403


def test_a_guest_can_read_but_not_change_a_case(client, named_midwife, guest, make_case):
    case = make_case(named_midwife)
    client.force_login(guest)

    assert client.get(reverse("case_detail", args=[case.id])).status_code == 200
    assert client.get(reverse("edd_revise", args=[case.id])).status_code == 403
    assert client.get(reverse("case_register")).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client, named_midwife, make_case):
    case = make_case(named_midwife)

    response = client.get(reverse("case_detail", args=[case.id]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_cannot_register_a_case_in_a_locality_they_do_not_work_in(
    client, social_worker, locality
):
    client.force_login(social_worker)

    response = client.post(reverse("case_register"), {"locality": locality("sedgemoor").id})

    assert response.status_code == 200
    assert "Choose a locality you work in" in response.content.decode()
