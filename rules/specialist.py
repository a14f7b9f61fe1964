"""Specialist assessments (PAMS, parenting capacity, hair strand, DNA, ...) requested late.

The procedure: "Social workers should not wait for a CP or pre proceedings plan to start
specialist assessments if it is felt these are required". So an assessment whose first
request came after the initial child protection conference (ICPC) or after the PLO
letter (pre-proceedings) is flagged: the work waited for the plan.

"After" is strictly after: a request made on the day of the conference or of the letter
is not flagged (it may have been agreed there, and the day's order is not recorded).
When the request came after both, the flag names the earlier of the two, the first plan
the work waited for.
"""

from dataclasses import dataclass
from datetime import date

from rules.dates import format_date

ICPC = "icpc"
PLO_LETTER = "plo_letter"
EVENT_WORDS = {
    ICPC: "the initial child protection conference",
    PLO_LETTER: "the PLO letter",
}
NOT_WAITING = "the procedure says not to wait"


@dataclass(frozen=True)
class LateRequest:
    """Why a specialist assessment was requested late: after which event, on what day."""

    after: str  # ICPC or PLO_LETTER
    on: date

    @property
    def message(self) -> str:
        """ "Requested after the initial child protection conference on 4 March 2027: the
        procedure says not to wait"."""
        return f"Requested after {EVENT_WORDS[self.after]} on {format_date(self.on)}: {NOT_WAITING}"


def late_request(
    first_requested: date | None, *, icpc: date | None, plo_letter: date | None
) -> LateRequest | None:
    """Whether a specialist assessment first requested on `first_requested` was requested
    after the ICPC or the PLO letter (their days, when they happened), and after which.
    None: not late, or not requested yet."""
    if first_requested is None:
        return None
    passed = [
        (day, event)
        for event, day in ((ICPC, icpc), (PLO_LETTER, plo_letter))
        if day is not None and day < first_requested
    ]
    if not passed:
        return None
    day, event = min(passed)
    return LateRequest(after=event, on=day)
