"""The demo's visits and case notes (`manage.py seed_demo`), recorded through the services as
the people would have. Randomness comes from a generator seeded from the case's stable
facts, never from the demo's shared one, so adding work here leaves the cases as they were.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from accounts.models import AgencyCode
from cases.models import LOSS_OUTCOMES
from visits.models import BabySeen, NoteKind, Seen, VisitType
from visits.services import case_note_add, visit_record

FATHER_NOT_SEEN = (
    "Father was at work; a joint visit is booked for next week.",
    "Putative father not yet identified by the mother; to be explored at the next visit.",
    "Father declined to meet today; he has agreed to a phone call.",
)
CSC_VISIT_NOTES = (
    "Explained the pre-birth assessment and what it will involve. Both parents engaged.",
    "Home clean and warm; a Moses basket and clothes are ready for the baby.",
    "Discussed safe sleep and the support plan. No new concerns observed.",
    "Parents open about recent difficulties; agreed to the referral for parenting support.",
)
HEALTH_VISIT_NOTES = (
    "Antenatal check completed. Mother reports feeling well.",
    "Feeding discussed; weight gain as expected.",
    "Safe sleep advice given; family knows how to contact the service.",
    "Mother tired but coping; partner present and supportive.",
)
CASE_NOTES = (
    "Telephone call with mother: she confirmed the date of her next antenatal appointment.",
    "Spoke with the named midwife about the birth plan; no new concerns raised.",
    "Housing officer confirmed the tenancy is secure until after the birth.",
    "Mother missed today's appointment; rebooked for next week and the midwife informed.",
)
SUPERVISION_NOTES = (
    "Supervision: progress of the assessment discussed; the chronology to be brought up to"
    " date before the next checkpoint.",
    "Supervision: the father's engagement reviewed; a further joint visit to be arranged.",
)


def _rng(case, purpose: str) -> random.Random:
    return random.Random(f"{case.mother.family_name}{case.edd}visits{purpose}")


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours time on `day`, in the past: a visit today is put in the last hour."""
    now = timezone.localtime()
    if day >= now.date():
        start = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
        return max(start, now - timedelta(hours=1)).replace(second=0, microsecond=0)
    clock = time(rng.randint(9, 16), rng.choice((0, 15, 30, 45)))
    return datetime.combine(day, clock, tzinfo=timezone.get_current_timezone())


def _baby_seen(case, day: date) -> str:
    if case.birth_date and day >= case.birth_date:
        return BabySeen.YES
    if case.outcome and case.outcome_date and day > case.outcome_date:
        return BabySeen.NO
    return BabySeen.UNBORN


def _introductory(*, case, actor, done_on):
    rng = _rng(case, "intro")
    seen = [Seen.MOTHER]
    reason = ""
    if rng.random() < 0.75:
        seen.append(Seen.FATHER)
    else:
        reason = rng.choice(FATHER_NOT_SEEN)
    visit_record(
        actor=actor, context=None, case=case, visited_at=_at(done_on, rng),
        type=VisitType.INTRODUCTORY, seen=seen, baby_seen=_baby_seen(case, done_on),
        father_not_seen_reason=reason, note=rng.choice(CSC_VISIT_NOTES),
    )  # fmt: skip


def _home(*, case, actor, done_on):
    rng = _rng(case, "home")
    visit_record(
        actor=actor, context=None, case=case, visited_at=_at(done_on, rng),
        type=VisitType.HOME, seen=[Seen.MOTHER, Seen.FATHER], baby_seen=BabySeen.YES,
        note=rng.choice(CSC_VISIT_NOTES),
    )  # fmt: skip


def _foster(*, case, actor, done_on):
    rng = _rng(case, "foster")
    visit_record(
        actor=actor, context=None, case=case, visited_at=_at(done_on, rng),
        type=VisitType.FOSTER, seen_other="Foster carers", baby_seen=BabySeen.YES,
        note="Baby settled with the foster carers; contact arrangements explained.",
    )  # fmt: skip


# Milestone id -> a function that records the work which does it:
# fn(*, case, actor, done_on) where actor is someone of the owning agency.
MILESTONE_WORK: dict = {
    "intro_home_visit": _introductory,
    "home_visit_48h": _home,
    "foster_visit_72h": _foster,
}


def seed_case(*, today, case, recorders, stage) -> None:
    """Midwives' and health visitors' visits, and case notes, for a case at its stage."""
    if case.outcome in LOSS_OUTCOMES or stage in {"identified", "closed"}:
        return
    rng = _rng(case, "seed")
    earliest = max(case.identified_date, timezone.localdate(case.created_at) - timedelta(days=60))
    midwife, health_visitor = recorders[AgencyCode.MIDWIFERY], recorders[AgencyCode.PHN]
    # An antenatal contact by the midwife, before any birth.
    last_unborn = min(today, case.birth_date - timedelta(days=1)) if case.birth_date else today
    contact = last_unborn - timedelta(days=rng.randint(2, 21))
    if contact >= earliest:
        visit_record(
            actor=midwife, context=None, case=case, visited_at=_at(contact, rng),
            type=VisitType.ANTENATAL, seen=[Seen.MOTHER], baby_seen=BabySeen.UNBORN,
            note=rng.choice(HEALTH_VISIT_NOTES),
        )  # fmt: skip
    if case.birth_date:
        # The midwife's home visit the day after discharge, and the health visitor's new
        # birth visit 10 to 14 days after the birth.
        if case.discharge:
            after = timezone.localdate(case.discharge) + timedelta(days=1)
            if after <= today:
                visit_record(
                    actor=midwife, context=None, case=case, visited_at=_at(after, rng),
                    type=VisitType.HOME, seen=[Seen.MOTHER], baby_seen=BabySeen.YES,
                    note=rng.choice(HEALTH_VISIT_NOTES),
                )  # fmt: skip
        new_birth = case.birth_date + timedelta(days=rng.randint(10, 14))
        if new_birth <= today:
            visit_record(
                actor=health_visitor, context=None, case=case, visited_at=_at(new_birth, rng),
                type=VisitType.NEW_BIRTH, seen=[Seen.MOTHER, Seen.FATHER],
                baby_seen=BabySeen.YES, note=rng.choice(HEALTH_VISIT_NOTES),
            )  # fmt: skip
    if case.allocation_date:
        social_worker = recorders[AgencyCode.CSC]
        case_note_add(
            actor=social_worker, context=None, case=case, kind=NoteKind.CASE_NOTE,
            text=rng.choice(CASE_NOTES),
        )  # fmt: skip
        if stage in {"cp_plan", "pre_proceedings", "care_proceedings"}:
            case_note_add(
                actor=social_worker, context=None, case=case, kind=NoteKind.SUPERVISION,
                text=rng.choice(SUPERVISION_NOTES),
                on=max(case.allocation_date, today - timedelta(days=rng.randint(3, 20))),
            )  # fmt: skip
