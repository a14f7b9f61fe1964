"""A case history entry's field changes in words: plain Python, no Django.

The audit row of every change keeps `changes` as {field: {"before": …, "after": …}}
(audit.services.field_changes), with dates as ISO text. A person reading the case's
history, on screen or printed, wants "Expected due date: 17 June 2027 (was 10 June
2027)", not JSON. Rows were written by many services over the years, so whatever a row
holds (an unexpected shape, a number where a dict was meant, text with control
characters) is described as well as it can be: these functions never raise, and what
they return is one line of printable text.
"""

import re
import unicodedata
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from rules.dates import format_date, format_datetime

# Control characters, lone surrogates, and the line and paragraph separators: an entry
# is read on one line, on screen and in the PDF.
_NOT_SHOWN = frozenset({"Cc", "Cs", "Zl", "Zp"})
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_SPACES = re.compile(r"\s+")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")
LONGEST_VALUE = 2000  # characters of one value: the record itself holds the rest
NOTHING = "not recorded"


def one_line(text: Any) -> str:
    """`text` as one line of printable text: lines joined with "; " (or a space after
    a line's own punctuation), other control characters and separators become spaces,
    runs of spaces one space."""
    if not isinstance(text, str):
        text = repr(text) if not isinstance(text, int | float) else str(text)
    joined = ""
    for line in (part.strip() for part in _LINE_BREAKS.split(text)):
        if not line:
            continue
        if joined:
            joined += " " if joined[-1] in ".,;:!?" else "; "
        joined += line
    shown = "".join(" " if unicodedata.category(c) in _NOT_SHOWN else c for c in joined)
    return _SPACES.sub(" ", shown).strip()


def humanised(name: str) -> str:
    """ "named_social_worker" -> "Named social worker"; "baby.1.died_on" -> "Baby 1 died on"."""
    words = one_line(str(name).replace("_", " ").replace(".", " "))
    return words[:1].upper() + words[1:] if words else "Field"


def _date_text(value: str) -> str | None:
    """An ISO date or datetime as a person reads it, or None if it is not one."""
    try:
        if _ISO_DATETIME.fullmatch(value[:16]) and len(value) > 10:
            return format_datetime(datetime.fromisoformat(value))
        if _ISO_DATE.fullmatch(value):
            return format_date(date.fromisoformat(value))
    except (ValueError, OverflowError):
        return None
    return None


def value_text(value: Any, choices: Mapping[str, str] | None = None) -> str:
    """One recorded value in words: a choice's label, a date as "10 June 2027", yes or
    no, a list joined, "not recorded" for nothing."""
    try:
        return _value_text(value, choices or {})
    except Exception:  # noqa: BLE001 – a history is shown whatever a row holds
        return one_line(repr(value))[:LONGEST_VALUE] or NOTHING


def _value_text(value: Any, choices: Mapping[str, str]) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return NOTHING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return one_line(str(value))
    if isinstance(value, str):
        if value in choices:
            return one_line(str(choices[value])) or NOTHING
        text = _date_text(value) or one_line(value)
        if len(text) > LONGEST_VALUE:
            text = text[: LONGEST_VALUE - 1].rstrip() + "…"
        return text or NOTHING
    if isinstance(value, list | tuple):
        return one_line(", ".join(_value_text(item, choices) for item in value)) or NOTHING
    if isinstance(value, dict):
        parts = (f"{humanised(str(k))}: {_value_text(v, choices)}" for k, v in value.items())
        return one_line("; ".join(parts)) or NOTHING
    return one_line(str(value)) or NOTHING


def field_label(name: Any, labels: Mapping[str, str] | None = None) -> str:
    key = str(name)
    label = (labels or {}).get(key)
    return one_line(label) if label else humanised(key)


def describe_change(
    name: Any,
    change: Any,
    *,
    labels: Mapping[str, str] | None = None,
    choices: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """One field's change: "Label: after (was before)", "Label: after" when there was
    nothing before, "Label: removed (was before)" when there is nothing after."""
    label = field_label(name, labels)
    field_choices = (choices or {}).get(str(name))
    if not isinstance(change, Mapping) or not ({"before", "after"} & set(change)):
        return f"{label}: {value_text(change, field_choices)}"
    before = value_text(change.get("before"), field_choices)
    after = value_text(change.get("after"), field_choices)
    if before == NOTHING:
        return f"{label}: {after}"
    if after == NOTHING:
        return f"{label}: removed (was {before})"
    return f"{label}: {after} (was {before})"


def describe_changes(
    changes: Any,
    *,
    labels: Mapping[str, str] | None = None,
    choices: Mapping[str, Mapping[str, str]] | None = None,
) -> list[str]:
    """Every field's change, one line each, in the order recorded. Anything that is not
    a dict of changes is described as one line (or nothing, if empty)."""
    if not isinstance(changes, Mapping):
        text = value_text(changes)
        return [] if text == NOTHING else [text]
    return [
        describe_change(name, change, labels=labels, choices=choices)
        for name, change in changes.items()
    ]


def listed(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    words = [word for word in words if word]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]
