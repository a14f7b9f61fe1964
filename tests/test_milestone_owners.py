"""Each milestone belongs to an agency: My work shows a person their own agency's steps,
and only the owning agency records a milestone done, not applicable or undone."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from tests.milestone_ticks import REFUSED, done_by_step, old_tick
from timeline import services
from timeline.models import CaseMilestone, MilestoneEvent

LONDON = ZoneInfo("Europe/London")
EDD = date(2027, 6, 10)
DONE = {"action": "done", "done_date_day": "10", "done_date_month": "2",
        "done_date_year": "2027"}  # fmt: skip


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def assessing(named_midwife, social_worker, make_case):
    """Referred late (20 January), allocated the next day: CSC's checkpoints are overdue."""
    case = make_case(named_midwife, edd=EDD, named_social_worker=social_worker,
                     named_midwife=named_midwife)  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=date(2027, 1, 20),
        allocation_date=date(2027, 1, 21),
    )  # fmt: skip
    return case


@pytest.fixture
def not_referred(named_midwife, social_worker, make_case):
    """Past 16 weeks with no referral: the referral, midwifery's step, is overdue."""
    return make_case(named_midwife, edd=EDD, named_social_worker=social_worker,
                     named_midwife=named_midwife, family_name="Norton")  # fmt: skip


def my_work(client, user) -> set[tuple[str, str]]:
    client.force_login(user)
    return {(str(row.case_id), row.milestone_id)
            for row in client.get(reverse("my_work")).context["page_obj"]}  # fmt: skip


def test_stored_milestones_carry_the_agency_that_owns_them(assessing):
    owners = dict(CaseMilestone.objects.filter(case=assessing).values_list("milestone_id",
                                                                            "owner"))  # fmt: skip

    assert owners["referral"] == "midwifery"
    assert owners["checkpoint_10_day"] == owners["genogram"] == owners["allocation"] == "csc"


def test_a_midwifes_my_work_has_no_csc_milestones(client, named_midwife, assessing, not_referred):
    listed = my_work(client, named_midwife)

    assert listed == {(str(not_referred.id), "referral")}
    owners = set(CaseMilestone.objects.filter(milestone_id__in=[m for _, m in listed])
                 .values_list("owner", flat=True))  # fmt: skip
    assert owners == {"midwifery"}
    client.force_login(named_midwife)
    counts = client.get(reverse("my_work")).context["counts"]
    assert counts == {"overdue": 1, "due_soon": 0}


def test_a_social_workers_my_work_has_the_csc_milestones_not_midwiferys(
    client, social_worker, assessing, not_referred
):
    listed = my_work(client, social_worker)

    assert (str(assessing.id), "checkpoint_10_day") in listed
    assert (str(not_referred.id), "referral") not in listed


def test_a_midwife_posting_done_on_a_csc_milestone_is_refused_and_nothing_changes(
    client, named_midwife, assessing
):
    client.force_login(named_midwife)
    url = reverse("milestone_record", args=[assessing.id, "checkpoint_10_day"])

    response = client.post(url, DONE)
    not_applicable = client.post(url, {"action": "not_applicable", "reason": "Not ours"})

    assert response.status_code == not_applicable.status_code == 403
    row = CaseMilestone.objects.get(case=assessing, milestone_id="checkpoint_10_day")
    assert (row.state, row.done_date) == ("open", None)
    assert not MilestoneEvent.objects.filter(case=assessing).exists()
    assert not AuditEvent.objects.filter(
        case=assessing, event_type=AuditEventType.MILESTONE_DONE
    ).exists()


def test_the_social_worker_is_sent_to_record_the_work_not_to_tick_it(
    client, social_worker, assessing
):
    client.force_login(social_worker)
    url = reverse("milestone_record", args=[assessing.id, "checkpoint_10_day"])

    response = client.post(url, DONE, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert REFUSED in response.content.decode()
    assert not MilestoneEvent.objects.filter(case=assessing).exists()
    work = reverse("checkpoint_record", args=[assessing.id, "checkpoint_10_day"])
    assert f'href="{work}"' in client.get(url).content.decode()
    # Recorded by CSC, the checkpoint does the milestone.
    done_by_step(assessing, "checkpoint_10_day", date(2027, 2, 10))
    row = CaseMilestone.objects.get(case=assessing, milestone_id="checkpoint_10_day")
    assert (row.state, row.done_date) == ("done_late", date(2027, 2, 10))


def test_only_the_owning_agency_undoes_what_was_recorded(
    client, social_worker, named_midwife, assessing
):
    old_tick(assessing, "genogram", date(2027, 2, 10), social_worker)
    client.force_login(named_midwife)

    response = client.post(reverse("milestone_record", args=[assessing.id, "genogram"]),
                           {"action": "undo"})  # fmt: skip

    assert response.status_code == 403
    assert MilestoneEvent.objects.get(case=assessing, milestone_id="genogram").withdrawn_at is None
    with pytest.raises(PermissionDenied):
        services.milestone_undo(
            actor=named_midwife, context=None, case=assessing, milestone_id="genogram"
        )


def test_the_service_refuses_another_agency_whoever_calls_it(named_midwife, assessing):
    with pytest.raises(PermissionDenied, match="Only children's social care records"):
        services.milestone_record_done(
            actor=named_midwife, context=None, case=assessing, milestone_id="checkpoint_10_day",
            done_date=date(2027, 2, 10),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.milestone_mark_not_applicable(
            actor=named_midwife, context=None, case=assessing, milestone_id="genogram",
            reason="Not ours",
        )  # fmt: skip


def test_another_agency_sees_the_milestone_and_who_records_it_without_the_buttons(
    client, named_midwife, social_worker, assessing
):
    client.force_login(named_midwife)
    url = reverse("milestone_record", args=[assessing.id, "checkpoint_10_day"])
    work = reverse("checkpoint_record", args=[assessing.id, "checkpoint_10_day"])

    page = client.get(url).content.decode()

    assert "Overdue" in page
    assert "Children&#x27;s Social Care records this step" in page
    assert "Record as done" not in page
    assert "Mark as not applicable" not in page
    assert work not in page
    client.force_login(social_worker)
    own = client.get(url).content.decode()
    assert f'href="{work}"' in own
    assert "Mark as not applicable" in own
    assert "Record as done" not in own


def test_the_milestone_page_names_the_agency_responsible(client, named_midwife, not_referred):
    client.force_login(named_midwife)

    page = client.get(reverse("milestone_record", args=[not_referred.id, "referral"]))

    assert page.context["owner_name"] == "Midwifery"
    assert "Agency responsible" in page.content.decode()
