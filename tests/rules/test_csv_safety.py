"""A CSV export never hands a spreadsheet a formula: cells beginning with =, +, -, @, a
tab or a carriage return are neutralised with a leading apostrophe, and nothing else is
changed."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules.csv_safety import FORMULA_STARTS, safe_cell, safe_row

formula_start = st.sampled_from(sorted(FORMULA_STARTS))
anything = st.one_of(
    st.text(),
    st.builds(lambda start, rest: start + rest, formula_start, st.text()),
    st.integers().map(str),
    st.floats(allow_nan=False).map(str),
)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (
            '=HYPERLINK("http://example.test","Click")',
            '\'=HYPERLINK("http://example.test","Click")',
        ),
        ("+44 1234 567890", "'+44 1234 567890"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("Book the ICPC", "Book the ICPC"),
        ("Chase the GP = today", "Chase the GP = today"),
        (" =1+1", " =1+1"),  # a leading space makes it text already
        ("'=1+1", "'=1+1"),  # already neutralised
        ("", ""),
        (None, ""),
        (3, "3"),
        (-3, "'-3"),
    ],
)
def test_formula_cells_get_an_apostrophe_and_others_are_unchanged(value, written):
    assert safe_cell(value) == written


@given(anything)
def test_no_cell_begins_with_a_formula_character(text):
    assert safe_cell(text)[:1] not in FORMULA_STARTS


@given(anything)
def test_a_cell_is_unchanged_or_only_prefixed_so_nothing_is_lost(text):
    cell = safe_cell(text)
    assert cell == text or cell == "'" + text
    assert (cell != text) == (text[:1] in FORMULA_STARTS)


@given(anything)
def test_neutralising_twice_changes_nothing(text):
    assert safe_cell(safe_cell(text)) == safe_cell(text)


@given(st.lists(anything, min_size=1, max_size=8))
def test_a_row_written_and_read_back_as_csv_has_no_formula_cell(values):
    out = io.StringIO(newline="")
    csv.writer(out).writerow(safe_row(values))
    (row,) = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert row == safe_row(values)
    assert all(cell[:1] not in FORMULA_STARTS for cell in row)
