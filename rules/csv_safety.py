"""Cells of a CSV export made safe to open in a spreadsheet.

A spreadsheet reads a cell that begins with =, +, - or @ as a formula, and a tab or a
carriage return at the start can hide one behind it: an action typed as
`=HYPERLINK("http://…", "Click")` would run when a manager opens the action log in
Excel ("CSV injection", OWASP). Such a cell is given a leading apostrophe, which
spreadsheets show as text and which a person reading the file understands. Quoting of
commas, quotes and line breaks is the csv module's job, not this one's.
"""

FORMULA_STARTS = frozenset("=+-@\t\r")
NEUTRALISER = "'"


def safe_cell(value: object) -> str:
    """`value` as text a spreadsheet shows as written: None is empty; text beginning
    with a formula character gets a leading apostrophe; anything else is unchanged."""
    text = "" if value is None else str(value)
    if text[:1] in FORMULA_STARTS:
        return NEUTRALISER + text
    return text


def safe_row(values: list[object] | tuple[object, ...]) -> list[str]:
    """Every cell of a row through safe_cell."""
    return [safe_cell(value) for value in values]
