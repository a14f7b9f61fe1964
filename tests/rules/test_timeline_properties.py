"""Properties the engine must keep for any case, checked by hypothesis."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.protocol import default_protocol, named_protocol
from rules.timeline import STATUSES, CaseFacts, NotApplicable, compute_timeline, steady_until
from rules.working_days import ENGLAND_AND_WALES, WorkingDayCalendar

PROTOCOL = default_protocol()
WORKING_DAY_MILESTONES = {
    rule.id
    for rule in PROTOCOL.milestones
    if all(due.unit == "working_days" and due.offset > 0 for due in rule.due_rules)
}
# Counted from the EDD alone; the ICPC (and the birth plan with it) too while there is
# no strategy discussion to count from.
GESTATION_MILESTONES = {"referral", "bla_panel", "icpc", "birth_plan"}


@st.composite
def case_facts(draw):
    edd = draw(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 12, 31)))
    today = edd + timedelta(days=draw(st.integers(-250, 80)))
    facts = CaseFacts(edd=edd, today=today)
    if draw(st.booleans()):
        referral = edd - timedelta(days=draw(st.integers(0, 240)))
        facts = replace(facts, referral_date=referral, complex=draw(st.booleans()))
        if draw(st.booleans()):
            facts = replace(
                facts, allocation_date=referral + timedelta(days=draw(st.integers(0, 10)))
            )
        facts = replace(
            facts,
            significant_harm=draw(st.booleans()),
            pre_proceedings=draw(st.booleans()),
            bla_panel=draw(st.booleans()),
        )
        if facts.significant_harm and draw(st.booleans()):
            facts = replace(
                facts, strategy_discussion_date=referral + timedelta(days=draw(st.integers(0, 30)))
            )
    outcome = draw(st.sampled_from([None, None, "live_birth", "miscarriage", "stillbirth"]))
    if outcome == "live_birth":
        birth = edd + timedelta(days=draw(st.integers(-40, 14)))
        placement = draw(st.sampled_from([None, "home", "wider_family", "foster",
                                          "parent_and_child"]))  # fmt: skip
        discharge = datetime.combine(birth + timedelta(days=draw(st.integers(0, 10))), time(11))
        planned = draw(st.none() | st.integers(0, 10))
        facts = replace(
            facts, pregnancy_outcome=outcome, birth_date=birth, cp_plan=draw(st.booleans()),
            placement=placement, discharge=discharge if placement else None,
            placement_date=discharge.date() if placement else None,
            planned_discharge_date=birth + timedelta(days=planned) if planned is not None
            else None,
        )  # fmt: skip
    elif outcome:
        facts = replace(facts, pregnancy_outcome=outcome)
    # Some milestones recorded done (around today) or not applicable.
    recorded = draw(st.lists(st.sampled_from(PROTOCOL.milestone_ids), max_size=6, unique=True))
    events = {}
    for milestone_id in recorded:
        if draw(st.integers(0, 4)) == 0:
            events[milestone_id] = NotApplicable("Not needed for this family")
        else:
            events[milestone_id] = facts.today - timedelta(days=draw(st.integers(0, 60)))
    return replace(facts, events=events)


def _as_date(value):
    return value.date() if isinstance(value, datetime) else value


@given(case_facts())
def test_a_working_day_due_date_never_falls_on_a_weekend_or_bank_holiday(facts):
    for result in compute_timeline(facts, PROTOCOL).milestones:
        if result.id in WORKING_DAY_MILESTONES and result.due is not None:
            assert ENGLAND_AND_WALES.is_working_day(result.due), result


@given(case_facts(), st.integers(-60, 60))
def test_moving_the_edd_moves_every_gestation_anchored_date_by_the_same_days(facts, k):
    facts = replace(facts, strategy_discussion_date=None)
    moved = replace(facts, edd=facts.edd + timedelta(days=k))
    before = compute_timeline(facts, PROTOCOL)
    after = compute_timeline(moved, PROTOCOL)

    for milestone_id in GESTATION_MILESTONES & {m.id for m in before.milestones}:
        assert after.milestone(milestone_id).due - before.milestone(milestone_id).due == (
            timedelta(days=k)
        )


@given(case_facts(), st.integers(-60, 60))
def test_moving_the_edd_moves_nothing_counted_from_referral_allocation_or_birth(facts, k):
    moved = replace(facts, edd=facts.edd + timedelta(days=k))
    before = compute_timeline(facts, PROTOCOL)
    after = compute_timeline(moved, PROTOCOL)

    for result in before.milestones:
        if result.id not in GESTATION_MILESTONES:
            assert after.milestone(result.id).due == result.due, result.id


@given(case_facts())
def test_computing_twice_gives_the_same_timeline(facts):
    assert compute_timeline(facts, PROTOCOL) == compute_timeline(facts, PROTOCOL)


@settings(max_examples=25)
@given(case_facts())
def test_a_fresh_calendar_gives_the_same_timeline_as_the_shared_one(facts):
    assert compute_timeline(facts, PROTOCOL, WorkingDayCalendar()) == compute_timeline(
        facts, PROTOCOL
    )


@given(case_facts())
def test_milestones_are_listed_once_each_in_protocol_order(facts):
    listed = [m.id for m in compute_timeline(facts, PROTOCOL).milestones]

    assert listed == [
        milestone_id for milestone_id in PROTOCOL.milestone_ids if milestone_id in listed
    ]
    assert len(listed) == len(set(listed))
    assert listed[0] == "referral"


@given(case_facts())
def test_no_due_date_is_before_its_anchor(facts):
    anchors = {
        "referral": facts.referral_date,
        "allocation": facts.allocation_date,
        "strategy_discussion": facts.strategy_discussion_date,
        "birth": facts.birth_date,
        "discharge": _as_date(facts.discharge),
        "placement": facts.placement_date,
    }
    for result in compute_timeline(facts, PROTOCOL).milestones:
        rule = PROTOCOL.milestone(result.id)
        if result.due is None or rule.combine != "single":
            continue
        anchor = anchors.get(rule.due_rules[0].anchor)
        if anchor is not None:
            assert _as_date(result.due) >= anchor, result


@given(case_facts())
def test_every_status_is_one_of_the_eight(facts):
    for result in compute_timeline(facts, PROTOCOL).milestones:
        assert result.status in STATUSES
        assert result.days_overdue >= 0
        assert (result.status == "overdue") <= (result.days_overdue > 0)
        assert (result.days_overdue > 0) <= (result.status in {"overdue", "done_late"})
        if result.status == "awaiting":
            assert result.due is None
        assert (result.status == "not_applicable") == (result.not_applicable_reason is not None)


@given(case_facts(), st.sampled_from(["miscarriage", "stillbirth", "termination"]))
def test_a_loss_closes_what_is_open_and_keeps_what_was_done(facts, loss):
    lost = replace(facts, pregnancy_outcome=loss, birth_date=None, placement=None,
                   discharge=None, placement_date=None, cp_plan=False)  # fmt: skip
    before = {
        m.id: m
        for m in compute_timeline(replace(lost, pregnancy_outcome=None), PROTOCOL).milestones
    }

    for result in compute_timeline(lost, PROTOCOL).milestones:
        was = before[result.id]
        if was.status in {"done", "done_late", "not_applicable"}:
            assert result == was
        else:
            assert result.status == "closed"
            assert result.due == was.due


@given(case_facts())
def test_after_a_loss_nothing_is_overdue_or_due_soon(facts):
    lost = replace(facts, pregnancy_outcome="stillbirth", birth_date=None, placement=None,
                   discharge=None, placement_date=None, cp_plan=False)  # fmt: skip

    statuses = {m.status for m in compute_timeline(lost, PROTOCOL).milestones}

    assert not statuses & {"overdue", "due_soon", "upcoming", "awaiting"}


@settings(max_examples=50)
@given(case_facts())
def test_the_example_protocol_only_moves_the_milestones_it_changes(facts):
    alternative = named_protocol("example_alternative")
    changed = {"icpc", "birth_plan", "bla_panel", "cp_review_conference"}
    default = {m.id: m.due for m in compute_timeline(facts, PROTOCOL).milestones}
    other = {m.id: m.due for m in compute_timeline(facts, alternative).milestones}

    assert default.keys() == other.keys()
    for milestone_id in default.keys() - changed:
        assert default[milestone_id] == other[milestone_id], milestone_id


@given(case_facts())
def test_due_soon_starts_when_the_warning_window_of_working_days_begins(facts):
    """warning_from is the first day with no more than `warning` working days to go."""
    for result in compute_timeline(facts, PROTOCOL).milestones:
        rule = PROTOCOL.milestone(result.id)
        if (
            result.warning_from is None
            or rule.warning_unit != "working_days"
            or (rule.window_start is not None)
        ):
            continue
        due = result.due_date
        before = result.warning_from - timedelta(days=1)
        assert ENGLAND_AND_WALES.working_days_between(result.warning_from, due) <= rule.warning
        assert ENGLAND_AND_WALES.working_days_between(before, due) > rule.warning


@given(case_facts())
def test_the_discharge_planning_meeting_is_due_by_the_first_known_discharge_and_not_before_birth(
    facts,
):
    timeline = compute_timeline(facts, PROTOCOL)
    if "discharge_planning_meeting" not in {m.id for m in timeline.milestones}:
        return
    due = timeline.milestone("discharge_planning_meeting").due
    known = [d for d in (facts.planned_discharge_date, _as_date(facts.discharge)) if d]

    assert due == (min(known) if known else facts.birth_date + timedelta(days=1))
    assert due >= facts.birth_date


# What a case stores of a milestone (timeline.services._stored_values): overdue, due soon
# and upcoming are all "open" there, worked out from the dates when shown.
KEPT_STATES = {"done", "done_late", "not_applicable", "closed"}


def _as_stored(timeline):
    return [
        (m.id, m.title, m.due, m.warning_from, m.done, m.not_applicable_reason, m.ends_when_due,
         m.status if m.status in KEPT_STATES else "open", m.due is None and m.status == "upcoming")
        for m in timeline.milestones
    ]  # fmt: skip


@given(case_facts(), st.integers(1, 500))
def test_what_a_case_stores_is_the_same_every_day_until_its_steady_until(facts, days_later):
    """recompute_timelines passes over a case whose facts are unchanged, on a day before
    its steady_until: that is only right if no later day before it could store anything
    else, and if on that day something does change."""
    timeline = compute_timeline(facts, PROTOCOL)
    until = steady_until(timeline)
    later = facts.today + timedelta(days=days_later)
    if until is not None:
        assert until > facts.today
        later = min(later, until - timedelta(days=1))

    assert _as_stored(compute_timeline(replace(facts, today=later), PROTOCOL)) == _as_stored(
        timeline
    )
    if until is not None:
        on_the_day = compute_timeline(replace(facts, today=until), PROTOCOL)
        assert _as_stored(on_the_day) != _as_stored(timeline)
