"""Text from outside (typed, or sent by a browser) made fit to store and to audit.

NUL and the other control characters are never typed by a person: they come from
copying out of another system or from someone probing the service, and PostgreSQL
refuses NUL outright (in text and in JSON). Lone surrogates cannot be encoded as
UTF-8 at all. Both are removed; so are the other control characters, except that
text typed into a box of several lines keeps its line breaks and tabs.
"""

import unicodedata

_LINE_BREAKS = frozenset("\n\r\t")
_REMOVED_CATEGORIES = frozenset({"Cc", "Cs"})  # control characters, lone surrogates


def clean_text(text: str, *, multiline: bool = False) -> str:
    """`text` without control characters or lone surrogates. With `multiline`, line
    breaks and tabs are kept; without, each becomes a space."""
    if text.isprintable():  # the usual case, and fast
        return text
    kept = []
    for character in text:
        if character in _LINE_BREAKS:
            kept.append(character if multiline else " ")
        elif unicodedata.category(character) not in _REMOVED_CATEGORIES:
            kept.append(character)
    return "".join(kept)
