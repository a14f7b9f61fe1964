"""Whether a case's facts could be true is decided once (rules/facts.py): the timeline
contract, the services and the forms all ask it."""

from datetime import date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.contract import FactsError, facts_from_json
from rules.facts import fact_problems
from rules.protocol import default_protocol
from rules.timeline import CaseFacts, compute_timeline

TODAY = date(2027, 3, 1)
EDD = date(2027, 6, 10)


def problems(**facts) -> dict[str, str]:
    found = fact_problems(CaseFacts(edd=facts.pop("edd", EDD), today=TODAY, **facts))
    return {problem.field: problem.message for problem in found}


def test_possible_facts_have_no_problems():
    assert problems(referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21)) == {}


def test_something_that_has_happened_cannot_be_in_the_future():
    found = problems(referral_date=TODAY + timedelta(days=1))

    assert found == {"referral_date": "The date of referral must be today or in the past"}


def test_an_allocation_needs_a_referral_on_or_before_it():
    assert (
        "allocated after it is referred"
        in problems(allocation_date=date(2027, 1, 21))["referral_date"]
    )
    assert problems(referral_date=date(2027, 1, 21), allocation_date=date(2027, 1, 20)) == {
        "allocation_date": "The date of allocation must be on or after the date of referral"
    }


def test_discharge_and_placement_need_a_live_birth_and_come_after_it():
    unborn = problems(discharge=datetime(2027, 2, 1, 10, 0), placement="home")
    assert set(unborn) == {"discharge", "placement"}

    born = problems(
        birth_date=date(2027, 2, 20),
        pregnancy_outcome="live_birth",
        planned_discharge_date=date(2027, 2, 19),
        placement_date=date(2027, 2, 22),
    )
    assert born["planned_discharge_date"] == (
        "The planned discharge date must be on or after the birth (20 February 2027)"
    )
    assert "choose where the baby is living" in born["placement_date"]


def test_dates_long_before_the_case_was_registered_are_refused():
    facts = CaseFacts(edd=EDD, today=TODAY, referral_date=date(1900, 1, 1))

    (problem,) = fact_problems(facts, registered_on=date(2026, 11, 23))

    assert problem.field == "referral_date"
    assert "no more than a year before the case was registered" in problem.message


def test_the_contract_reports_the_same_problem_in_the_same_words():
    data = {"edd": "2027-06-10", "today": "2027-03-01", "referral_date": "2027-03-02"}

    try:
        facts_from_json(data, default_today=TODAY)
    except FactsError as error:
        assert (error.field, error.message) == (
            "referral_date",
            "The date of referral must be today or in the past",
        )
    else:
        raise AssertionError("a referral tomorrow was accepted")


days = st.integers(min_value=-400, max_value=400).map(lambda n: TODAY + timedelta(days=n))


@given(
    referral=st.none() | days,
    allocation=st.none() | days,
    birth=st.none() | days,
    discharge=st.none() | days,
    placement=st.none() | st.sampled_from(["home", "wider_family", "foster", "parent_and_child"]),
    outcome=st.none() | st.sampled_from(["live_birth", "miscarriage", "neonatal_death"]),
)
def test_facts_without_problems_always_give_a_timeline(
    referral, allocation, birth, discharge, placement, outcome
):
    facts = CaseFacts(
        edd=EDD,
        today=TODAY,
        referral_date=referral,
        allocation_date=allocation,
        birth_date=birth,
        pregnancy_outcome=outcome,
        discharge=datetime.combine(discharge, datetime.min.time()) if discharge else None,
        placement=placement,
    )
    if fact_problems(facts):
        return
    timeline = compute_timeline(facts, default_protocol())
    assert all(result.status for result in timeline.milestones)
    # Nothing recorded as happening is later than today.
    for value in (referral, allocation, birth, discharge):
        assert value is None or value <= TODAY
