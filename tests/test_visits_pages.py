"""The visit and note pages: one short form each, bad input kept and named, a 404 for
whoever cannot see the case, a 403 for whoever may not do this, and the case page's
section in a constant number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from tests import visits_fixtures as fixtures
from tests.visits_fixtures import ALLOCATION, NOW, TODAY, at, milestone
from visits.models import CaseNote, Visit
from visits.services import case_note_add, visit_record

allocated, frozen = fixtures.allocated, fixtures.frozen


def urls(case, visit=None) -> dict[str, str]:
    found = {
        "list": reverse("visit_list", args=[case.id]),
        "new": reverse("visit_record", args=[case.id]),
        "note": reverse("case_note_add", args=[case.id]),
    }
    if visit is not None:
        found["withdraw"] = reverse("visit_withdraw", args=[case.id, visit.pk])
    return found


def a_visit(actor, case, day=ALLOCATION, kind="introductory"):
    return visit_record(actor=actor, context=None, case=case, visited_at=at(day), type=kind,
                        seen=["mother", "father"], baby_seen="unborn").visit  # fmt: skip


def test_just_now_records_an_introductory_visit_that_does_its_milestone(
    client, allocated, social_worker
):
    client.force_login(social_worker)

    response = client.post(urls(allocated)["new"], {
        "when": "now", "type": "introductory", "seen": ["mother", "father"],
        "baby_seen": "unborn", "note": "Both parents at home",
    })  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == reverse("case_detail", args=[allocated.id]) + "#visits"
    visit = Visit.objects.get()
    assert visit.visited_at == NOW
    assert visit.note == "Both parents at home"
    assert milestone(allocated, "intro_home_visit").done_date == TODAY
    page = client.get(response["Location"]).content.decode()
    assert "Introductory home visit recorded. It completes: Introductory home visit" in page


def test_an_earlier_visit_takes_the_date_and_time_typed(client, allocated, social_worker):
    client.force_login(social_worker)

    client.post(urls(allocated)["new"], {
        "when": "earlier", "visited_on_day": "14", "visited_on_month": "1",
        "visited_on_year": "2027", "visited_time": "2:30pm", "type": "other",
        "seen": ["mother"], "baby_seen": "unborn",
    })  # fmt: skip

    assert Visit.objects.get().visited_at == at(ALLOCATION + timedelta(days=2), 14, 30)


@pytest.mark.parametrize(
    ("posted", "named"),
    [
        ({}, {"when", "type", "baby_seen"}),
        ({"when": "earlier"}, {"visited_on", "visited_time"}),
        ({"when": "earlier", "visited_on_day": "31", "visited_on_month": "2",
          "visited_on_year": "2027", "visited_time": "14:30"}, {"visited_on"}),
        ({"when": "earlier", "visited_on_day": "21", "visited_on_month": "1",
          "visited_on_year": "2027", "visited_time": "14:30"}, {"visited_on"}),
        ({"when": "earlier", "visited_on_day": "20", "visited_on_month": "1",
          "visited_on_year": "2027", "visited_time": "23:30"}, {"visited_time"}),
        ({"when": "earlier", "visited_on_day": "1", "visited_on_month": "1",
          "visited_on_year": "1900", "visited_time": "9am"}, {"visited_on"}),
        # The clocks went forward at 1am on 29 March 2026: there was no 1:30am.
        ({"when": "earlier", "visited_on_day": "29", "visited_on_month": "3",
          "visited_on_year": "2026", "visited_time": "1:30am"}, {"visited_time"}),
        ({"when": "earlier", "visited_on_day": "20", "visited_on_month": "1",
          "visited_on_year": "2027", "visited_time": "25:00"}, {"visited_time"}),
        ({"when": "now", "type": "other", "seen": [], "seen_other": ""}, {"seen"}),
        ({"when": "now", "baby_seen": "yes"}, {"baby_seen"}),
        ({"when": "now", "type": "antenatal"}, {"type"}),
        ({"when": "now", "seen": ["mother"]}, {"father_not_seen_reason"}),
    ],
)  # fmt: skip
def test_bad_input_is_named_in_the_error_summary_and_what_was_typed_is_kept(
    client, allocated, social_worker, posted, named
):
    client.force_login(social_worker)
    data = {"type": "introductory", "seen": ["mother", "father"], "baby_seen": "unborn",
            "seen_other": "Grandmother", "note": "Typed on a phone"}  # fmt: skip
    data = {**data, **posted} if posted else {}

    response = client.post(urls(allocated)["new"], data)

    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == named
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "<title>Error: " in page
    if data:
        assert "Typed on a phone</textarea>" in page
        if data["seen_other"]:
            assert 'value="Grandmother"' in page
        for key in ("visited_on_day", "visited_time"):
            if key in data:
                assert f'value="{data[key]}"' in page
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.filter(event_type=AuditEventType.VISIT_RECORDED).exists()


def test_the_form_offers_each_agency_its_own_kinds_of_visit(
    client, allocated, social_worker, named_midwife
):
    client.force_login(social_worker)
    csc = client.get(urls(allocated)["new"]).context["form"]
    client.force_login(named_midwife)
    midwifery = client.get(urls(allocated)["new"]).context["form"]

    assert [v for v, _ in csc.fields["type"].choices] == ["introductory", "home", "foster", "other"]
    assert [v for v, _ in midwifery.fields["type"].choices] == ["antenatal", "home", "other"]
    assert "father_not_seen_reason" not in midwifery.fields


def test_the_date_and_time_are_revealed_by_earlier_and_start_empty(
    client, allocated, social_worker
):
    client.force_login(social_worker)

    page = client.get(urls(allocated)["new"]).content.decode()

    assert 'aria-controls="id_when-conditional"' in page
    assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden"' in page
    assert 'name="visited_on_day" type="text" inputmode="numeric" value=""' in page
    assert " checked" not in page


def test_a_case_note_from_the_page(client, allocated, social_worker):
    client.force_login(social_worker)

    response = client.post(urls(allocated)["note"], {"kind": "case_note", "text": "Phoned"})

    assert response.status_code == 302
    assert CaseNote.objects.get().text == "Phoned"


def test_a_social_worker_is_not_offered_a_management_direction_and_cannot_post_one(
    client, allocated, social_worker, team_manager
):
    client.force_login(social_worker)
    offered = client.get(urls(allocated)["note"]).context["form"].fields["kind"].choices
    response = client.post(urls(allocated)["note"],
                           {"kind": "management_direction", "text": "Visit weekly"})  # fmt: skip

    assert "management_direction" not in [v for v, _ in offered]
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert not CaseNote.objects.exists()
    client.force_login(team_manager)
    client.post(urls(allocated)["note"], {"kind": "management_direction", "text": "Visit weekly"})
    assert CaseNote.objects.get().kind == "management_direction"


def test_a_bad_note_keeps_what_was_typed(client, allocated, social_worker):
    client.force_login(social_worker)

    response = client.post(urls(allocated)["note"], {
        "kind": "supervision", "text": "Supervision held", "on_day": "32", "on_month": "1",
        "on_year": "2027",
    })  # fmt: skip

    assert set(response.context["form"].errors) == {"on"}
    page = response.content.decode()
    assert "Supervision held</textarea>" in page
    assert 'value="32"' in page
    assert not CaseNote.objects.exists()


def test_withdrawing_from_the_page_reopens_the_milestone(client, allocated, social_worker):
    visit = a_visit(social_worker, allocated)
    client.force_login(social_worker)

    empty = client.post(urls(allocated, visit)["withdraw"], {"reason": ""})
    done = client.post(urls(allocated, visit)["withdraw"], {"reason": "Wrong case"})

    assert empty.status_code == 200 and "reason" in empty.context["form"].errors
    refused = empty.content.decode()
    assert "<title>Error: " in refused
    assert '<a href="#id_reason">Enter why this visit is being withdrawn</a>' in refused
    assert done.status_code == 302
    assert Visit.objects.get().withdrawn_reason == "Wrong case"
    assert milestone(allocated, "intro_home_visit").done_date is None
    listed = client.get(urls(allocated)["list"]).content.decode()
    assert "Withdrawn" in listed and "Wrong case" in listed


def test_someone_who_cannot_see_the_case_gets_404_everywhere(
    client, allocated, social_worker, outsider, analyst
):
    visit = a_visit(social_worker, allocated)
    for someone in (outsider, analyst):
        client.force_login(someone)
        for url in urls(allocated, visit).values():
            assert client.get(url).status_code == 404, url
            if url != urls(allocated)["list"]:
                posted = client.post(url, {"reason": "x", "text": "x", "when": "now"})
                assert posted.status_code == 404, url
    assert Visit.objects.get().withdrawn_at is None
    assert not CaseNote.objects.exists()


def test_a_visit_of_another_case_is_404(client, allocated, social_worker, make_case):
    other = make_case(social_worker)
    visit = a_visit(social_worker, allocated)
    client.force_login(social_worker)

    response = client.get(reverse("visit_withdraw", args=[other.id, visit.pk]))

    assert response.status_code == 404


def test_a_guest_reads_but_gets_403_for_every_change(client, allocated, social_worker, guest):
    visit = a_visit(social_worker, allocated)
    client.force_login(guest)
    pages = urls(allocated, visit)

    assert client.get(pages["list"]).status_code == 200
    for name in ("new", "note", "withdraw"):
        assert client.get(pages[name]).status_code == 403
        posted = client.post(pages[name], {"when": "now", "text": "x", "reason": "x"})
        assert posted.status_code == 403
    assert not CaseNote.objects.exists() and Visit.objects.get().withdrawn_at is None
    case_page = client.get(reverse("case_detail", args=[allocated.id])).content.decode()
    assert "All visits and notes" in case_page
    assert "Record a visit" not in case_page


def test_only_the_recorder_or_their_manager_sees_withdraw(
    client, allocated, social_worker, named_midwife
):
    visit = a_visit(social_worker, allocated)
    client.force_login(named_midwife)

    assert client.get(urls(allocated, visit)["withdraw"]).status_code == 403
    assert "/withdraw/" not in client.get(urls(allocated)["list"]).content.decode()


def test_the_case_page_shows_the_latest_three_in_constant_queries(
    client, allocated, social_worker, named_midwife
):
    client.force_login(social_worker)
    case_url = reverse("case_detail", args=[allocated.id])
    with CaptureQueriesContext(connection) as empty:
        client.get(case_url)
    for day in range(5):
        a_visit(named_midwife if day % 2 else social_worker, allocated,
                ALLOCATION + timedelta(days=day), kind="other")  # fmt: skip
        case_note_add(actor=social_worker, context=None, case=allocated, kind="case_note",
                      text=f"Note number {day}")  # fmt: skip

    with CaptureQueriesContext(connection) as full:
        page = client.get(case_url).content.decode()

    assert len(full) == len(empty)
    assert page.count("Other visit, ") == 3
    assert "16 January 2027" in page and "13 January 2027" not in page
    assert page.count("Case note, ") == 3
    for link in ("Record a visit", "Add a case note", "All visits and notes"):
        assert link in page


def test_withdrawing_a_note_from_the_list_keeps_it_marked_and_off_the_case_page(
    client, allocated, social_worker
):
    note = case_note_add(actor=social_worker, context=None, case=allocated, kind="supervision",
                         text="Supervision held with Mark")  # fmt: skip
    url = reverse("case_note_withdraw", args=[allocated.id, note.pk])
    client.force_login(social_worker)
    assert url in client.get(urls(allocated)["list"]).content.decode()

    empty = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": "Written on the wrong case"})

    assert empty.status_code == 200 and "reason" in empty.context["form"].errors
    assert "<title>Error: " in empty.content.decode()
    assert done.status_code == 302
    assert done["Location"] == urls(allocated)["list"] + "#notes"
    assert CaseNote.objects.get().withdrawn_reason == "Written on the wrong case"
    listed = client.get(urls(allocated)["list"]).content.decode()
    assert "Withdrawn" in listed and "Written on the wrong case" in listed
    assert url not in listed  # withdrawn once
    case_page = client.get(reverse("case_detail", args=[allocated.id])).content.decode()
    assert "Supervision held with Mark" not in case_page


def test_only_the_writer_or_their_manager_may_withdraw_a_note_and_outsiders_get_404(
    client, allocated, social_worker, named_midwife, guest, outsider, make_case
):
    note = case_note_add(actor=social_worker, context=None, case=allocated, kind="case_note",
                         text="Phoned")  # fmt: skip
    url = reverse("case_note_withdraw", args=[allocated.id, note.pk])
    for someone, status in ((named_midwife, 403), (guest, 403), (outsider, 404)):
        client.force_login(someone)
        assert client.get(url).status_code == status, someone
        assert client.post(url, {"reason": "x"}).status_code == status, someone
        if status == 403:
            assert url not in client.get(urls(allocated)["list"]).content.decode()
    client.force_login(social_worker)
    other = make_case(social_worker)
    assert client.get(reverse("case_note_withdraw", args=[other.id, note.pk])).status_code == 404
    assert not CaseNote.objects.get().is_withdrawn
