"""A page of case data refused to someone signed in (403, or 404 for a case they may not
see or that does not exist) is in the audit log: who tried which case, from where."""

import uuid

from django.urls import reverse

from audit.models import AuditEvent, AuditEventType


def refusals():
    return list(AuditEvent.objects.filter(event_type=AuditEventType.ACCESS_REFUSED))


def test_another_locality_s_case_is_404_and_the_attempt_is_linked_to_the_case(
    client, social_worker, outsider, make_case
):
    case = make_case(social_worker)
    client.force_login(outsider)

    response = client.get(reverse("case_timeline", args=[case.pk]), REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 404
    [row] = refusals()
    assert row.actor == outsider and row.case_id == case.pk
    assert row.extra_data["status"] == 404 and row.extra_data["case_id"] == str(case.pk)
    assert row.ip_address == "203.0.113.5"
    assert row.path == reverse("case_timeline", args=[case.pk])


def test_a_guessed_case_id_is_recorded_without_a_case(client, social_worker):
    client.force_login(social_worker)
    guessed = uuid.uuid4()

    assert client.get(reverse("case_detail", args=[guessed])).status_code == 404

    [row] = refusals()
    assert row.case_id is None and row.extra_data["case_id"] == str(guessed)


def test_a_role_refused_a_case_page_is_recorded_as_403(client, social_worker, guest, make_case):
    case = make_case(social_worker)
    client.force_login(guest)

    response = client.get(reverse("edd_revise", args=[case.pk]))

    assert response.status_code == 403
    [row] = refusals()
    assert row.case_id == case.pk and row.extra_data["status"] == 403


def test_pages_that_are_not_case_data_and_people_signed_out_are_not_recorded(
    client, social_worker, make_case
):
    case = make_case(social_worker)
    client.get(reverse("case_detail", args=[case.pk]))  # signed out: to the sign-in page
    client.force_login(social_worker)
    assert client.get("/no-such-page/").status_code == 404

    assert refusals() == []
