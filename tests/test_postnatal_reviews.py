"""The child protection review conference and the parent and child mid-point review:
recorded by children's social care, each does its milestone; the mid-point review ends
the family's tracking."""

from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from audit.models import AuditEventType
from cases.services import case_facts_update
from postnatal import services
from postnatal.models import MidpointReview, ReviewConference
from tests import postnatal_cases
from tests.postnatal_cases import LONDON, audit_rows, date_fields, milestone, url

# The shared fixtures (tests/postnatal_cases.py), used by name.
_frozen = postnatal_cases._frozen
born = postnatal_cases.born
midwife = postnatal_cases.midwife
unborn = postnatal_cases.unborn

CONFERENCE = "postnatal_review_conference"
MIDPOINT = "postnatal_midpoint_review"


@pytest.fixture
def in_placement(born, social_worker):
    case_facts_update(
        actor=social_worker, context=None, case=born, placement="parent_and_child",
        placement_date=date(2027, 6, 9), discharge=datetime(2027, 6, 9, 9, tzinfo=LONDON),
    )  # fmt: skip
    return born


def test_the_review_conference_does_its_milestone(client, born, social_worker):
    row = milestone(born, "cp_review_conference")
    assert row.due_date == date(2027, 7, 6) and row.done_date is None
    with time_machine.travel(datetime(2027, 7, 1, 15, tzinfo=LONDON), tick=False):
        client.force_login(social_worker)  # signed in on the day: sessions expire
        response = client.post(url(CONFERENCE, born), {
            **date_fields("held_on", date(2027, 7, 1)), "outcome": "plan_continues",
            "notes": "Core group continues",
        })  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == url("postnatal_after_birth", born)
    row = milestone(born, "cp_review_conference")
    assert row.done_date == date(2027, 7, 1) and row.state == "done"
    recorded = audit_rows(born, AuditEventType.WORK_RECORDED)[-1]
    assert recorded.extra_data["summary"] == (
        "Child protection review conference on 1 July 2027: the child protection plan continues"
    )
    assert recorded.extra_data["record"] == "postnatal.reviewconference"
    assert recorded.extra_data["on"] == "2027-07-01"


def test_a_late_conference_is_done_late(born, social_worker):
    with time_machine.travel(datetime(2027, 7, 20, 15, tzinfo=LONDON), tick=False):
        services.review_conference_save(
            actor=social_worker, context=None, case=born, held_on=date(2027, 7, 12),
            outcome="plan_ended",
        )  # fmt: skip

    assert milestone(born, "cp_review_conference").state == "done_late"


def test_the_mid_point_review_does_its_milestone_and_ends_tracking(
    client, in_placement, social_worker
):
    assert milestone(in_placement, "pc_midpoint_review").due_date == date(2027, 8, 4)
    assert milestone(in_placement, "tracking_end").done_date is None
    with time_machine.travel(datetime(2027, 7, 28, 15, tzinfo=LONDON), tick=False):
        client.force_login(social_worker)
        response = client.post(url(MIDPOINT, in_placement), {
            **date_fields("held_on", date(2027, 7, 27)), "outcome": "returning_home",
            "notes": "",
        })  # fmt: skip
        page = client.get(url("postnatal_after_birth", in_placement)).content.decode()

    assert response.status_code == 302
    assert milestone(in_placement, "pc_midpoint_review").done_date == date(2027, 7, 27)
    assert milestone(in_placement, "tracking_end").done_date == date(2027, 7, 27)
    assert "Held 27 July 2027: parent and baby to return to the community." in page


def test_a_midwife_cannot_record_a_review(client, born, midwife):
    client.force_login(midwife)

    assert client.get(url(CONFERENCE, born)).status_code == 403
    assert client.post(url(MIDPOINT, born), {}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.review_conference_save(
            actor=midwife, context=None, case=born, held_on=date(2027, 6, 9),
            outcome="plan_continues",
        )  # fmt: skip
    assert not ReviewConference.objects.exists()


def test_an_outsider_gets_404(client, born, outsider):
    client.force_login(outsider)

    for name in (CONFERENCE, MIDPOINT, "postnatal_review_conference_withdraw",
                 "postnatal_midpoint_review_withdraw"):  # fmt: skip
        assert client.get(url(name, born)).status_code == 404
        assert client.post(url(name, born), {}).status_code == 404


def test_bad_input_is_refused_and_kept(client, born, social_worker):
    client.force_login(social_worker)

    page = client.post(url(CONFERENCE, born), {
        **date_fields("held_on", None) | {"held_on_day": "31", "held_on_month": "2",
                                          "held_on_year": "2027"},
        "outcome": "perhaps", "notes": "Typed notes",
    }).content.decode()  # fmt: skip

    assert "There is a problem" in page
    assert "Choose the outcome" in page
    assert 'href="#id_held_on_day"' in page
    assert "Typed notes" in page and 'value="31"' in page
    assert not ReviewConference.objects.exists()


def test_a_review_saved_unchanged_changes_nothing_and_changes_are_audited(
    client, born, social_worker
):
    record = services.review_conference_save(
        actor=social_worker, context=None, case=born, held_on=date(2027, 6, 9),
        outcome="plan_continues", notes="First",
    )  # fmt: skip
    client.force_login(social_worker)
    form = {**date_fields("held_on", date(2027, 6, 9)), "outcome": "plan_continues",
            "notes": "First"}  # fmt: skip

    assert client.post(url(CONFERENCE, born), form).status_code == 302
    assert audit_rows(born, AuditEventType.WORK_CHANGED) == []
    assert ReviewConference.objects.get().changed_at == record.changed_at

    client.post(url(CONFERENCE, born), {**form, "outcome": "plan_ended"})
    changed = audit_rows(born, AuditEventType.WORK_CHANGED)[-1]
    assert changed.extra_data["changes"] == {
        "outcome": {"before": "plan_continues", "after": "plan_ended"}}  # fmt: skip


def test_withdrawing_the_mid_point_review_reopens_tracking(in_placement, social_worker):
    with time_machine.travel(datetime(2027, 7, 28, 15, tzinfo=LONDON), tick=False):
        services.midpoint_review_save(actor=social_worker, context=None, case=in_placement,
                                      held_on=date(2027, 7, 27), outcome="continues")  # fmt: skip
        services.midpoint_review_withdraw(actor=social_worker, context=None, case=in_placement,
                                          reason="Wrong family")  # fmt: skip

    assert milestone(in_placement, "pc_midpoint_review").done_date is None
    assert milestone(in_placement, "tracking_end").done_date is None
    assert MidpointReview.objects.get().withdrawn_at is not None
