"""The tracking meeting's cohort: which families a meeting held on a day discusses.

Terms of Reference 4.4 (SPEC, "Cohort rule"): on the meeting's day D the case is open to
children's social care, and the baby is unborn, or born and living in the community with
D no more than 28 days after the birth, or in a parent and child placement whose
mid-point review has not yet been held. The 28 days are the protocol's: the end of
tracking counted from the birth (`Protocol.community_tracking_days`).

The decision is on D. A birth or a mid-point review dated after D had not happened on D,
so a meeting's cohort can be worked out before it or after it from the same facts. The
level of CSC input and a pregnancy's loss have no date in the facts: they are taken as
they stand.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from rules.csc import LEVEL_WORDS, LEVELS, is_open
from rules.dates import format_date
from rules.protocol import Protocol, default_protocol
from rules.timeline import CaseFacts, NotApplicable

MIDPOINT_REVIEW = "pc_midpoint_review"
PARENT_AND_CHILD = "parent_and_child"
_LOSS_REASONS = {
    "miscarriage": "The pregnancy ended (miscarriage)",
    "stillbirth": "The pregnancy ended (stillbirth)",
    "termination": "The pregnancy ended (termination)",
    "neonatal_death": "The baby died after the birth (neonatal death)",
}


@dataclass(frozen=True)
class CohortDecision:
    in_cohort: bool
    reason: str  # a sentence a chair can read out


def earliest_community_birth(meeting_date: date, protocol: Protocol | None = None) -> date:
    """The earliest birth that keeps a baby in the community in the cohort on
    `meeting_date`: a cheap database filter before the rule decides on each case (a
    parent and child placement may stay in longer)."""
    days = (protocol or default_protocol()).community_tracking_days
    return meeting_date - timedelta(days=days)


def cohort_decision(
    facts: CaseFacts,
    level: str,
    meeting_date: date | None = None,
    *,
    protocol: Protocol | None = None,
) -> CohortDecision:
    """Whether the case is in the cohort of a tracking meeting on `meeting_date` (default
    `facts.today`), and why. `level` is the level of CSC input (rules.csc.LEVELS)."""
    if level not in LEVELS:
        raise ValueError(f"Unknown level of CSC input {level!r}")
    day = facts.today if meeting_date is None else meeting_date
    loss = _LOSS_REASONS.get(facts.pregnancy_outcome or "")
    if loss is not None:
        return CohortDecision(False, loss)
    if not is_open(level):
        if level == "closed":
            return CohortDecision(False, "Closed to children's social care")
        if facts.referral_date is None or facts.referral_date > day:
            return CohortDecision(False, "Not referred to children's social care yet")
        return CohortDecision(False, "Not open to children's social care")
    birth = facts.birth_date
    if birth is None or birth > day:
        return CohortDecision(
            True, f"Unborn, open to children's social care ({LEVEL_WORDS[level]})"
        )
    review = facts.events.get(MIDPOINT_REVIEW)
    in_placement = facts.placement == PARENT_AND_CHILD
    if in_placement and not isinstance(review, NotApplicable):
        if review is not None and review <= day:
            held = format_date(review)
            return CohortDecision(
                False, f"Parent and child placement's mid-point review held on {held}"
            )
        return CohortDecision(
            True, "In a parent and child placement; mid-point review not yet held"
        )
    days = (protocol or default_protocol()).community_tracking_days
    age = (day - birth).days
    when = f"Born {format_date(birth)}, {_before_the_meeting(age)}"
    where = (
        "(the parent and child placement's mid-point review is not applicable)"
        if in_placement
        else "in the community"
    )
    if age <= days:
        return CohortDecision(True, f"{when}: within {days} days of birth {where}")
    return CohortDecision(False, f"{when}: more than {days} days after birth {where}")


def _before_the_meeting(days: int) -> str:
    if days == 0:
        return "the day of the meeting"
    return f"{days} day{'' if days == 1 else 's'} before the meeting"
