"""The steps a record establishes move the stored timeline (timeline.services.steps_sync)."""

import uuid
from datetime import date

import pytest
import time_machine

from cases import services
from timeline.models import CaseMilestone, CaseStep, MilestoneState
from timeline.services import steps_sync

TODAY = date(2027, 2, 10)


@pytest.fixture
def allocated(make_case, social_worker):
    with time_machine.travel(TODAY, tick=False):
        case = make_case(social_worker, edd=date(2027, 6, 10), identified_date=date(2027, 1, 5))
        services.case_facts_update(
            actor=social_worker, context=None, case=case,
            referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21),
        )  # fmt: skip
    return case


def stored(case, milestone_id):
    return CaseMilestone.objects.get(case=case, milestone_id=milestone_id)


@time_machine.travel(TODAY, tick=False)
def test_a_step_does_its_milestone_and_withdrawing_it_reopens_it(allocated):
    record = uuid.uuid4()

    changed = steps_sync(allocated, source="tests.visit", source_id=record,
                         steps=[("visit_introductory", "csc", date(2027, 2, 1))])  # fmt: skip

    assert changed
    row = stored(allocated, "intro_home_visit")
    assert (row.state, row.done_date) == (MilestoneState.DONE, date(2027, 2, 1))

    steps_sync(allocated, source="tests.visit", source_id=record, steps=[])

    row = stored(allocated, "intro_home_visit")
    assert (row.state, row.done_date) == (MilestoneState.OPEN, None)
    assert not CaseStep.objects.filter(case=allocated).exists()


@time_machine.travel(TODAY, tick=False)
def test_a_corrected_date_moves_the_done_date_and_the_same_steps_change_nothing(allocated):
    record = uuid.uuid4()
    steps_sync(allocated, source="tests.meeting", source_id=record,
               steps=[("checkpoint_10_day", "csc", date(2027, 2, 3))])  # fmt: skip

    assert steps_sync(allocated, source="tests.meeting", source_id=record,
                      steps=[("checkpoint_10_day", "csc", date(2027, 2, 8))])  # fmt: skip
    assert not steps_sync(allocated, source="tests.meeting", source_id=record,
                          steps=[("checkpoint_10_day", "csc", date(2027, 2, 8))])  # fmt: skip

    row = stored(allocated, "checkpoint_10_day")
    assert (row.state, row.done_date) == (MilestoneState.DONE_LATE, date(2027, 2, 8))
    assert CaseStep.objects.filter(case=allocated).count() == 1


@time_machine.travel(TODAY, tick=False)
def test_two_records_of_one_kind_the_earliest_counts_until_it_is_withdrawn(allocated):
    first, second = uuid.uuid4(), uuid.uuid4()
    steps_sync(allocated, source="tests.doc", source_id=first,
               steps=[("document_genogram", "csc", date(2027, 2, 2))])  # fmt: skip
    steps_sync(allocated, source="tests.doc", source_id=second,
               steps=[("document_genogram", "csc", date(2027, 2, 9))])  # fmt: skip

    assert stored(allocated, "genogram").done_date == date(2027, 2, 2)

    steps_sync(allocated, source="tests.doc", source_id=first, steps=[])

    assert stored(allocated, "genogram").done_date == date(2027, 2, 9)


@time_machine.travel(TODAY, tick=False)
def test_an_unknown_step_is_refused(allocated):
    with pytest.raises(ValueError, match="unknown step"):
        steps_sync(allocated, source="tests.x", source_id=uuid.uuid4(),
                   steps=[("tea", "csc", TODAY)])  # fmt: skip

    assert not CaseStep.objects.exists()
