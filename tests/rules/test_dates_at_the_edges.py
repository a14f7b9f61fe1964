"""Any date the parser accepts can go through the engine: no overflow at the edges of the
plausible range, whatever the other facts are."""

from datetime import datetime, time

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rules.contract import facts_from_json, timeline_to_json
from rules.dates import EARLIEST_DATE, LATEST_DATE
from rules.protocol import default_protocol
from rules.timeline import OUTCOMES, PLACEMENTS, CaseFacts, NotApplicable, compute_timeline

PROTOCOL = default_protocol()
# The ends of the range, often: that is where arithmetic would overflow.
plausible = st.one_of(
    st.sampled_from([EARLIEST_DATE, LATEST_DATE]), st.dates(EARLIEST_DATE, LATEST_DATE)
)
maybe = st.none() | plausible


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    edd=plausible, today=plausible, referral=maybe, allocation=maybe, strategy=maybe,
    birth=maybe, discharge=maybe, placement_date=maybe,
    outcome=st.none() | st.sampled_from(sorted(OUTCOMES)),
    placement=st.none() | st.sampled_from(sorted(PLACEMENTS)),
    decisions=st.lists(st.booleans(), min_size=5, max_size=5),
    events=st.dictionaries(
        st.sampled_from(PROTOCOL.milestone_ids), plausible | st.just(NotApplicable("n/a"))
    ),
)  # fmt: skip
@example(
    edd=LATEST_DATE, today=LATEST_DATE, referral=LATEST_DATE, allocation=LATEST_DATE,
    strategy=LATEST_DATE, birth=LATEST_DATE, discharge=LATEST_DATE,
    placement_date=LATEST_DATE, outcome="live_birth", placement="foster",
    decisions=[True] * 5, events={},
)  # fmt: skip
@example(
    edd=EARLIEST_DATE, today=EARLIEST_DATE, referral=EARLIEST_DATE, allocation=None,
    strategy=EARLIEST_DATE, birth=None, discharge=None, placement_date=None,
    outcome=None, placement=None, decisions=[True] * 5, events={"icpc": EARLIEST_DATE},
)  # fmt: skip
def test_the_engine_computes_any_facts_with_plausible_dates(
    edd, today, referral, allocation, strategy, birth, discharge, placement_date,
    outcome, placement, decisions, events,
):  # fmt: skip
    complex_, harm, pre_proceedings, bla_panel, cp_plan = decisions
    facts = CaseFacts(
        edd=edd, today=today, referral_date=referral, allocation_date=allocation,
        strategy_discussion_date=strategy, birth_date=birth, pregnancy_outcome=outcome,
        discharge=datetime.combine(discharge, time(23, 59)) if discharge else None,
        placement=placement, placement_date=placement_date, complex=complex_,
        significant_harm=harm, pre_proceedings=pre_proceedings, bla_panel=bla_panel,
        cp_plan=cp_plan, events=events,
    )  # fmt: skip

    timeline = compute_timeline(facts, PROTOCOL)

    assert timeline_to_json(timeline)["milestones"] is not None


def test_the_contract_accepts_the_ends_of_the_range_and_computes_them():
    for edge in (EARLIEST_DATE, LATEST_DATE):
        facts = facts_from_json(
            {"edd": edge.isoformat(), "today": edge.isoformat(), "referral_date": edge.isoformat()},
            PROTOCOL,
            default_today=edge,
        )
        assert compute_timeline(facts, PROTOCOL).milestones
