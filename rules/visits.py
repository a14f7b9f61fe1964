"""Visits: which kinds each agency records, which step of the procedure a kind of visit
is, whether "was the baby seen?" can be true on the day, and the sentence the case
history reads. Plain data and functions, no Django.
"""

from collections.abc import Sequence
from datetime import date

from rules.dates import format_date

INTRODUCTORY = "introductory"
HOME = "home"
FOSTER = "foster"
ANTENATAL = "antenatal"
NEW_BIRTH = "new_birth"
OTHER = "other"

# What each agency's practitioners record, in the order the form offers them. Only
# children's social care makes the procedure's introductory, 48-hour and 72-hour visits;
# a midwife's or health visitor's home visit is recorded and shown, and does no CSC step.
TYPES_BY_AGENCY: dict[str, tuple[str, ...]] = {
    "csc": (INTRODUCTORY, HOME, FOSTER, OTHER),
    "midwifery": (ANTENATAL, HOME, OTHER),
    "phn": (ANTENATAL, NEW_BIRTH, HOME, OTHER),
}

# The recorded step (rules.protocol.STEP_KINDS) a kind of visit is. The engine decides
# whether it does a milestone: by the milestone's owning agency, on or after its anchor.
STEP_OF_TYPE: dict[str, str] = {
    INTRODUCTORY: "visit_introductory",
    HOME: "visit_home",
    FOSTER: "visit_foster",
}

# Was the baby seen?
BABY_SEEN = "yes"
BABY_NOT_SEEN = "no"
BABY_UNBORN = "unborn"


def types_for(agency: str | None) -> tuple[str, ...]:
    """The kinds of visit someone of this agency records: none for any other."""
    return TYPES_BY_AGENCY.get(agency or "", ())


def step_of(visit_type: str) -> str | None:
    return STEP_OF_TYPE.get(visit_type)


def baby_seen_error(
    answer: str, *, day: date, born_on: date | None, ended_on: date | None
) -> str | None:
    """Whether "was the baby seen?" can be answered so for a visit on `day`.

    `born_on`: the day a live baby was born, if one was; `ended_on`: the day the
    pregnancy ended without a live birth, if it did. On the day of the birth any answer
    fits (the visit may have been before or after it).
    """
    born = born_on is not None and day >= born_on
    ended = ended_on is not None and day >= ended_on
    if answer == BABY_UNBORN:
        if born_on is not None and day > born_on:
            return f"The baby was born on {format_date(born_on)}: say whether they were seen"
        if ended_on is not None and day > ended_on:
            return f"The pregnancy ended on {format_date(ended_on)}: choose ‘No’"
        return None
    if answer == BABY_SEEN:
        if not born:
            return f"The baby was not born by {format_date(day)}: choose ‘Not yet born’"
        return None
    if answer == BABY_NOT_SEEN:
        if not (born or ended):
            return f"The baby was not born by {format_date(day)}: choose ‘Not yet born’"
        return None
    return "Choose whether the baby was seen"


def listed(words: Sequence[str]) -> str:
    """ "mother", "mother and father", "mother, father and wider family"."""
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


BABY_PHRASE = {
    BABY_SEEN: "baby seen",
    BABY_NOT_SEEN: "baby not seen",
    BABY_UNBORN: "baby not yet born",
}


def visit_summary(
    *, type_label: str, day: date, seen: Sequence[str], baby_seen: str, withdrawn: bool = False
) -> str:
    """The sentence the case history shows: "Introductory home visit on 3 December 2026:
    mother and father or partner seen, baby not yet born"."""
    parts = []
    if seen:
        parts.append(f"{listed(seen)} seen")
    if baby_seen in BABY_PHRASE:
        parts.append(BABY_PHRASE[baby_seen])
    sentence = f"{type_label} on {format_date(day)}"
    if withdrawn:
        return f"{sentence} withdrawn"
    return f"{sentence}: {', '.join(parts)}" if parts else sentence
