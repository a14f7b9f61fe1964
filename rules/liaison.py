"""Which families the pre-birth liaison meeting with the specialist midwives looks at.

The procedure's first paragraph: "Regular pre-birth liaison meetings will be held with the
specialist midwives … to discuss pregnancies that have been identified and are coming
through for assessment, any late referrals, and any cases where plans are not
progressing". So three lists, each family in at most one (the first that fits):

1. Not yet referred: identified, no referral to CSC yet; latest gestation first, with
   when the referral was (or is) due.
2. Late referral: referred in the period (since the locality's previous liaison meeting)
   after the referral was due (16+0 in the default protocol), with how late.
3. Not progressing: referred, and something is overdue (a milestone or a meeting action).

A family whose pregnancy ended in a loss, or whose case is closed, is in none of them.
Plain Python: the caller gives the facts and the counts.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rules.dates import format_date
from rules.gestation import date_at_gestation, gestation_on


class LiaisonList(StrEnum):
    NOT_REFERRED = "not_referred"
    LATE_REFERRAL = "late_referral"
    NOT_PROGRESSING = "not_progressing"


LIST_TITLES = {
    LiaisonList.NOT_REFERRED: "Identified and coming through for assessment: not yet referred",
    LiaisonList.LATE_REFERRAL: "Late referrals",
    LiaisonList.NOT_PROGRESSING: "Referred, and plans not progressing",
}
# The order the lists are discussed in.
LIST_ORDER = tuple(LiaisonList)


@dataclass(frozen=True)
class LiaisonFacts:
    edd: date
    referral_date: date | None
    birth_date: date | None = None
    # Ended in a loss, or closed to children's social care: no longer for the meeting.
    ended: bool = False
    overdue_milestones: int = 0
    overdue_actions: int = 0


@dataclass(frozen=True)
class LiaisonItem:
    list: LiaisonList
    reason: str


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _overdue(facts: LiaisonFacts) -> str:
    parts = []
    if facts.overdue_milestones:
        count = facts.overdue_milestones
        parts.append(f"{count} overdue milestone{'' if count == 1 else 's'}")
    if facts.overdue_actions:
        count = facts.overdue_actions
        parts.append(f"{count} overdue action{'' if count == 1 else 's'}")
    return " and ".join(parts)


def liaison_item(
    facts: LiaisonFacts,
    *,
    on: date,
    since: date,
    referral_weeks: int = 16,
    referral_days: int = 0,
) -> LiaisonItem | None:
    """The list a family is in at the liaison meeting held `on`, the period being `since`
    to `on` (both days in), and why; None when it is in none."""
    if facts.ended:
        return None
    due = date_at_gestation(facts.edd, referral_weeks, referral_days)
    due_text = f"{referral_weeks}+{referral_days}"
    if facts.referral_date is None:
        if facts.birth_date is not None and facts.birth_date <= on:
            stage = f"born {format_date(facts.birth_date)}"
        else:
            stage = f"{gestation_on(facts.edd, on)} weeks pregnant"
        if due < on:
            ago = _days((on - due).days)
            when = f"referral was due at {due_text} on {format_date(due)}, {ago} ago"
        elif due == on:
            when = f"referral is due at {due_text} today"
        else:
            when = f"referral due at {due_text} on {format_date(due)}"
        return LiaisonItem(LiaisonList.NOT_REFERRED, f"Not yet referred: {stage}; {when}")
    if facts.referral_date > on:
        # Recorded ahead of the meeting's day: not yet a fact on that day.
        return None
    overdue = _overdue(facts)
    late = (facts.referral_date - due).days
    if since <= facts.referral_date and late > 0:
        reason = (
            f"Referred on {format_date(facts.referral_date)} at"
            f" {gestation_on(facts.edd, facts.referral_date)} weeks,"
            f" {_days(late)} after {due_text}"
        )
        return LiaisonItem(LiaisonList.LATE_REFERRAL, f"{reason}; {overdue}" if overdue else reason)
    if overdue:
        return LiaisonItem(LiaisonList.NOT_PROGRESSING, f"Referred: {overdue}")
    return None
