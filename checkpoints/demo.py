"""The demo's checkpoints and specialist assessments (`manage.py seed_demo`), recorded
through the services as the people would have. Randomness comes from a generator seeded
from the case's stable facts, never from the demo's shared one, so adding work here leaves
the cases as they were. Attendees are the case's named professionals and the demo's
team managers; other agencies are given by role only, so no name is invented.
"""

import random
from datetime import date, timedelta

from checkpoints.models import (
    CheckpointKind,
    NetworkRoute,
    ParticipantAgency,
    SpecialistKind,
    ThirtyDayOutcome,
)
from checkpoints.selectors import team_managers
from checkpoints.services import (
    CheckpointDetails,
    ParticipantDetails,
    SpecialistDetails,
    checkpoint_record,
    specialist_assessment_request,
)
from timeline.models import CaseMilestone

OTHER_AGENCIES = (
    (ParticipantAgency.GP, "GP"),
    (ParticipantAgency.POLICE, "Police safeguarding officer"),
    (ParticipantAgency.HOUSING, "Housing officer"),
    (ParticipantAgency.SUBSTANCE_MISUSE, "Drug and alcohol worker"),
    (ParticipantAgency.MENTAL_HEALTH, "Community psychiatric nurse"),
    (ParticipantAgency.PROBATION, "Probation officer"),
)
TEN_DAY_NOTES = (
    "Introductory visit done; both parents engaging. Agreed dates for the multi-agency meeting.",
    "Father not yet seen. Agreed a joint visit with the midwife next week.",
    "Progress on track. Chronology started; hair strand test to be discussed.",
)
FULL_45_DAYS_REASONS = (
    "Waiting for the hair strand test results",
    "Father only seen this week; his history still to be explored",
    "Information from the previous local authority not yet received",
)
WIDER_FAMILY_NOTES = (
    "Maternal grandmother and an aunt seen; both willing to support after the birth.",
    "Paternal family explored: no one able to offer care; friends offer practical help.",
)
PROVIDERS = (
    "Example Hair Testing Laboratory",
    "Example Parenting Assessments",
    "Example Family Assessment Service",
    "Example DNA Testing Service",
)
OUTCOMES = (
    "Results show no recent drug use.",
    "Parenting capacity good enough with support; recommendations shared.",
    "Results show cannabis use over the last three months.",
    "Assessment recommends a parent and child placement.",
)


def _rng(case, what: str) -> random.Random:
    return random.Random(f"{case.mother.family_name}{case.edd}checkpoints{what}")


def _person(user) -> str:
    return user.get_full_name() or user.username


def _manager(case):
    managers = team_managers(case)
    return managers[0] if managers else None


def _agencies_informed(*, case, actor, done_on: date) -> None:
    rng = _rng(case, "agencies")
    told = [ParticipantAgency.MIDWIFERY, ParticipantAgency.PHN]
    told += [agency for agency, _role in rng.sample(OTHER_AGENCIES, rng.randint(1, 3))]
    checkpoint_record(
        actor=actor, context=None, case=case, kind=CheckpointKind.AGENCIES_INFORMED,
        details=CheckpointDetails(
            held_on=done_on, participants=[ParticipantDetails(agency=a) for a in told]
        ),
    )  # fmt: skip


def _checkpoint_10_day(*, case, actor, done_on: date) -> None:
    rng = _rng(case, "10day")
    checkpoint_record(
        actor=actor, context=None, case=case, kind=CheckpointKind.CHECKPOINT_10_DAY,
        details=CheckpointDetails(held_on=done_on, team_manager=_manager(case),
                                  notes=rng.choice(TEN_DAY_NOTES)),
    )  # fmt: skip


def _multi_agency_meeting(*, case, actor, done_on: date) -> None:
    rng = _rng(case, "meeting")
    people = []
    for user, agency, role in (
        (case.named_social_worker or actor, ParticipantAgency.CSC, "Social worker"),
        (case.named_midwife, ParticipantAgency.MIDWIFERY, "Midwife"),
        (case.named_health_visitor, ParticipantAgency.PHN, "Health visitor"),
    ):
        # Sometimes one sends apologies: the record shows who was missing.
        if user is not None and (agency == ParticipantAgency.CSC or rng.random() < 0.85):
            people.append(ParticipantDetails(agency=agency, name=_person(user), role=role,
                                             user=user))  # fmt: skip
    for agency, role in rng.sample(OTHER_AGENCIES, rng.randint(0, 2)):
        people.append(ParticipantDetails(agency=agency, role=role))
    checkpoint_record(
        actor=actor, context=None, case=case, kind=CheckpointKind.MULTI_AGENCY_MEETING,
        details=CheckpointDetails(held_on=done_on, family_present=rng.random() < 0.8,
                                  participants=people),
    )  # fmt: skip


def _checkpoint_30_day(*, case, actor, done_on: date) -> None:
    rng = _rng(case, "30day")
    manager = _manager(case)
    if rng.random() < 0.35 and manager is not None:
        details = CheckpointDetails(
            held_on=done_on, outcome=ThirtyDayOutcome.FULL_45_DAYS, team_manager=manager,
            reason=rng.choice(FULL_45_DAYS_REASONS),
        )  # fmt: skip
    else:
        details = CheckpointDetails(held_on=done_on, outcome=ThirtyDayOutcome.COMPLETE)
    checkpoint_record(actor=actor, context=None, case=case,
                      kind=CheckpointKind.CHECKPOINT_30_DAY, details=details)  # fmt: skip


def _family_network(*, case, actor, done_on: date) -> None:
    rng = _rng(case, "family")
    if rng.random() < 0.5:
        details = CheckpointDetails(held_on=done_on, route=NetworkRoute.FGC_REFERRAL)
    else:
        details = CheckpointDetails(held_on=done_on, route=NetworkRoute.WIDER_FAMILY,
                                    notes=rng.choice(WIDER_FAMILY_NOTES))  # fmt: skip
    checkpoint_record(actor=actor, context=None, case=case,
                      kind=CheckpointKind.FAMILY_NETWORK, details=details)  # fmt: skip


# Milestone id -> a function that records the work which does it:
# fn(*, case, actor, done_on) where actor is someone of the owning agency.
MILESTONE_WORK: dict = {
    CheckpointKind.AGENCIES_INFORMED.value: _agencies_informed,
    CheckpointKind.CHECKPOINT_10_DAY.value: _checkpoint_10_day,
    CheckpointKind.MULTI_AGENCY_MEETING.value: _multi_agency_meeting,
    CheckpointKind.CHECKPOINT_30_DAY.value: _checkpoint_30_day,
    CheckpointKind.FAMILY_NETWORK.value: _family_network,
}
# Stages with a child protection plan or pre-proceedings: where specialist assessments are.
SPECIALIST_STAGES = frozenset({"cp_plan", "pre_proceedings", "care_proceedings"})


def seed_case(*, today, case, recorders, stage) -> None:
    """Specialist assessments for cases on a child protection plan or in pre-proceedings:
    some requested after the ICPC, so the flag shows."""
    if stage not in SPECIALIST_STAGES or case.referral_date is None:
        return
    rng = _rng(case, "specialist")
    done = dict(
        CaseMilestone.objects.filter(case=case, milestone_id__in=["icpc", "plo_letter"])
        .values_list("milestone_id", "done_date")
    )  # fmt: skip
    plan_day = min((d for d in done.values() if d is not None), default=None)
    start = case.allocation_date or case.referral_date
    kinds = rng.sample([k for k in SpecialistKind.values if k != SpecialistKind.OTHER],
                       rng.randint(1, 2))  # fmt: skip
    for kind in kinds:
        if plan_day is not None and plan_day < today and rng.random() < 0.3:
            requested = plan_day + timedelta(days=rng.randint(1, 14))  # waited for the plan
        else:
            requested = start + timedelta(days=rng.randint(2, 20))
            if plan_day is not None:
                requested = min(requested, plan_day)
        requested = max(min(requested, today), start)
        completed = requested + timedelta(days=rng.randint(14, 40))
        finished = completed <= today and rng.random() < 0.7
        specialist_assessment_request(
            actor=recorders["csc"], context=None, case=case,
            details=SpecialistDetails(
                kind=kind, requested_on=requested, provider=rng.choice(PROVIDERS),
                completed_on=completed if finished else None,
                outcome=rng.choice(OUTCOMES) if finished else "",
            ),
        )  # fmt: skip
