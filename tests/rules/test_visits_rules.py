"""rules/visits.py: the kinds each agency records, the step a kind of visit is, whether
"was the baby seen?" can be so on the day, and the history's sentence."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.protocol import STEP_KINDS, VISIT_STEP_KINDS
from rules.visits import (
    BABY_NOT_SEEN,
    BABY_SEEN,
    BABY_UNBORN,
    TYPES_BY_AGENCY,
    baby_seen_error,
    listed,
    step_of,
    types_for,
    visit_summary,
)

ANSWERS = (BABY_SEEN, BABY_NOT_SEEN, BABY_UNBORN)
BIRTH = date(2027, 3, 10)
days = st.dates(date(2026, 1, 1), date(2028, 12, 31))


def test_only_childrens_social_care_makes_the_procedures_visits():
    assert set(types_for("csc")) >= {"introductory", "home", "foster"}
    assert {"introductory", "foster"} & set(types_for("midwifery")) == set()
    assert {"introductory", "foster"} & set(types_for("phn")) == set()
    assert types_for("guest") == () and types_for(None) == ()


def test_each_procedure_visit_is_a_visit_step_the_engine_knows():
    steps = {step_of(kind) for kinds in TYPES_BY_AGENCY.values() for kind in kinds} - {None}
    assert steps == {"visit_introductory", "visit_home", "visit_foster"} == VISIT_STEP_KINDS
    assert steps <= STEP_KINDS
    assert step_of("antenatal") is None and step_of("other") is None


@pytest.mark.parametrize(
    ("answer", "day", "fits"),
    [
        (BABY_UNBORN, BIRTH - timedelta(days=1), True),
        (BABY_SEEN, BIRTH - timedelta(days=1), False),
        (BABY_NOT_SEEN, BIRTH - timedelta(days=1), False),
        (BABY_UNBORN, BIRTH, True),
        (BABY_SEEN, BIRTH, True),
        (BABY_NOT_SEEN, BIRTH, True),
        (BABY_UNBORN, BIRTH + timedelta(days=1), False),
        (BABY_SEEN, BIRTH + timedelta(days=1), True),
        (BABY_NOT_SEEN, BIRTH + timedelta(days=1), True),
    ],
)
def test_baby_seen_around_the_birth(answer, day, fits):
    assert (baby_seen_error(answer, day=day, born_on=BIRTH, ended_on=None) is None) is fits


def test_after_a_loss_the_baby_is_not_seen_and_no_longer_unborn():
    after = BIRTH + timedelta(days=2)

    assert baby_seen_error(BABY_NOT_SEEN, day=after, born_on=None, ended_on=BIRTH) is None
    assert baby_seen_error(BABY_SEEN, day=after, born_on=None, ended_on=BIRTH)
    assert "ended on 10 March 2027" in baby_seen_error(
        BABY_UNBORN, day=after, born_on=None, ended_on=BIRTH
    )


def test_an_unknown_answer_is_refused():
    assert baby_seen_error("maybe", day=BIRTH, born_on=None, ended_on=None)


@given(day=days, born_on=st.none() | days, ended_on=st.none() | days)
def test_some_answer_always_fits_and_never_both_seen_and_unborn_after_the_day(
    day, born_on, ended_on
):
    if born_on is not None:
        ended_on = None  # a pregnancy ends in a live birth or without one
    fitting = {
        answer
        for answer in ANSWERS
        if baby_seen_error(answer, day=day, born_on=born_on, ended_on=ended_on) is None
    }

    assert fitting
    if born_on is None:
        assert BABY_SEEN not in fitting
    elif day > born_on:
        assert fitting == {BABY_SEEN, BABY_NOT_SEEN}
    elif day < born_on:
        assert fitting == {BABY_UNBORN}


def test_the_summary_reads_as_a_sentence():
    assert listed(["mother"]) == "mother"
    assert listed(["mother", "father"]) == "mother and father"
    assert listed(["mother", "father", "wider family"]) == "mother, father and wider family"
    assert visit_summary(
        type_label="Introductory home visit", day=date(2026, 12, 3),
        seen=["mother", "father or partner"], baby_seen=BABY_UNBORN,
    ) == (
        "Introductory home visit on 3 December 2026: mother and father or partner seen,"
        " baby not yet born"
    )  # fmt: skip
    assert visit_summary(type_label="Home visit", day=BIRTH, seen=[], baby_seen=BABY_SEEN,
                         withdrawn=True) == "Home visit on 10 March 2027 withdrawn"  # fmt: skip
