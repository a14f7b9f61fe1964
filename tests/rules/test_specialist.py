"""A specialist assessment first requested after the ICPC or the PLO letter is flagged
(rules/specialist.py): worked examples at each edge, then properties for any dates."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rules.checkpoints import missing_from_meeting, missing_warning
from rules.specialist import ICPC, PLO_LETTER, late_request

ICPC_DAY = date(2027, 3, 4)
PLO_DAY = date(2027, 4, 12)


def test_requested_the_day_after_the_conference_is_late_with_the_procedures_words():
    late = late_request(ICPC_DAY + timedelta(days=1), icpc=ICPC_DAY, plo_letter=None)

    assert late is not None
    assert late.after == ICPC
    assert late.message == (
        "Requested after the initial child protection conference on 4 March 2027: the"
        " procedure says not to wait"
    )


def test_requested_on_the_day_of_the_conference_is_not_late():
    assert late_request(ICPC_DAY, icpc=ICPC_DAY, plo_letter=None) is None


def test_requested_before_the_conference_is_not_late():
    assert late_request(ICPC_DAY - timedelta(days=10), icpc=ICPC_DAY, plo_letter=PLO_DAY) is None


def test_requested_after_the_plo_letter_alone_names_the_letter():
    late = late_request(PLO_DAY + timedelta(days=3), icpc=None, plo_letter=PLO_DAY)

    assert late is not None
    assert late.message == (
        "Requested after the PLO letter on 12 April 2027: the procedure says not to wait"
    )


def test_requested_after_both_names_the_earlier():
    late = late_request(PLO_DAY + timedelta(days=3), icpc=ICPC_DAY, plo_letter=PLO_DAY)

    assert late is not None and (late.after, late.on) == (ICPC, ICPC_DAY)


def test_with_no_conference_or_letter_nothing_is_late():
    assert late_request(date(2027, 6, 1), icpc=None, plo_letter=None) is None


def test_not_yet_requested_is_not_late():
    assert late_request(None, icpc=ICPC_DAY, plo_letter=PLO_DAY) is None


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))


@given(requested=days, icpc=st.none() | days, plo=st.none() | days)
def test_late_exactly_when_a_known_event_came_first(requested, icpc, plo):
    late = late_request(requested, icpc=icpc, plo_letter=plo)
    before = [d for d in (icpc, plo) if d is not None and d < requested]

    assert (late is not None) == bool(before)
    if late is not None:
        assert late.on == min(before)
        assert late.on < requested
        assert late.on == (icpc if late.after == ICPC else plo)
        assert late.after in {ICPC, PLO_LETTER}
        assert late.message.endswith("the procedure says not to wait")


@given(requested=days, icpc=st.none() | days, plo=st.none() | days, earlier=st.integers(1, 400))
def test_asking_sooner_never_makes_a_request_late(requested, icpc, plo, earlier):
    """Moving a request earlier can only clear a flag, never raise one."""
    if late_request(requested, icpc=icpc, plo_letter=plo) is None:
        assert late_request(requested - timedelta(days=earlier), icpc=icpc, plo_letter=plo) is None


# The multi-agency assessment meeting's minimum attendance (rules/checkpoints.py).


def test_a_meeting_with_all_three_misses_no_one():
    assert missing_from_meeting(["csc", "midwifery", "phn", "police"]) == ()
    assert missing_warning(()) == ""


def test_a_meeting_without_the_health_visitor_names_them():
    missing = missing_from_meeting(["csc", "midwifery"])

    assert missing == ("health visitor",)
    assert missing_warning(missing) == (
        "No health visitor at the meeting: the procedure asks for at least the midwife,"
        " health visitor and social worker"
    )


def test_a_meeting_of_other_agencies_misses_all_three_in_the_procedures_order():
    assert missing_warning(missing_from_meeting(["police"])).startswith(
        "No midwife, health visitor or social worker at the meeting"
    )


agencies = st.sampled_from(["csc", "midwifery", "phn", "police", "gp", "housing", "other"])


@given(st.lists(agencies))
def test_who_is_missing_is_exactly_the_three_not_there(present):
    missing = missing_from_meeting(present)
    covered = {"midwife": "midwifery", "health visitor": "phn", "social worker": "csc"}

    assert all(covered[who] not in present for who in missing)
    assert {who for who, agency in covered.items() if agency not in present} == set(missing)
    assert bool(missing_warning(missing)) == bool(missing)
