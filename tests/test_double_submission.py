"""A form that creates something, sent twice with the same token (a double click, or Back
and send again), saves once and takes the second send where the first went; a send that
was not saved (errors) can be sent again."""

import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from visits.models import CaseNote, Visit
from web.models import Submission


def token(client, url) -> str:
    page = client.get(url).content.decode()
    found = re.search(r'name="submission" value="([0-9a-f-]{36})"', page)
    assert found, f"{url} has no submission token"
    return found.group(1)


def test_a_case_note_sent_twice_is_saved_once(client, social_worker, make_case):
    case = make_case(social_worker)
    client.force_login(social_worker)
    url = reverse("case_note_add", args=[case.pk])
    data = {"submission": token(client, url), "kind": "case_note", "text": "Seen at home"}

    first = client.post(url, data)
    second = client.post(url, data, follow=True)

    assert first.status_code == 302
    assert CaseNote.objects.filter(case=case).count() == 1
    assert second.redirect_chain[0][0] == first["Location"]
    assert "already saved" in second.content.decode()


def test_a_send_with_errors_frees_its_token_for_the_corrected_send(
    client, social_worker, make_case
):
    case = make_case(social_worker)
    client.force_login(social_worker)
    url = reverse("case_note_add", args=[case.pk])
    key = token(client, url)

    assert client.post(url, {"submission": key, "kind": "case_note", "text": ""}).status_code == 200
    response = client.post(url, {"submission": key, "kind": "case_note", "text": "Now written"})

    assert response.status_code == 302
    assert CaseNote.objects.get(case=case).text == "Now written"


def test_someone_else_s_token_does_not_replay_their_page(
    client, social_worker, team_manager, make_case
):
    case = make_case(social_worker)
    client.force_login(social_worker)
    url = reverse("case_note_add", args=[case.pk])
    key = token(client, url)
    client.post(url, {"submission": key, "kind": "case_note", "text": "Mine"})
    other = type(client)()
    other.force_login(team_manager)

    response = other.post(url, {"submission": key, "kind": "case_note", "text": "Theirs"})

    assert response.status_code == 302 and response["Location"] == url
    assert list(CaseNote.objects.values_list("text", flat=True)) == ["Mine"]


def test_every_create_form_carries_a_token(client, social_worker, team_manager, make_case):
    case = make_case(social_worker)
    client.force_login(team_manager)
    for url in [
        reverse("case_register"),
        reverse("partner_add", args=[case.pk]),
        reverse("visit_record", args=[case.pk]),
        reverse("case_note_add", args=[case.pk]),
        reverse("specialist_assessment_request", args=[case.pk]),
    ]:
        token(client, url)


def test_old_tokens_are_cleared(client, social_worker, make_case):
    case = make_case(social_worker)
    client.force_login(social_worker)
    url = reverse("visit_record", args=[case.pk])
    old = Submission.objects.create(user=social_worker, location="/")
    Submission.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=2))

    client.post(url, {"submission": token(client, url)})

    assert not Submission.objects.filter(pk=old.pk).exists()
    assert Visit.objects.count() == 0
