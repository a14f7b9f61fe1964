"""The PLO letter pack counts as sent only with all four enclosures; and the level of CSC
input each decision leaves the case at (rules/plo.py, rules/decisions.py)."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from rules import csc, decisions, plo

SENT = date(2027, 3, 4)
names = st.sets(st.sampled_from(plo.ENCLOSURE_NAMES))
days = st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))


def test_the_four_enclosures_of_the_letter():
    assert plo.ENCLOSURE_NAMES == (
        "letter_of_concern", "solicitors_list", "leaflet", "fgdm_offer",
    )  # fmt: skip
    assert "your child could be taken into care" in plo.enclosure_label("leaflet")


def test_a_letter_sent_with_everything_is_sent():
    assert plo.sent_on(SENT, plo.ENCLOSURE_NAMES) == SENT
    assert plo.pack_state(SENT, plo.ENCLOSURE_NAMES).is_sent


def test_a_letter_without_the_family_group_offer_is_not_sent():
    enclosed = ["letter_of_concern", "solicitors_list", "leaflet"]

    assert plo.sent_on(SENT, enclosed) is None
    assert plo.missing_enclosures(enclosed) == ("fgdm_offer",)


def test_a_complete_pack_not_yet_sent_is_not_sent():
    assert plo.sent_on(None, plo.ENCLOSURE_NAMES) is None


@given(sent=days, enclosed=names)
def test_sent_exactly_when_dated_and_nothing_is_missing(sent, enclosed):
    state = plo.pack_state(sent, enclosed)
    assert state.is_sent == (sent is not None and enclosed == set(plo.ENCLOSURE_NAMES))
    assert plo.sent_on(sent, enclosed) == (sent if state.is_sent else None)


@given(enclosed=names)
def test_missing_is_the_rest_in_the_letters_order(enclosed):
    missing = plo.missing_enclosures(enclosed)
    assert set(missing) | enclosed == set(plo.ENCLOSURE_NAMES)
    assert not set(missing) & enclosed
    assert list(missing) == [n for n in plo.ENCLOSURE_NAMES if n in missing]


@given(enclosed=names, extra=st.sets(st.text(max_size=5)))
def test_names_that_are_not_enclosures_change_nothing(enclosed, extra):
    assert plo.missing_enclosures(enclosed | extra) == plo.missing_enclosures(
        enclosed | (extra & set(plo.ENCLOSURE_NAMES))
    )


# The level of CSC input after a decision.


def test_worked_examples_of_the_level_after_a_decision():
    assert decisions.level_after("no_further_action", "assessment") == "closed"
    assert decisions.level_after("child_in_need", "assessment") == "child_in_need"
    assert decisions.level_after("icpc", "assessment", cp_plan=True) == "child_protection"
    assert decisions.level_after("icpc", "assessment", cp_plan=False) == "assessment"
    assert decisions.level_after("icpc", "pre_proceedings", cp_plan=True) == "pre_proceedings"
    assert decisions.level_after("legal_planning_meeting", "child_protection") == "pre_proceedings"
    assert decisions.level_after("legal_planning_meeting", "care_proceedings") == (
        "care_proceedings"
    )
    assert decisions.level_after("strategy_discussion", "assessment") == "assessment"
    assert decisions.level_after("bla_panel", "pre_proceedings") == "pre_proceedings"


@given(kind=st.sampled_from(decisions.KINDS), level=st.sampled_from(csc.LEVELS), plan=st.booleans())
def test_a_decision_leaves_a_level_and_never_takes_a_plan_away_unless_it_closes(kind, level, plan):
    after = decisions.level_after(kind, level, cp_plan=plan)
    assert after in csc.LEVELS
    if kind == "icpc" and plan:
        assert csc.has_cp_plan(after)
    if kind in {"legal_planning_meeting", "initial_plo_meeting"}:
        assert csc.in_pre_proceedings(after)
    if csc.has_cp_plan(level) and kind not in {"no_further_action", "child_in_need"}:
        assert csc.has_cp_plan(after)
    # Made twice, a decision leaves the level where the first left it.
    assert decisions.level_after(kind, after, cp_plan=plan) == after


def test_every_step_a_decision_establishes_is_a_step_kind():
    from rules.protocol import STEP_KINDS

    assert set(decisions.STEPS.values()) <= STEP_KINDS
