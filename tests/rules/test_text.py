"""Text from outside is cleaned of NUL and control characters before it is stored."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.text import clean_text


@pytest.mark.parametrize(
    ("text", "one_line", "several_lines"),
    [
        ("Kerry Ashdown", "Kerry Ashdown", "Kerry Ashdown"),
        ("a\x00b", "ab", "ab"),
        ("red\x1b[31m", "red[31m", "red[31m"),
        ("line one\r\nline two", "line one  line two", "line one\r\nline two"),
        ("tab\there", "tab here", "tab\there"),
        ("del\x7f and c1\x85", "del and c1", "del and c1"),
        ("lone \ud800 surrogate", "lone  surrogate", "lone  surrogate"),
        ("Zoë 👶🏽 ‮", "Zoë 👶🏽 ‮", "Zoë 👶🏽 ‮"),
    ],
)
def test_control_characters_go_and_line_breaks_stay_only_in_several_lines(
    text, one_line, several_lines
):
    assert clean_text(text) == one_line
    assert clean_text(text, multiline=True) == several_lines


@given(st.text(), st.booleans())
def test_cleaned_text_has_no_control_characters_and_cleaning_twice_changes_nothing(text, multiline):
    cleaned = clean_text(text, multiline=multiline)
    allowed = set("\n\r\t") if multiline else set()

    assert all(c in allowed or unicodedata.category(c) not in {"Cc", "Cs"} for c in cleaned)
    assert clean_text(cleaned, multiline=multiline) == cleaned
    cleaned.encode("utf-8")  # no lone surrogate left to refuse


@given(st.text(st.characters(blacklist_categories=["Cc", "Cs"])))
def test_text_without_control_characters_is_unchanged(text):
    assert clean_text(text) == text
    assert clean_text(text, multiline=True) == text
