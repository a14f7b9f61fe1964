"""The case history: everything done on a case, from its audit rows, in the order it
happened, filtered by category and days, printable as PDF; reads are not in it, and only
people who may read the case see it."""

import io
import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import hypothesis
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from faker import Faker
from hypothesis import strategies as st
from pypdf import PdfReader

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from audit.services import audit_record
from cases import services
from cases.management.commands.seed_demo import _seed_case
from history import entries as history_entries
from history.selectors import HistoryFilters, case_history, recent_history
from visits.services import visit_record

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def registered(make_case, social_worker):
    """A case registered, referred and allocated, with its introductory visit done and a
    due date revised: four changes, each on its own day."""
    case = make_case(social_worker, edd=TODAY + timedelta(days=140))
    with time_machine.travel(datetime(2026, 12, 2, 11, 0, tzinfo=LONDON), tick=False):
        services.case_facts_update(
            actor=social_worker, context=None, case=case,
            referral_date=TODAY - timedelta(days=20), allocation_date=TODAY - timedelta(days=19),
            complex=True,
        )  # fmt: skip
    with time_machine.travel(datetime(2026, 12, 2, 12, 0, tzinfo=LONDON), tick=False):
        # The visit does the milestone (it is not ticked by hand).
        visit_record(
            actor=social_worker, context=None, case=case,
            visited_at=datetime(2026, 11, 22, 11, 0, tzinfo=LONDON), type="introductory",
            seen=["mother", "father"], baby_seen="unborn", note="Both parents seen at home",
        )  # fmt: skip
    with time_machine.travel(datetime(2026, 12, 2, 13, 0, tzinfo=LONDON), tick=False):
        services.edd_revise(
            actor=social_worker, context=None, case=case, edd=case.edd + timedelta(days=3),
            reason="Dating scan",
        )  # fmt: skip
    case.refresh_from_db()
    return case


def _signed_in(client, user):
    client.force_login(user)
    return client


def _page(client, case, **params):
    return client.get(reverse("case_history", args=[case.id]), params)


def _summaries(response) -> list[str]:
    return [entry.summary for _, day in response.context["days"] for entry in day]


def test_a_registered_case_shows_what_was_done_newest_first_on_the_day_it_happened(
    client, registered, social_worker
):
    response = _page(_signed_in(client, social_worker), registered)

    assert response.status_code == 200
    entries = [entry for _, day in response.context["days"] for entry in day]
    assert [e.event_type for e in entries] == [
        AuditEventType.EDD_REVISED,  # today
        AuditEventType.VISIT_RECORDED,  # 10 days ago
        AuditEventType.FACTS_CHANGED,  # referred 20 days ago
        AuditEventType.CASE_CREATED,  # identified 30 days ago
    ]
    assert [e.happened_on for e in entries] == [
        TODAY, TODAY - timedelta(days=10), TODAY - timedelta(days=20), TODAY - timedelta(days=30)
    ]  # fmt: skip
    edd, visit, referral, created = entries
    assert edd.summary.startswith("Expected due date revised to ")
    assert edd.summary.endswith(": Dating scan")
    assert visit.summary == (
        "Introductory home visit on 22 November 2026: mother and father or partner seen,"
        " baby not yet born"
    )
    assert "Note: Both parents seen at home" in visit.details
    assert referral.summary == (
        "Referred to children's social care on 12 November 2026; complex case; allocated on"
        " 13 November 2026"
    )
    assert referral.categories == ("referral",)
    assert created.summary.startswith("Registered the case of Kerry Ashdown's pregnancy,")
    assert created.who == "Priya Tester"
    assert "Children's Social Care" in created.who_detail
    html = response.content.decode()
    assert "22 November 2026" in html and "Both parents seen at home" in html
    assert "Expected due date revised to" in html


def test_a_milestone_ticked_by_hand_before_the_work_did_it_still_reads_in_the_history(
    client, registered, social_worker
):
    # Written as milestone_record_done wrote it before record-done milestones refused ticks.
    audit_record(
        actor=social_worker, event_type=AuditEventType.MILESTONE_DONE, case=registered,
        context=None,
        extra_data={"milestone": "genogram", "note": "Drawn with the mother",
                    "changes": {"done_date": {"before": None, "after": "2026-11-24"}}},
    )  # fmt: skip

    response = _page(_signed_in(client, social_worker), registered, kinds=["case"])

    ticked = next(
        e for _, day in response.context["days"] for e in day
        if e.event_type == AuditEventType.MILESTONE_DONE
    )  # fmt: skip
    assert ticked.summary == "Genogram completed: recorded as done on 24 November 2026"
    assert ticked.happened_on == date(2026, 11, 24)
    assert "Note: Drawn with the mother" in ticked.details


def test_reads_are_not_history(client, registered, social_worker):
    client = _signed_in(client, social_worker)
    client.get(reverse("case_detail", args=[registered.id]))
    client.get(reverse("case_timeline", args=[registered.id]))
    _page(client, registered)

    response = _page(client, registered)

    types = {e.event_type for _, day in response.context["days"] for e in day}
    assert types.isdisjoint(history_entries.READS)
    assert response.context["page_obj"].paginator.count == 4


def test_the_page_is_audited_as_the_history_viewed(client, registered, social_worker):
    _page(_signed_in(client, social_worker), registered)

    last = AuditEvent.objects.filter(case=registered).order_by("-id").first()
    assert last.event_type == AuditEventType.HISTORY_VIEWED
    assert last.actor == social_worker


def test_filters_by_category(client, registered, social_worker):
    response = _page(_signed_in(client, social_worker), registered, kinds=["referral"])

    assert [e.event_type for _, day in response.context["days"] for e in day] == [
        AuditEventType.FACTS_CHANGED
    ]
    response = _page(client, registered, kinds=["case", "meetings"])
    assert [e.event_type for _, day in response.context["days"] for e in day] == [
        AuditEventType.EDD_REVISED, AuditEventType.CASE_CREATED
    ]  # fmt: skip
    response = _page(client, registered, kinds=["visits"])
    assert [e.event_type for _, day in response.context["days"] for e in day] == [
        AuditEventType.VISIT_RECORDED
    ]


def test_filters_by_the_days_it_happened(client, registered, social_worker):
    since = TODAY - timedelta(days=21)
    until = TODAY - timedelta(days=5)
    response = _page(
        _signed_in(client, social_worker), registered,
        since_day=since.day, since_month=since.month, since_year=since.year,
        until_day=until.day, until_month=until.month, until_year=until.year,
    )  # fmt: skip

    assert [e.event_type for _, day in response.context["days"] for e in day] == [
        AuditEventType.VISIT_RECORDED, AuditEventType.FACTS_CHANGED
    ]  # fmt: skip


def test_a_date_range_the_wrong_way_round_is_an_error_and_keeps_what_was_typed(
    client, registered, social_worker
):
    response = _page(
        _signed_in(client, social_worker), registered,
        since_day="10", since_month="11", since_year="2026",
        until_day="1", until_month="11", until_year="2026",
    )  # fmt: skip

    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "must be the same as or after" in html
    assert 'name="until_day" type="text" inputmode="numeric" value="1"' in html


def test_hostile_filters_are_errors_not_failures(client, registered, social_worker):
    response = _page(
        _signed_in(client, social_worker), registered,
        kinds=["nonsense", "\x00"], since_day="99", since_month="x", since_year="\x00",
        page="999999",
    )  # fmt: skip

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_new_style_row_shows_its_own_sentence_on_its_own_day(registered, social_worker):
    audit_record(
        actor=social_worker,
        event_type=AuditEventType.VISIT_RECORDED,
        case=registered,
        extra_data={
            "summary": "Home visit on 25 November 2026: mother seen",
            "on": "2026-11-25",
            "record": "visits.visit",
            "record_id": "1",
            "changes": {"baby_seen": {"before": None, "after": False}},
        },
    )

    _, page = case_history(social_worker, registered.id, context=None)

    visit = next(e for e in page.object_list if e.event_type == AuditEventType.VISIT_RECORDED)
    assert visit.summary == "Home visit on 25 November 2026: mother seen"
    assert visit.happened_on == date(2026, 11, 25)
    assert visit.category == "visits"
    assert visit.details == ("Baby seen: no",)


def test_work_rows_are_placed_by_the_app_of_their_record(registered, social_worker):
    for record in ("plans.birthplan", "checkpoints.checkpoint", "postnatal.discharge", "other.x"):
        audit_record(
            actor=social_worker, event_type=AuditEventType.WORK_RECORDED, case=registered,
            extra_data={"summary": f"Recorded {record}", "record": record, "record_id": "1"},
        )  # fmt: skip

    _, page = case_history(
        social_worker, registered.id, context=None, filters=HistoryFilters(kinds=("decisions",))
    )

    assert {e.summary for e in page.object_list} == {
        "Recorded plans.birthplan",
        "Recorded other.x",
    }


def test_a_row_of_an_odd_shape_still_shows(registered, social_worker):
    for extra in ({"changes": "not a dict"}, {"changes": {"edd": 7}}, {"milestone": ["x"]}):
        audit_record(
            actor=social_worker, event_type=AuditEventType.MILESTONE_DONE, case=registered,
            extra_data=extra,
        )  # fmt: skip
    audit_record(
        actor=social_worker, event_type=AuditEventType.FACTS_CHANGED, case=registered,
        extra_data={"changes": {"referral_date": {"before": "x", "after": "2026-99-99"}}},
    )  # fmt: skip

    _, page = case_history(social_worker, registered.id, context=None)

    assert all(entry.summary for entry in page.object_list)


@pytest.mark.parametrize("persona", ["outsider", "analyst", "administrator"])
def test_someone_who_cannot_read_the_case_gets_404_for_the_page_and_the_pdf(
    client, registered, persona, request
):
    client = _signed_in(client, request.getfixturevalue(persona))

    assert _page(client, registered).status_code == 404
    assert client.get(reverse("case_history_pdf", args=[registered.id])).status_code == 404
    assert not AuditEvent.objects.filter(
        case=registered,
        event_type__in=[AuditEventType.HISTORY_VIEWED, AuditEventType.HISTORY_EXPORTED],
    ).exists()


def test_a_guest_reads_the_history(client, registered, guest):
    assert _page(_signed_in(client, guest), registered).status_code == 200


def test_signed_out_goes_to_sign_in(client, registered):
    response = _page(client, registered)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def _pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_holds_the_entries_and_its_download_is_audited_with_the_filters(
    client, registered, social_worker
):
    response = _signed_in(client, social_worker).get(
        reverse("case_history_pdf", args=[registered.id]),
        {"kinds": ["referral", "case", "visits"]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == (
        f'attachment; filename="case-history-{registered.reference.lower()}-2026-12-02.pdf"'
    )
    text = " ".join(_pdf_text(response.content).split())
    assert "OFFICIAL-SENSITIVE" in text
    assert "Referred to children's social care on 12 November 2026" in text
    assert "Introductory home visit on 22 November 2026" in text
    assert "Dating scan" in text
    exported = AuditEvent.objects.filter(
        case=registered, event_type=AuditEventType.HISTORY_EXPORTED
    ).get()
    assert exported.actor == social_worker
    assert exported.extra_data["filters"] == {
        "kinds": ["referral", "visits", "case"], "since": None, "until": None
    }  # fmt: skip
    assert exported.extra_data["entries"] == 4
    assert exported.extra_data["case"] == str(registered.id)


def test_the_case_page_shows_the_last_five_entries_and_links_the_full_history(
    client, registered, social_worker
):
    for n in range(4):
        services.case_update_details(
            actor=social_worker, context=None, case=registered,
            identified_date=TODAY - timedelta(days=40 + n),
        )  # fmt: skip

    response = _signed_in(client, social_worker).get(reverse("case_detail", args=[registered.id]))

    html = response.content.decode()
    assert html.count("Changed the date the pregnancy was identified") == 4
    assert "Expected due date revised to" in html
    assert "Registered the case" not in html  # the sixth
    assert reverse("case_history", args=[registered.id]) in html
    assert "Full case history" in html
    assert len(recent_history(registered)) == 5


def test_the_page_reads_the_same_number_of_queries_however_long_the_history(
    client, make_case, social_worker, team_manager
):
    def queries_for(changes: int) -> int:
        case = make_case(social_worker)
        for n in range(changes):
            services.case_update_details(
                actor=social_worker if n % 2 else team_manager, context=None, case=case,
                identified_date=TODAY - timedelta(days=40 + n),
            )  # fmt: skip
            audit_record(
                actor=team_manager, event_type=AuditEventType.ACTION_CHANGED, case=case,
                extra_data={"meeting": "m", "meeting_date": "2026-11-01", "action": "x",
                            "changes": {"status": {"before": "open", "after": "done"}}},
            )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            assert _page(client, case).status_code == 200
        with CaptureQueriesContext(connection) as pdf:
            client.get(reverse("case_history_pdf", args=[case.id]))
        with CaptureQueriesContext(connection) as case_page:
            client.get(reverse("case_detail", args=[case.id]))
        return len(captured), len(pdf), len(case_page)

    _signed_in(client, social_worker)
    assert queries_for(3) == queries_for(40)


def test_every_kind_of_audit_row_is_either_history_or_a_read():
    kinds = set(AuditEventType.values)
    history = set(history_entries.EVENT_CATEGORIES)
    assert history | history_entries.READS == kinds
    assert not history & history_entries.READS


@pytest.mark.parametrize("stage", ["cp_plan", "born_at_home", "loss", "parent_and_child"])
def test_the_demo_cases_have_a_sensible_history(
    make_user, social_worker, team_manager, locality, stage
):
    """Every entry of a demo case says something in words, on a day not after today,
    and the story starts with the case being registered."""
    team = {
        RoleCode.SOCIAL_WORKER: [social_worker, team_manager],
        RoleCode.MIDWIFE: [make_user("maria", RoleCode.MIDWIFE)],
        RoleCode.HEALTH_VISITOR: [make_user("hannah", RoleCode.HEALTH_VISITOR)],
    }
    fake = Faker("en_GB")
    fake.seed_instance(7)
    case = _seed_case(
        fake, random.Random(7), TODAY, LONDON, locality("mendip"), team,
        team[RoleCode.MIDWIFE][0], stage,
    )  # fmt: skip

    _, page = case_history(social_worker, case.id, context=None)

    labels = {str(label) for label in AuditEventType.labels}
    assert len(page.object_list) >= 3
    for entry in page.object_list:
        assert entry.summary and entry.summary not in labels, entry
        assert entry.happened_on <= TODAY, entry
        assert entry.who
    assert page.object_list[-1].event_type == AuditEventType.CASE_CREATED


def test_a_tracking_meeting_shows_in_the_familys_history(db):
    """What the meeting said about the family, its actions and the addendum, on the
    meeting's day, in words (meetings/services.py writes no summary of its own)."""
    from tests.meeting_fixtures import finalised_meeting

    built = finalised_meeting(families=2, day=TODAY - timedelta(days=7))
    case = built.discussions[0].case

    _, page = case_history(
        built.operations_manager, case.id, context=None,
        filters=HistoryFilters(kinds=("meetings",)),
    )  # fmt: skip

    summaries = [entry.summary for entry in page.object_list]
    meeting_day = "the tracking meeting on 25 November 2026"
    assert f"Discussed at {meeting_day}: current concerns and key points recorded" in summaries
    assert any(s.startswith(f"Addendum added to the record of {meeting_day}: ") for s in summaries)
    assert any(s.startswith(f"Action agreed at {meeting_day}: ") for s in summaries)
    discussed = next(e for e in page.object_list if e.summary.startswith("Discussed"))
    assert discussed.happened_on == TODAY - timedelta(days=7)
    assert any(line.startswith("Current concerns: ") for line in discussed.details)
    assert all(entry.category == "meetings" for entry in page.object_list)


HOSTILE = ["\x00", "a\x00b", "9" * 40, "-1", "0", "2026", "13", "x" * 5000, "\u202e", "😀",
           "<script>", "referral", "meetings", "", " ", "1e309", "２"]  # fmt: skip
FILTER_NAMES = ["kinds", "since_day", "since_month", "since_year", "until_day", "until_month",
                "until_year", "page", "other"]  # fmt: skip


@hypothesis.settings(
    max_examples=30, deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)  # fmt: skip
@hypothesis.given(
    params=st.dictionaries(
        st.sampled_from(FILTER_NAMES),
        st.lists(st.sampled_from(HOSTILE) | st.text(max_size=8), min_size=1, max_size=3),
    ),
    pdf=st.booleans(),
)
def test_hostile_filters_never_fail_the_page_or_the_pdf(
    client, registered, social_worker, params, pdf
):
    client.force_login(social_worker)
    name = "case_history_pdf" if pdf else "case_history"
    response = client.get(reverse(name, args=[registered.id]), params)
    assert response.status_code == 200
