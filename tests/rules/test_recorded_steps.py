"""Milestones done by the work recorded in the service (`done_by = "record:<kind>"`).

The case: EDD 10 June 2027; referred Wednesday 20 January 2027, allocated Thursday 21
January, so the 10-day checkpoints are due Thursday 4 February 2027.
"""

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.contract import FactsError, facts_from_json, facts_to_json
from rules.protocol import OWNERS, STEP_KINDS, default_protocol
from rules.timeline import CaseFacts, RecordedStep, compute_timeline

PROTOCOL = default_protocol()
ALLOCATED = date(2027, 1, 21)
ASSESSING = CaseFacts(
    edd=date(2027, 6, 10),
    today=date(2027, 2, 10),
    referral_date=date(2027, 1, 20),
    allocation_date=ALLOCATED,
)


def done(facts: CaseFacts, milestone_id: str) -> date | None:
    return compute_timeline(facts, PROTOCOL).milestone(milestone_id).done


def with_steps(*steps: tuple[str, str, date], facts: CaseFacts = ASSESSING) -> CaseFacts:
    return replace(facts, steps=tuple(RecordedStep(k, a, d) for k, a, d in steps))


def test_a_social_workers_introductory_visit_does_the_introductory_home_visit():
    facts = with_steps(("visit_introductory", "csc", date(2027, 2, 1)))

    result = compute_timeline(facts, PROTOCOL).milestone("intro_home_visit")

    assert result.done == date(2027, 2, 1)
    assert result.status == "done"


def test_a_step_by_another_agency_does_not_do_the_owners_milestone():
    facts = with_steps(("visit_introductory", "midwifery", date(2027, 2, 1)))

    assert done(facts, "intro_home_visit") is None


def test_a_visit_before_the_allocation_is_some_other_visit():
    facts = with_steps(
        ("visit_introductory", "csc", date(2027, 1, 19)),
        ("visit_introductory", "csc", date(2027, 2, 3)),
    )

    assert done(facts, "intro_home_visit") == date(2027, 2, 3)


def test_the_earliest_step_counts_and_a_late_one_is_done_late():
    facts = with_steps(
        ("checkpoint_10_day", "csc", date(2027, 2, 9)),
        ("checkpoint_10_day", "csc", date(2027, 2, 8)),
    )

    result = compute_timeline(facts, PROTOCOL).milestone("checkpoint_10_day")

    assert result.due == date(2027, 2, 4)
    assert (result.done, result.status) == (date(2027, 2, 8), "done_late")


def test_an_authorised_assessment_completes_the_assessment():
    facts = with_steps(("assessment_authorised", "csc", date(2027, 3, 1)))

    assert done(replace(facts, today=date(2027, 3, 2)), "assessment_completed") == date(2027, 3, 1)


def test_the_48_hour_visit_counts_from_the_discharge_not_before_it():
    born = replace(
        ASSESSING,
        today=date(2027, 6, 14),
        birth_date=date(2027, 6, 10),
        pregnancy_outcome="live_birth",
        discharge=datetime(2027, 6, 12, 15, 0),
        placement="home",
    )
    before = with_steps(("visit_home", "csc", date(2027, 6, 11)), facts=born)
    after = with_steps(("visit_home", "csc", date(2027, 6, 13)), facts=born)

    assert done(before, "home_visit_48h") is None
    assert done(after, "home_visit_48h") == date(2027, 6, 13)


def test_a_milestone_recorded_by_hand_still_counts_without_a_step():
    facts = replace(ASSESSING, events={"genogram": date(2027, 2, 2)})

    assert done(facts, "genogram") == date(2027, 2, 2)


def test_a_recorded_step_is_preferred_to_a_hand_recorded_date():
    facts = replace(
        with_steps(("document_genogram", "csc", date(2027, 2, 5))),
        events={"genogram": date(2027, 2, 2)},
    )

    assert done(facts, "genogram") == date(2027, 2, 5)


def test_every_step_kind_does_a_milestone_of_the_default_protocol():
    used = {due.done_by_step for rule in PROTOCOL.milestones for due in rule.due_rules} - {None}

    assert used == STEP_KINDS


steps = st.lists(
    st.builds(
        RecordedStep,
        kind=st.sampled_from(sorted(STEP_KINDS)),
        agency=st.sampled_from(sorted(OWNERS)),
        on=st.dates(min_value=date(2027, 1, 1), max_value=date(2027, 2, 10)),
    ),
    max_size=8,
)


@given(steps=steps, more=steps)
def test_more_work_never_undoes_a_milestone_or_moves_it_later(steps, more):
    before = compute_timeline(replace(ASSESSING, steps=tuple(steps)), PROTOCOL)
    after = compute_timeline(replace(ASSESSING, steps=tuple(steps + more)), PROTOCOL)

    for result in before.milestones:
        if result.done is not None:
            assert after.milestone(result.id).done is not None
            assert after.milestone(result.id).done <= result.done


@given(steps=steps)
def test_a_milestone_done_by_a_step_is_done_on_a_day_its_owner_did_that_work(steps):
    timeline = compute_timeline(replace(ASSESSING, steps=tuple(steps)), PROTOCOL)
    rules = {rule.id: rule for rule in PROTOCOL.milestones}

    for result in timeline.milestones:
        kinds = {due.done_by_step for due in rules[result.id].due_rules} - {None}
        if not kinds:
            continue
        owner = rules[result.id].owner
        days = {s.on for s in steps if s.kind in kinds and s.agency == owner}
        assert result.done is None or result.done in days


def test_the_contract_reads_and_writes_steps():
    data = {
        "edd": "2027-06-10",
        "today": "2027-02-10",
        "referral_date": "2027-01-20",
        "allocation_date": "2027-01-21",
        "steps": [{"kind": "visit_introductory", "agency": "csc", "date": "2027-02-01"}],
    }

    facts = facts_from_json(data, PROTOCOL, default_today=date(2027, 2, 10))

    assert facts.steps == (RecordedStep("visit_introductory", "csc", date(2027, 2, 1)),)
    assert facts_to_json(facts)["steps"] == data["steps"]
    assert done(facts, "intro_home_visit") == date(2027, 2, 1)


@pytest.mark.parametrize(
    ("steps", "field"),
    [
        ({"kind": "visit_home"}, "steps"),
        (["visit_home"], "steps[0]"),
        ([{"kind": "tea", "agency": "csc", "date": "2027-02-01"}], "steps[0].kind"),
        ([{"kind": "visit_home", "agency": "police", "date": "2027-02-01"}], "steps[0].agency"),
        ([{"kind": "visit_home", "agency": "csc", "date": "1 Feb"}], "steps[0].date"),
        ([{"kind": "visit_home", "agency": "csc"}], "steps[0].date"),
        ([{"kind": "visit_home", "agency": "csc", "date": "2027-02-01", "by": "x"}],
         "steps[0].by"),
        ([{"kind": "visit_home", "agency": "csc", "date": "2027-03-01"}], "steps[0].date"),
    ],
)  # fmt: skip
def test_bad_steps_name_the_field(steps, field):
    data = {"edd": "2027-06-10", "today": "2027-02-10", "steps": steps}

    with pytest.raises(FactsError) as error:
        facts_from_json(data, PROTOCOL, default_today=date(2027, 2, 10))

    assert error.value.field == field


def test_the_visit_step_after_the_placement_does_the_foster_visit():
    fostered = replace(
        ASSESSING,
        today=date(2027, 6, 16),
        birth_date=date(2027, 6, 10),
        pregnancy_outcome="live_birth",
        discharge=datetime(2027, 6, 12, 10, 0),
        placement="foster",
        placement_date=date(2027, 6, 12),
    )
    facts = with_steps(("visit_foster", "csc", date(2027, 6, 12) + timedelta(days=2)),
                       facts=fostered)  # fmt: skip

    assert done(facts, "foster_visit_72h") == date(2027, 6, 14)
