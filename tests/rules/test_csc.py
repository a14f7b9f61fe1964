"""The decisions that follow from the level of CSC input, stored once."""

from cases.models import CscInput
from rules import csc


def test_the_levels_are_the_case_registers_levels():
    assert tuple(CscInput.values) == csc.LEVELS


def test_a_child_protection_plan_follows_from_a_plan_or_proceedings():
    assert {level for level in csc.LEVELS if csc.has_cp_plan(level)} == {
        "child_protection",
        "pre_proceedings",
        "care_proceedings",
    }


def test_pre_proceedings_follow_from_pre_or_care_proceedings():
    assert {level for level in csc.LEVELS if csc.in_pre_proceedings(level)} == {
        "pre_proceedings",
        "care_proceedings",
    }


def test_every_level_in_pre_proceedings_has_a_plan_and_is_open():
    for level in csc.LEVELS:
        if csc.in_pre_proceedings(level):
            assert csc.has_cp_plan(level)
        if csc.has_cp_plan(level):
            assert csc.is_open(level)
    assert not csc.is_open("none") and not csc.is_open("closed")


def test_the_levels_in_words_say_what_the_register_says():
    assert set(csc.LEVEL_WORDS) == set(csc.LEVELS)
    for level, label in CscInput.choices:
        assert csc.LEVEL_WORDS[level].lower() == label.lower()
