"""Team routing and a referral's lateness come from the protocol, not from code.

The case: EDD 10 June 2027, so 14+0 is 10 December 2026, 16+0 is 24 December 2026,
28+0 is 18 March 2027 and 30+0 is 1 April 2027.
"""

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.protocol import Protocol, TeamRouting, default_protocol
from rules.timeline import CaseFacts, compute_timeline

EDD = date(2027, 6, 10)
PROTOCOL = default_protocol()


def with_referral_at(weeks: int, days: int = 0, protocol: Protocol = PROTOCOL) -> Protocol:
    """The protocol, with the referral milestone due at another gestation."""
    milestones = tuple(
        replace(rule, due_rules=(replace(rule.due_rules[0], weeks=weeks, days=days),))
        if rule.id == "referral"
        else rule
        for rule in protocol.milestones
    )
    return replace(protocol, milestones=milestones)


def with_routing_at(weeks: int, days: int = 0) -> Protocol:
    return replace(PROTOCOL, team_routing=TeamRouting(weeks, days))


def referred(on: date, *, complex_case: bool = False) -> CaseFacts:
    return CaseFacts(edd=EDD, today=on, referral_date=on, complex=complex_case)


def test_a_referral_due_at_14_weeks_is_late_from_14_weeks():
    protocol = with_referral_at(14)
    facts = referred(date(2026, 12, 20))  # 15+3: on time by 16 weeks, late by 14

    timeline = compute_timeline(facts, protocol)

    assert timeline.milestone("referral").due == date(2026, 12, 10)
    assert timeline.milestone("referral").status == "done_late"
    assert timeline.milestone("referral").days_overdue == 10
    assert timeline.late_referral_days == 10
    # The same referral under the default protocol (16 weeks) is on time.
    assert compute_timeline(facts, PROTOCOL).late_referral_days == 0
    assert compute_timeline(facts, PROTOCOL).milestone("referral").status == "done"


def test_a_referral_on_the_due_day_of_a_14_week_protocol_is_not_late():
    timeline = compute_timeline(referred(date(2026, 12, 10)), with_referral_at(14))

    assert timeline.late_referral_days == 0
    assert timeline.milestone("referral").status == "done"


def test_a_protocol_routing_at_28_weeks_keeps_a_complex_case_referred_at_28_with_duty():
    facts = referred(date(2027, 3, 18), complex_case=True)  # 28+0

    assert compute_timeline(facts, with_routing_at(28)).team == "duty_and_assessment"
    # The default routes at 30+0, so the same complex case goes to Safeguarding.
    assert compute_timeline(facts, PROTOCOL).team == "safeguarding"


def test_routing_counts_the_days_of_the_protocols_gestation():
    complex_at_28_plus_2 = referred(date(2027, 3, 20), complex_case=True)

    assert compute_timeline(complex_at_28_plus_2, with_routing_at(28, 3)).team == "safeguarding"
    assert compute_timeline(complex_at_28_plus_2, with_routing_at(28, 2)).team == (
        "duty_and_assessment"
    )


def test_the_default_protocol_routes_at_30_weeks():
    assert compute_timeline(referred(date(2027, 3, 31), complex_case=True), PROTOCOL).team == (
        "safeguarding"
    )
    assert compute_timeline(referred(date(2027, 4, 1), complex_case=True), PROTOCOL).team == (
        "duty_and_assessment"
    )
    assert compute_timeline(referred(date(2027, 1, 20)), PROTOCOL).team == "duty_and_assessment"


def test_a_referral_recorded_as_an_event_does_not_override_the_referral_date():
    facts = replace(referred(date(2027, 1, 20)), events={"referral": date(2026, 12, 1)})

    timeline = compute_timeline(facts, PROTOCOL)

    assert timeline.milestone("referral").done == date(2027, 1, 20)
    assert timeline.milestone("referral").status == "done_late"
    assert timeline.late_referral_days == 27


@given(
    weeks=st.integers(0, 44),
    days=st.integers(0, 6),
    referral_offset=st.integers(-300, 120),
    edd=st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)),
)
def test_late_referral_days_agree_with_the_referral_milestone_for_any_protocol_weeks(
    weeks, days, referral_offset, edd
):
    protocol = with_referral_at(weeks, days)
    referral = edd + timedelta(days=referral_offset)
    facts = CaseFacts(edd=edd, today=referral + timedelta(days=3), referral_date=referral)

    timeline = compute_timeline(facts, protocol)
    milestone = timeline.milestone("referral")

    assert (timeline.late_referral_days > 0) == (milestone.status == "done_late")
    assert timeline.late_referral_days == milestone.days_overdue
    assert milestone.due + timedelta(days=timeline.late_referral_days) >= referral
