"""The tracking meeting's cohort rule (Terms of Reference 4.4): worked examples at every
edge, then properties for any case and any meeting day."""

import re
import tomllib
from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.cohort import CohortDecision, cohort_decision, earliest_community_birth
from rules.csc import LEVELS, OPEN_TO_CSC
from rules.protocol import PROTOCOLS_DIR, parse_protocol
from rules.timeline import LOSSES, CaseFacts, NotApplicable

MEETING = date(2027, 7, 6)  # a Tuesday
EDD = date(2027, 6, 10)
REFERRED = date(2027, 1, 20)
COMMUNITY = (None, "home", "wider_family", "foster")
CP = "child_protection"


def unborn(**changes) -> CaseFacts:
    return CaseFacts(**{"edd": EDD, "today": MEETING, "referral_date": REFERRED, **changes})


def born(days_before_meeting: int, placement: str | None = None, **changes) -> CaseFacts:
    birth = MEETING - timedelta(days=days_before_meeting)
    given = {"birth_date": birth, "pregnancy_outcome": "live_birth", "placement": placement,
             "placement_date": birth if placement else None}  # fmt: skip
    return unborn(**{**given, **changes})


def in_placement(days_before_meeting: int, review=None, **changes) -> CaseFacts:
    events = {} if review is None else {"pc_midpoint_review": review}
    return born(days_before_meeting, "parent_and_child", events=events, **changes)


def decide(facts: CaseFacts, level: str = CP, meeting: date = MEETING, **options):
    return cohort_decision(facts, level, meeting, **options)


# Unborn


def test_an_unborn_baby_open_to_csc_is_in_the_cohort():
    assert decide(unborn()) == CohortDecision(
        True, "Unborn, open to children's social care (child protection plan)"
    )


@pytest.mark.parametrize(
    ("level", "words"),
    [
        ("assessment", "assessment"),
        ("child_in_need", "Child in Need"),
        ("child_protection", "child protection plan"),
        ("pre_proceedings", "pre-proceedings"),
        ("care_proceedings", "care proceedings"),
        ("cla_parent_and_child", "looked after in a parent and child placement"),
    ],
)
def test_every_open_level_puts_an_unborn_baby_in_and_says_which(level, words):
    assert decide(unborn(), level) == CohortDecision(
        True, f"Unborn, open to children's social care ({words})"
    )


def test_the_examples_cover_every_open_level():
    levels = test_every_open_level_puts_an_unborn_baby_in_and_says_which.pytestmark[0].args[1]
    assert {level for level, _ in levels} == OPEN_TO_CSC


def test_an_unborn_baby_past_its_due_date_is_still_unborn_until_a_birth_is_recorded():
    assert decide(unborn(), meeting=EDD + timedelta(days=20)).in_cohort


def test_a_baby_born_after_the_meeting_was_unborn_on_the_meeting_day():
    facts = born(-3, today=MEETING + timedelta(days=3))

    assert decide(facts) == CohortDecision(
        True, "Unborn, open to children's social care (child protection plan)"
    )


# Born, in the community


@pytest.mark.parametrize("placement", COMMUNITY)
def test_born_in_the_community_28_days_before_the_meeting_is_in(placement):
    assert decide(born(28, placement)) == CohortDecision(
        True,
        "Born 8 June 2027, 28 days before the meeting: within 28 days of birth in the community",
    )


@pytest.mark.parametrize("placement", COMMUNITY)
def test_born_in_the_community_29_days_before_the_meeting_is_out(placement):
    assert decide(born(29, placement)) == CohortDecision(
        False,
        "Born 7 June 2027, 29 days before the meeting: more than 28 days after birth in the"
        " community",
    )


def test_born_on_the_day_of_the_meeting_is_in():
    assert decide(born(0)) == CohortDecision(
        True,
        "Born 6 July 2027, the day of the meeting: within 28 days of birth in the community",
    )


def test_born_the_day_before_the_meeting_says_one_day():
    assert decide(born(1, "home")).reason == (
        "Born 5 July 2027, 1 day before the meeting: within 28 days of birth in the community"
    )


def test_a_birth_with_no_outcome_recorded_counts_as_born():
    facts = replace(born(10), pregnancy_outcome=None)

    assert decide(facts).reason.startswith("Born 26 June 2027, 10 days before the meeting")


# Born, in a parent and child placement


def test_in_a_placement_before_the_mid_point_review_is_in():
    expected = CohortDecision(
        True, "In a parent and child placement; mid-point review not yet held"
    )

    assert decide(in_placement(10)) == expected
    # Long after 28 days: the placement, not the birth, decides.
    assert decide(in_placement(60)) == expected


def test_in_a_placement_with_the_review_held_after_the_meeting_is_in():
    facts = in_placement(45, MEETING + timedelta(days=1), today=MEETING + timedelta(days=1))

    assert decide(facts) == CohortDecision(
        True, "In a parent and child placement; mid-point review not yet held"
    )


def test_in_a_placement_on_the_day_the_review_is_held_is_out():
    assert decide(in_placement(45, MEETING)) == CohortDecision(
        False, "Parent and child placement's mid-point review held on 6 July 2027"
    )


def test_in_a_placement_after_the_review_was_held_is_out():
    assert decide(in_placement(60, MEETING - timedelta(days=10))) == CohortDecision(
        False, "Parent and child placement's mid-point review held on 26 June 2027"
    )


def test_a_review_held_within_28_days_of_the_birth_still_ends_it():
    assert not decide(in_placement(20, MEETING - timedelta(days=1))).in_cohort


def test_a_review_not_applicable_falls_back_to_28_days_after_the_birth():
    review = NotApplicable("Placement ended after two weeks")

    assert decide(in_placement(28, review)) == CohortDecision(
        True,
        "Born 8 June 2027, 28 days before the meeting: within 28 days of birth (the parent and"
        " child placement's mid-point review is not applicable)",
    )
    assert decide(in_placement(29, review)) == CohortDecision(
        False,
        "Born 7 June 2027, 29 days before the meeting: more than 28 days after birth (the parent"
        " and child placement's mid-point review is not applicable)",
    )


def test_a_review_recorded_without_a_parent_and_child_placement_is_ignored():
    facts = born(29, "home", events={"pc_midpoint_review": MEETING - timedelta(days=40)})

    assert decide(facts).reason.endswith("more than 28 days after birth in the community")


# Out: not open, closed, a loss


def test_not_referred_to_csc_is_out_saying_so():
    facts = unborn(referral_date=None)

    assert decide(facts, "none") == CohortDecision(
        False, "Not referred to children's social care yet"
    )


def test_referred_after_the_meeting_was_not_referred_on_the_meeting_day():
    facts = unborn(referral_date=MEETING + timedelta(days=1), today=MEETING + timedelta(days=1))

    assert decide(facts, "none").reason == "Not referred to children's social care yet"


def test_referred_but_not_open_is_out():
    assert decide(unborn(), "none") == CohortDecision(False, "Not open to children's social care")
    assert decide(born(3), "none") == CohortDecision(False, "Not open to children's social care")


@pytest.mark.parametrize("facts", [unborn(), born(3), in_placement(10), unborn(referral_date=None)])
def test_closed_to_csc_is_out(facts):
    assert decide(facts, "closed") == CohortDecision(False, "Closed to children's social care")


@pytest.mark.parametrize(
    ("outcome", "reason"),
    [
        ("miscarriage", "The pregnancy ended (miscarriage)"),
        ("stillbirth", "The pregnancy ended (stillbirth)"),
        ("termination", "The pregnancy ended (termination)"),
        ("neonatal_death", "The baby died after the birth (neonatal death)"),
    ],
)
@pytest.mark.parametrize("level", [CP, "none", "closed"])
def test_a_pregnancy_that_ended_in_a_loss_is_out_whatever_the_level(outcome, reason, level):
    facts = (
        born(3, pregnancy_outcome=outcome)
        if outcome == "neonatal_death"
        else unborn(pregnancy_outcome=outcome)
    )

    assert decide(facts, level) == CohortDecision(False, reason)


def test_the_loss_examples_cover_every_loss():
    parameters = test_a_pregnancy_that_ended_in_a_loss_is_out_whatever_the_level.pytestmark
    outcomes = next(mark.args[1] for mark in parameters if mark.args[0] == ("outcome", "reason"))
    assert {outcome for outcome, _ in outcomes} == LOSSES


def test_a_neonatal_death_in_a_placement_is_out():
    facts = in_placement(5, pregnancy_outcome="neonatal_death")

    assert not decide(facts).in_cohort


# The meeting's day, the protocol, the level


def test_the_meeting_day_defaults_to_the_facts_today():
    facts = born(29, today=MEETING - timedelta(days=1))

    assert cohort_decision(facts, CP).in_cohort
    assert not cohort_decision(facts, CP, MEETING).in_cohort


def test_an_unknown_level_is_refused():
    with pytest.raises(ValueError, match="Unknown level of CSC input 'open'"):
        decide(unborn(), "open")


def protocol_with_community_days(days: int):
    data = tomllib.loads((PROTOCOLS_DIR / "default.toml").read_text("utf-8"))
    tracking_end = next(m for m in data["milestones"] if m["id"] == "tracking_end")
    birth_rule = next(rule for rule in tracking_end["due"] if rule["anchor"] == "birth")
    birth_rule["offset"] = days
    return parse_protocol(data)


def test_the_days_in_the_community_come_from_the_protocol():
    protocol = protocol_with_community_days(42)

    assert decide(born(42), protocol=protocol) == CohortDecision(
        True,
        "Born 25 May 2027, 42 days before the meeting: within 42 days of birth in the community",
    )
    assert not decide(born(43), protocol=protocol).in_cohort
    assert earliest_community_birth(MEETING, protocol) == MEETING - timedelta(days=42)


def test_the_earliest_community_birth_is_28_days_before_the_meeting():
    assert earliest_community_birth(MEETING) == date(2027, 6, 8)


# Properties


PLACEMENTS = (*COMMUNITY, "parent_and_child")


@st.composite
def cases(draw):
    """Any case on any meeting day: born or not, any placement, the review held or not."""
    edd = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))
    meeting = edd + timedelta(days=draw(st.integers(-250, 120)))
    referral = draw(st.none() | st.integers(-250, 60).map(lambda n: edd + timedelta(days=n)))
    outcome = draw(st.sampled_from([None, "live_birth", *sorted(LOSSES)]))
    birth = None
    if outcome in {None, "live_birth", "neonatal_death"} and draw(st.booleans()):
        birth = edd + timedelta(days=draw(st.integers(-60, 20)))
    placement = draw(st.sampled_from(PLACEMENTS)) if birth is not None else None
    events = {}
    if placement == "parent_and_child":
        review = draw(
            st.none()
            | st.just(NotApplicable("Not needed"))
            | st.integers(0, 90).map(lambda n: birth + timedelta(days=n))
        )
        if review is not None:
            events["pc_midpoint_review"] = review
    facts = CaseFacts(
        edd=edd,
        today=meeting + timedelta(days=draw(st.integers(-30, 30))),
        referral_date=referral,
        birth_date=birth,
        pregnancy_outcome=outcome,
        placement=placement,
        events=events,
    )
    return facts, draw(st.sampled_from(LEVELS)), meeting


def open_and_ongoing(facts: CaseFacts, level: str) -> bool:
    return level in OPEN_TO_CSC and facts.pregnancy_outcome not in LOSSES


def born_by(facts: CaseFacts, meeting: date) -> bool:
    return facts.birth_date is not None and facts.birth_date <= meeting


def in_the_community(facts: CaseFacts) -> bool:
    """Living in the community, for the rule: any placement but a parent and child one,
    or one whose mid-point review does not apply."""
    review = facts.events.get("pc_midpoint_review")
    return facts.placement != "parent_and_child" or isinstance(review, NotApplicable)


@settings(max_examples=500, deadline=None)
@given(cases())
def test_never_in_when_not_open_or_after_a_loss(case):
    facts, level, meeting = case

    if level not in OPEN_TO_CSC or facts.pregnancy_outcome in LOSSES:
        assert not cohort_decision(facts, level, meeting).in_cohort


@settings(max_examples=500, deadline=None)
@given(cases())
def test_open_and_unborn_on_the_meeting_day_is_always_in(case):
    facts, level, meeting = case

    if open_and_ongoing(facts, level) and not born_by(facts, meeting):
        assert cohort_decision(facts, level, meeting).in_cohort


@settings(max_examples=500, deadline=None)
@given(cases())
def test_born_in_the_community_is_in_exactly_within_28_days_of_the_birth(case):
    facts, level, meeting = case

    if open_and_ongoing(facts, level) and born_by(facts, meeting) and in_the_community(facts):
        assert facts.birth_date is not None
        age = (meeting - facts.birth_date).days
        decision = cohort_decision(facts, level, meeting)
        assert decision.in_cohort == (0 <= age <= 28)
        assert decision.in_cohort == (facts.birth_date >= earliest_community_birth(meeting))


@settings(max_examples=500, deadline=None)
@given(cases())
def test_in_a_placement_is_in_exactly_until_the_review_is_held(case):
    facts, level, meeting = case
    review = facts.events.get("pc_midpoint_review")

    if open_and_ongoing(facts, level) and born_by(facts, meeting) and not in_the_community(facts):
        held = isinstance(review, date) and review <= meeting
        assert cohort_decision(facts, level, meeting).in_cohort == (not held)


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(0, 120), st.integers(0, 120))
def test_a_later_meeting_never_brings_a_born_baby_back_in(case, first, later):
    facts, level, _ = case
    if facts.birth_date is None:
        return
    earlier_meeting = facts.birth_date + timedelta(days=first)
    later_meeting = earlier_meeting + timedelta(days=later)

    if cohort_decision(facts, level, later_meeting).in_cohort:
        assert cohort_decision(facts, level, earlier_meeting).in_cohort


@settings(max_examples=300, deadline=None)
@given(cases(), st.integers(-400, 400))
def test_the_decision_depends_on_the_meeting_day_not_on_the_facts_today(case, shift):
    facts, level, meeting = case
    other = replace(facts, today=facts.today + timedelta(days=shift))

    assert cohort_decision(other, level, meeting) == cohort_decision(facts, level, meeting)


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}")


@settings(max_examples=500, deadline=None)
@given(cases())
def test_every_reason_is_a_short_sentence_a_chair_can_read_out(case):
    reason = cohort_decision(*case).reason

    assert reason[:1].isupper() and reason.isprintable() and len(reason) <= 200
    assert not reason.endswith(".")
    assert "_" not in reason and not ISO_DATE.search(reason), reason
