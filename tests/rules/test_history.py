"""A history entry's field changes in words (rules/history.py): worked examples, and
for any dict at all, never an exception and never a control character."""

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from rules.history import (
    LONGEST_VALUE,
    NOTHING,
    describe_change,
    describe_changes,
    humanised,
    listed,
    one_line,
    value_text,
)

LABELS = {"edd": "Expected due date", "csc_input": "Level of CSC input"}
CHOICES = {"csc_input": {"child_in_need": "Child in Need", "assessment": "Assessment"}}


def test_a_changed_date_reads_as_dates():
    change = {"before": "2027-06-10", "after": "2027-06-17"}
    assert describe_change("edd", change, labels=LABELS) == (
        "Expected due date: 17 June 2027 (was 10 June 2027)"
    )


def test_a_value_set_for_the_first_time_has_no_was():
    assert describe_change("referral_date", {"before": None, "after": "2027-01-05"}) == (
        "Referral date: 5 January 2027"
    )


def test_a_value_taken_away_says_removed():
    assert describe_change("named_midwife", {"before": "Maria Tester", "after": None}) == (
        "Named midwife: removed (was Maria Tester)"
    )


def test_a_choice_reads_as_its_label_and_a_boolean_as_yes_or_no():
    assert describe_changes(
        {
            "csc_input": {"before": "assessment", "after": "child_in_need"},
            "complex": {"before": False, "after": True},
        },
        labels=LABELS,
        choices=CHOICES,
    ) == ["Level of CSC input: Child in Need (was Assessment)", "Complex: yes (was no)"]


def test_a_datetime_reads_in_london_time():
    assert value_text("2027-06-10 13:05:00+00:00") == "10 June 2027 at 2:05pm"


def test_dotted_names_are_humanised():
    assert humanised("baby.1.died_on") == "Baby 1 died on"
    assert humanised("") == "Field"


def test_lists_dicts_and_nothing():
    assert value_text(["a", "b"]) == "a, b"
    assert value_text({"seen": True}) == "Seen: yes"
    assert value_text(None) == value_text("") == value_text([]) == NOTHING


def test_text_is_one_line():
    assert value_text(
        "Both parents seen\r\n\r\nBaby's cot ready\x00 at home\u2028 Next visit."
    ) == ("Both parents seen; Baby's cot ready at home; Next visit.")
    assert value_text("One.\nTwo") == "One. Two"


def test_a_very_long_value_is_cut_short():
    text = value_text("x" * 10_000)
    assert len(text) == LONGEST_VALUE and text.endswith("…")


def test_not_a_dict_of_changes_is_one_line_or_nothing():
    assert describe_changes("odd") == ["odd"]
    assert describe_changes(None) == []
    assert describe_changes({"edd": 7}) == ["Edd: 7"]


def test_listed():
    assert listed([]) == ""
    assert listed(["a"]) == "a"
    assert listed(["a", "b", "c"]) == "a, b and c"


def test_an_impossible_date_is_shown_as_typed():
    assert value_text("2027-02-30") == "2027-02-30"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
anything = json_values | st.dictionaries(
    st.text(max_size=20),
    st.fixed_dictionaries({"before": json_values, "after": json_values}) | json_values,
    max_size=6,
)


def _printable(text: str) -> bool:
    return all(unicodedata.category(c) not in {"Cc", "Cs", "Zl", "Zp"} for c in text)


@given(anything, st.dictionaries(st.text(max_size=10), st.text(max_size=20), max_size=3))
def test_any_changes_are_described_without_failing_in_printable_lines(changes, labels):
    lines = describe_changes(changes, labels=labels, choices={"x": labels})
    assert isinstance(lines, list)
    for line in lines:
        assert isinstance(line, str) and line
        assert _printable(line)


@given(json_values)
def test_any_value_is_one_printable_line(value):
    text = value_text(value)
    assert text and _printable(text) and text == text.strip()


@given(st.text())
def test_one_line_leaves_no_control_characters(text):
    assert _printable(one_line(text))
