"""The demo's birth and after (`manage.py seed_demo`), recorded through the services as
the people would have. Randomness comes from a generator seeded from the case's stable
facts, never from the demo's shared one, so adding work here leaves the cases as they were.
"""

import random

from cases.models import CscInput, Placement
from postnatal import services
from postnatal.models import MidpointOutcome, ReviewOutcome, VisitingAgency

INTERVENTIONS = (
    "Social worker to visit twice a week for the first month. Community midwife to visit"
    " on days 1, 3 and 5. Health visitor's new birth visit at 10 to 14 days. Core group to"
    " meet within 10 working days.",
    "Daily contact by the social worker for the first week, then twice weekly. Midwife and"
    " health visitor to share any missed appointments with the social worker the same day.",
    "Parent and child placement to begin on discharge. Placement staff to keep daily"
    " records. Social worker to visit weekly; health visitor to visit the placement.",
)


def _rng(case) -> random.Random:
    return random.Random(f"{case.mother.family_name}{case.edd}postnatal")


def _name(user, fallback: str) -> str:
    return (user.get_full_name() if user is not None else "") or fallback


def _placement(case) -> str:
    if case.placement:
        return case.placement
    if case.csc_input == CscInput.CLA_PARENT_AND_CHILD:
        return Placement.PARENT_AND_CHILD
    return Placement.HOME


def record_discharge_planning_meeting(*, case, actor, done_on) -> None:
    rng = _rng(case)
    social_worker = _name(actor, "Social worker")
    attendees = [
        services.Attendee(VisitingAgency.CSC, social_worker, "Social worker"),
        services.Attendee(VisitingAgency.MIDWIFERY, _name(case.named_midwife, "Ward midwife"),
                          "Midwife"),
    ]  # fmt: skip
    if rng.random() < 0.85:  # now and then the health visitor could not come: the warning
        attendees.append(
            services.Attendee(VisitingAgency.PHN, _name(case.named_health_visitor,
                                                        "Health visitor"), "Health visitor")
        )  # fmt: skip
    services.discharge_planning_meeting_save(
        actor=actor, context=None, case=case,
        details=services.MeetingDetails(
            held_on=done_on,
            placement=_placement(case),
            planned_discharge_date=case.planned_discharge_date,
            interventions=rng.choice(INTERVENTIONS),
            chair=f"{social_worker}, social worker",
            recorder=f"{social_worker}, social worker",
            distributor=f"{social_worker}, social worker",
            record_distributed_on=done_on if rng.random() < 0.7 else None,
            attendees=tuple(attendees),
        ),
    )  # fmt: skip


def record_visit_schedule(*, case, actor, done_on) -> None:
    rng = _rng(case)
    visits = [
        services.PlannedVisit(VisitingAgency.CSC, _name(actor, "Social worker"),
                              rng.choice(["Twice a week for 4 weeks", "Weekly for 8 weeks"])),
        services.PlannedVisit(VisitingAgency.MIDWIFERY, "Community midwife",
                              "Days 1, 3 and 5 after discharge"),
        services.PlannedVisit(VisitingAgency.PHN, _name(case.named_health_visitor,
                                                        "Health visitor"),
                              "New birth visit at 10 to 14 days, then weekly",
                              "Joint visit with the social worker in week 2"),
    ]  # fmt: skip
    services.visit_schedule_save(
        actor=actor, context=None, case=case, visits=visits, agreed_on=done_on,
        notes="Based on the risks set out in the child protection plan",
    )  # fmt: skip


def record_review_conference(*, case, actor, done_on) -> None:
    rng = _rng(case)
    services.review_conference_save(
        actor=actor, context=None, case=case, held_on=done_on,
        outcome=ReviewOutcome.PLAN_CONTINUES if rng.random() < 0.8 else ReviewOutcome.PLAN_ENDED,
        notes="Parents engaging with the plan; core group to continue.",
    )  # fmt: skip


def record_midpoint_review(*, case, actor, done_on) -> None:
    rng = _rng(case)
    services.midpoint_review_save(
        actor=actor, context=None, case=case, held_on=done_on,
        outcome=rng.choice([MidpointOutcome.CONTINUES, MidpointOutcome.RETURNING_HOME]),
        notes="Placement reports positive progress with feeding and routines.",
    )  # fmt: skip


# Milestone id -> a function that records the work which does it:
# fn(*, case, actor, done_on) where actor is someone of the owning agency.
MILESTONE_WORK: dict = {
    "discharge_planning_meeting": record_discharge_planning_meeting,
    "visit_schedule": record_visit_schedule,
    "cp_review_conference": record_review_conference,
    "pc_midpoint_review": record_midpoint_review,
}


def seed_case(*, today, case, recorders, stage) -> None:
    """Work of this kind that no milestone asks for (called once per demo case)."""
