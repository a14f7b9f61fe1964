"""The stored timeline follows the facts, in the same transaction as every change."""

import io
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from audit.selectors import case_log_keys
from cases import services as case_services
from rules.gestation import date_at_gestation
from tests.milestone_ticks import REFUSED, done_by_step, old_tick
from timeline import services
from timeline.models import CaseMilestone, MilestoneEvent

TODAY = date(2027, 2, 15)
EDD = date(2027, 6, 10)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, 0, tzinfo=LONDON), tick=False):
        yield


def stored(case) -> dict[str, CaseMilestone]:
    return {row.milestone_id: row for row in CaseMilestone.objects.filter(case=case)}


@pytest.fixture
def referred(named_midwife, social_worker, make_case):
    case = make_case(named_midwife, edd=EDD, named_social_worker=social_worker)
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case,
        referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21), complex=True,
    )  # fmt: skip
    return case


def test_a_new_case_stores_its_referral_milestone(named_midwife, make_case):
    case = make_case(named_midwife, edd=EDD)

    rows = stored(case)
    assert list(rows) == ["referral"]
    assert rows["referral"].due_date == date_at_gestation(EDD, 16)
    assert case.protocol_version == services.active_protocol().version


def test_recording_the_referral_and_allocation_adds_the_assessment_milestones(referred):
    rows = stored(referred)

    assert rows["referral"].state == "done_late"
    assert rows["multi_agency_meeting"].due_date == date(2027, 2, 11)
    assert rows["multi_agency_meeting"].status_on(TODAY) == "overdue"
    event = AuditEvent.objects.get(case=referred, event_type=AuditEventType.FACTS_CHANGED)
    assert event.extra_data["changes"]["referral_date"] == {"before": None, "after": "2027-01-20"}


def test_revising_the_edd_moves_gestation_anchored_dates_by_the_same_days(referred, social_worker):
    before = stored(referred)["referral"].due_date

    case_services.edd_revise(
        actor=social_worker, context=None, case=referred, edd=EDD + timedelta(days=5),
        reason="Scan",
    )  # fmt: skip

    assert stored(referred)["referral"].due_date == before + timedelta(days=5)
    assert stored(referred)["multi_agency_meeting"].due_date == date(2027, 2, 11)


def test_a_change_and_its_timeline_are_saved_together_or_not_at_all(
    referred, social_worker, monkeypatch
):
    def broken(case, **kwargs):
        raise RuntimeError("engine failure")

    monkeypatch.setattr(case_services, "timeline_recompute", broken)

    with pytest.raises(RuntimeError):
        case_services.edd_revise(
            actor=social_worker, context=None, case=referred, edd=EDD + timedelta(days=5),
            reason="Scan",
        )  # fmt: skip

    referred.refresh_from_db()
    assert referred.edd == EDD
    assert referred.edd_revisions.count() == 1
    assert not AuditEvent.objects.filter(event_type=AuditEventType.EDD_REVISED).exists()


def test_a_loss_closes_every_open_milestone_at_once(referred, social_worker):
    case_services.outcome_record(
        actor=social_worker, context=None, case=referred, outcome="miscarriage",
        outcome_date=TODAY,
    )  # fmt: skip

    states = {row.milestone_id: row.state for row in stored(referred).values()}
    assert states["referral"] == "done_late"
    assert states["multi_agency_meeting"] == "closed"
    assert "open" not in states.values()


def test_a_milestone_done_by_its_work_is_not_ticked_by_hand_and_links_to_the_work(
    client, referred, social_worker
):
    client.force_login(social_worker)
    url = reverse("milestone_record", args=[referred.id, "multi_agency_meeting"])

    page = client.post(url, {"action": "done", "done_date_day": "10", "done_date_month": "2",
                             "done_date_year": "2027", "note": "All agencies came"},
                       follow=True)  # fmt: skip

    assert page.redirect_chain == [(url, 302)]
    assert REFUSED in page.content.decode()
    assert not MilestoneEvent.objects.filter(case=referred).exists()
    assert stored(referred)["multi_agency_meeting"].state == "open"
    shown = client.get(url).content.decode()
    assert "Record as done" not in shown
    assert "This is done by recording the work itself" in shown
    work = reverse("checkpoint_record", args=[referred.id, "multi_agency_meeting"])
    assert f'href="{work}"' in shown
    # Recording the work does it.
    done_by_step(referred, "multi_agency_meeting", date(2027, 2, 10))
    assert stored(referred)["multi_agency_meeting"].done_date == date(2027, 2, 10)


def test_undoing_an_old_hand_tick_keeps_the_history(client, referred, social_worker):
    # Ticked by hand before the work did it: still honoured, and can be undone.
    old_tick(referred, "multi_agency_meeting", date(2027, 2, 10), social_worker,
             note="All agencies came")  # fmt: skip
    assert stored(referred)["multi_agency_meeting"].state == "done"
    client.force_login(social_worker)
    url = reverse("milestone_record", args=[referred.id, "multi_agency_meeting"])
    assert "Undo this" in client.get(url).content.decode()

    client.post(url, {"action": "undo"})

    row = stored(referred)["multi_agency_meeting"]
    assert (row.state, row.done_date) == ("open", None)
    event = MilestoneEvent.objects.get(case=referred, milestone_id="multi_agency_meeting")
    assert event.withdrawn_by == social_worker
    assert event.note == "All agencies came"
    types = AuditEvent.objects.filter(case=referred).values_list("event_type", flat=True)
    assert "milestone_undone" in set(types)


def test_marking_not_applicable_needs_a_reason(client, referred, social_worker):
    client.force_login(social_worker)
    url = reverse("milestone_record", args=[referred.id, "family_network"])

    empty = client.post(url, {"action": "not_applicable", "reason": ""})
    client.post(url, {"action": "not_applicable", "reason": "Family declined an FGC"})

    assert "Enter why this milestone does not apply" in empty.content.decode()
    row = stored(referred)["family_network"]
    assert (row.state, row.not_applicable_reason) == ("not_applicable", "Family declined an FGC")


def test_the_service_refuses_a_hand_tick_whatever_the_date(referred, social_worker):
    # Checked before the date: a milestone done by its work has no date of its own to type.
    for day in (date(2027, 2, 10), date(2027, 3, 1)):
        with pytest.raises(ValidationError, match=REFUSED):
            services.milestone_record_done(
                actor=social_worker, context=None, case=referred, milestone_id="genogram",
                done_date=day,
            )  # fmt: skip
    assert stored(referred)["genogram"].state == "open"
    assert not AuditEvent.objects.filter(case=referred, event_type="milestone_done").exists()


def test_a_guest_can_see_the_timeline_but_not_record_progress(client, referred, guest):
    client.force_login(guest)
    url = reverse("milestone_record", args=[referred.id, "genogram"])

    assert client.get(reverse("case_timeline", args=[referred.id])).status_code == 200
    assert client.post(url, {"action": "not_applicable", "reason": "x"}).status_code == 403
    assert stored(referred)["genogram"].state == "open"


@pytest.mark.parametrize("page", ["case_timeline", "case_facts_change"])
def test_an_outsider_gets_not_found_for_timeline_pages(client, referred, outsider, page):
    client.force_login(outsider)

    assert client.get(reverse(page, args=[referred.id])).status_code == 404
    milestone = reverse("milestone_record", args=[referred.id, "genogram"])
    assert client.post(milestone, {"action": "undo"}).status_code == 404


def test_the_facts_page_shows_the_referral_and_decisions_and_links_to_their_records(
    client, referred, social_worker, team_manager
):
    client.force_login(social_worker)

    page = client.get(reverse("case_facts_change", args=[referred.id])).content.decode()

    # Shown, not boxes: each is changed on its own record, so record and case agree.
    for name in ("referral_date_day", "allocation_date_day", "strategy_discussion_date_day",
                 "decisions"):  # fmt: skip
        assert f'name="{name}"' not in page
    assert "20 January 2027" in page and "21 January 2027" in page
    assert reverse("referral_change", args=[referred.id]) in page
    assert reverse("plans_index", args=[referred.id]) in page
    # Before the birth there is nothing to type here, so no form to save.
    assert 'name="version"' not in page
    # Allocation is a team manager's: only they are offered it.
    assert reverse("case_allocate", args=[referred.id]) not in page
    client.force_login(team_manager)
    page = client.get(reverse("case_facts_change", args=[referred.id])).content.decode()
    assert reverse("case_allocate", args=[referred.id]) in page


def test_posting_old_referral_fields_to_the_facts_page_changes_nothing(
    client, referred, social_worker
):
    client.force_login(social_worker)
    before = {name: getattr(referred, name) for name in case_services.FACT_FIELDS}
    events = AuditEvent.objects.filter(case=referred).exclude(event_type="case_viewed").count()

    client.post(reverse("case_facts_change", args=[referred.id]), {
        "version": referred.version,
        "referral_date_day": "1", "referral_date_month": "1", "referral_date_year": "2027",
        "allocation_date_day": "", "decisions": ["significant_harm", "bla_panel"],
    })  # fmt: skip

    referred.refresh_from_db()
    assert {name: getattr(referred, name) for name in case_services.FACT_FIELDS} == before
    assert stored(referred)["referral"].done_date == date(2027, 1, 20)
    assert (
        AuditEvent.objects.filter(case=referred).exclude(event_type="case_viewed").count() == events
    )


def test_a_referral_milestone_links_to_the_referral_not_to_a_date_box(
    client, referred, social_worker, named_midwife
):
    url = reverse("milestone_record", args=[referred.id, "referral"])
    client.force_login(social_worker)
    assert reverse("referral_change", args=[referred.id]) in client.get(url).content.decode()

    client.force_login(named_midwife)  # sees the milestone, may not record the referral
    page = client.get(url).content.decode()
    assert reverse("referral_change", args=[referred.id]) not in page
    assert reverse("case_facts_change", args=[referred.id]) not in page


def test_the_timeline_command_prints_a_stored_cases_timeline(referred):
    out = io.StringIO()

    call_command("timeline", case=referred.reference, stdout=out)

    timeline = json.loads(out.getvalue())
    assert timeline["team"] == "safeguarding"
    assert timeline["late_referral_days"] == 27


def test_the_timeline_command_names_the_bad_field_and_exits_2(tmp_path):
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"edd": "2027-06-10", "complex": "very"}))
    err = io.StringIO()

    with pytest.raises(SystemExit) as exit_info:
        call_command("timeline", str(facts), stderr=err)

    assert exit_info.value.code == 2
    assert err.getvalue().startswith("error: complex: must be true or false")


def test_switching_protocol_and_recomputing_moves_only_the_changed_milestones(
    referred, social_worker, settings
):
    case_services.case_facts_update(
        actor=social_worker, context=None, case=referred, significant_harm=True, bla_panel=True,
    )  # fmt: skip
    before = {k: (r.due_date, r.state) for k, r in stored(referred).items()}
    settings.PREBIRTH_PROTOCOL = "example_alternative"
    out = io.StringIO()

    call_command("recompute_timelines", stdout=out)

    after = {k: (r.due_date, r.state) for k, r in stored(referred).items()}
    moved = {k for k in before if before[k] != after[k]}
    assert moved == {"icpc", "birth_plan", "bla_panel"}
    assert after["icpc"][0] == date_at_gestation(EDD, 30)
    assert after["bla_panel"][0] == date_at_gestation(EDD, 32)
    referred.refresh_from_db()
    assert referred.protocol_version == "0.1.0-example"
    assert "1 with due dates that moved" in out.getvalue()
    assert "icpc: 1 case" in out.getvalue()
    # The run is in the audit log, and in the log of each case it moved.
    run = AuditEvent.objects.get(event_type=AuditEventType.TIMELINES_RECOMPUTED)
    assert run.actor_username == "manage.py recompute_timelines"
    protocol = services.active_protocol()
    assert (run.extra_data["protocol"], run.extra_data["version"]) == (
        protocol.name,
        "0.1.0-example",
    )
    assert run.extra_data["case_ids"] == [str(referred.id)]
    assert run.extra_data["moved"] == {"bla_panel": 1, "birth_plan": 1, "icpc": 1}
    assert run.pk in {pk for _, pk in case_log_keys(referred.id)}


def test_the_timeline_page_shows_the_protocol_version_and_warns_when_it_is_stale(
    client, referred, social_worker, settings
):
    client.force_login(social_worker)
    url = reverse("case_timeline", args=[referred.id])

    assert "version 1.0.0" in client.get(url).content.decode()
    settings.PREBIRTH_PROTOCOL = "example_alternative"
    page = client.get(url).content.decode()

    assert "worked out with protocol version 1.0.0" in page
    assert "now uses version 0.1.0-example" in page


def test_a_milestone_the_protocol_in_use_no_longer_has_still_opens(client, referred, social_worker):
    CaseMilestone.objects.filter(case=referred, milestone_id="genogram").update(
        milestone_id="retired_milestone"
    )
    client.force_login(social_worker)

    response = client.get(reverse("milestone_record", args=[referred.id, "retired_milestone"]))

    assert response.status_code == 200
    assert "earlier version of the procedure" in response.content.decode()


def test_my_work_sorts_by_edd_both_ways(client, referred, social_worker, make_case, named_midwife):
    later = make_case(
        named_midwife, edd=EDD + timedelta(days=30), named_social_worker=social_worker
    )
    # Referred, so it has the social worker's own (CSC) milestones overdue in my work.
    case_services.case_facts_update(
        actor=social_worker, context=None, case=later, referral_date=date(2027, 1, 20),
        allocation_date=date(2027, 1, 21),
    )  # fmt: skip
    client.force_login(social_worker)

    first_case = {
        sort: client.get(reverse("my_work"), {"sort": sort}).context["page_obj"][0].case_id
        for sort in ("edd", "-edd")
    }

    assert first_case == {"edd": referred.id, "-edd": later.id}


def test_the_timeline_page_counts_a_late_referral_from_the_referral_milestones_due_date(
    client, referred, social_worker
):
    client.force_login(social_worker)

    page = client.get(reverse("case_timeline", args=[referred.id])).content.decode()

    assert "27 days after it was due (24 December 2026)" in page
    assert "16 weeks" not in page
