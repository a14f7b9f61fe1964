"""The multi-agency assessment meeting's minimum attendance.

The procedure: "Within 15 days of the assessment being allocated a multi-agency
assessment meeting should take place ... This should as a minimum include the midwife,
health visitor, social worker and any agencies involved with the family/parents".
A meeting without one of them is still recorded (it happened), with a warning naming who
was missing. An attendee counts by their agency: midwifery, public health nursing
(health visiting), children's social care.
"""

from collections.abc import Iterable

# Agency code -> the professional the procedure asks for from it, in the procedure's order.
REQUIRED_AT_MEETING = {
    "midwifery": "midwife",
    "phn": "health visitor",
    "csc": "social worker",
}


def missing_from_meeting(agencies_present: Iterable[str]) -> tuple[str, ...]:
    """Who of the midwife, health visitor and social worker no attendee's agency covers,
    in the procedure's order: () when all three were there."""
    present = set(agencies_present)
    return tuple(who for agency, who in REQUIRED_AT_MEETING.items() if agency not in present)


def missing_warning(missing: Iterable[str]) -> str:
    """ "No midwife or health visitor at the meeting: the procedure asks for at least the
    midwife, health visitor and social worker" ("" when no one is missing)."""
    names = list(missing)
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]
    return (
        f"No {listed} at the meeting: the procedure asks for at least the midwife, health"
        " visitor and social worker"
    )
