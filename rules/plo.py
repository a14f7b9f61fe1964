"""The PLO letter pack: what goes in the letter before proceedings.

The procedure: the letter "needs to include the letter of concern, a list of solicitors
and the information leaflet 'your child could be taken in to care'". The Public Law
Outline now also requires the letter before proceedings to offer a family group
decision-making meeting (a family group conference). The pack counts as sent only when
every enclosure went with it: a letter sent without one is a letter still to send.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

# (name, what it is), in the order the letter lists them.
ENCLOSURES: tuple[tuple[str, str], ...] = (
    ("letter_of_concern", "The letter of concern"),
    ("solicitors_list", "A list of solicitors"),
    ("leaflet", "The leaflet \u201cyour child could be taken into care\u201d"),
    ("fgdm_offer", "The offer of a family group decision-making meeting"),
)
ENCLOSURE_NAMES: tuple[str, ...] = tuple(name for name, _ in ENCLOSURES)
_LABELS = dict(ENCLOSURES)


def missing_enclosures(enclosed: Iterable[str]) -> tuple[str, ...]:
    """The enclosures not ticked, in the letter's order. Names that are not enclosures
    are ignored."""
    ticked = set(enclosed)
    return tuple(name for name in ENCLOSURE_NAMES if name not in ticked)


def enclosure_label(name: str) -> str:
    return _LABELS[name]


@dataclass(frozen=True)
class PackState:
    sent_on: date | None
    missing: tuple[str, ...]

    @property
    def is_sent(self) -> bool:
        """Sent, with every enclosure: only then is the `plo_letter` step done."""
        return self.sent_on is not None and not self.missing


def pack_state(sent_on: date | None, enclosed: Iterable[str]) -> PackState:
    return PackState(sent_on=sent_on, missing=missing_enclosures(enclosed))


def sent_on(sent: date | None, enclosed: Iterable[str]) -> date | None:
    """The day the pack counts as sent (the `plo_letter` step), or None while it is not
    sent or anything is missing from it."""
    state = pack_state(sent, enclosed)
    return state.sent_on if state.is_sent else None
