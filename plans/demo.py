"""The demo's decisions and plans (`manage.py seed_demo`), recorded through the services as
the people would have. Randomness comes from a generator seeded from the case's stable
facts, never from the demo's shared one, so adding work here leaves the cases as they were.

The facts seed_demo set (the level of CSC input, significant harm, the strategy
discussion's date, the BLA panel) are left as they are: each decision recorded here says
what the case already holds.
"""

import random
from datetime import timedelta

from accounts.models import AgencyCode
from cases.models import CscInput
from plans import services
from rules import decisions, plo

CATEGORIES = ["neglect", "neglect", "emotional", "physical", "multiple"]
PRESENT = [
    "Mother, with her sister as birth partner",
    "Mother and her mother (maternal grandmother)",
    "Mother, with the father as birth partner",
    "Mother, with a friend from her parenting group as birth partner",
]
NOT_PRESENT = [
    "The father: a history of domestic abuse towards the mother. The ward is told not to"
    " admit him.",
    "The mother's former partner, who is subject to a non-molestation order.",
    "No one",
    "The paternal uncle: a risk to children. Security have his description.",
]
ARRANGEMENTS = [
    "The social worker is told when labour starts; the baby stays on the ward until the "
    "discharge planning meeting.",
    "Supervised contact only on the ward. The named midwife shares the plan with the "
    "labour ward coordinator.",
    "Mother to call the duty social worker on admission. No discharge before the "
    "discharge planning meeting.",
]
LPM_OUTCOMES = [
    "Threshold for pre-proceedings met. PLO letter to be sent; initial PLO meeting to follow.",
    "Legal advice: pre-proceedings. Parenting assessment and hair strand testing to start now.",
]
PLO_MEETING_OUTCOMES = [
    "Parents attended with their solicitors. Written agreement signed; review in six weeks.",
    "Mother attended with her solicitor; father did not attend. Expectations explained.",
]
BLA_DECISIONS = [
    "Agreed: a parent and child placement at discharge, with care proceedings to be issued.",
    "Agreed: foster placement at birth if the PLO plan is not met; kinship assessment of the "
    "maternal grandmother to continue.",
]


def _rng(case, what: str) -> random.Random:
    return random.Random(f"{case.mother.family_name}{case.edd}plans{what}")


def _icpc(*, case, actor, done_on) -> None:
    rng = _rng(case, "icpc")
    plan = case.cp_plan  # what the case already says: a plan, or none
    services.decision_record(
        actor=actor, context=None, case=case, kind=decisions.ICPC, on=done_on,
        conference_outcome=decisions.CP_PLAN if plan else decisions.NO_PLAN,
        plan_category=rng.choice(CATEGORIES) if plan else "",
        outcome="Child protection plan made. Core group to meet within 10 working days."
        if plan else "",
    )  # fmt: skip


def _birth_plan(*, case, actor, done_on) -> None:
    rng = _rng(case, "birth_plan")
    services.birth_plan_save(
        actor=actor, context=None, case=case, present_at_birth=rng.choice(PRESENT),
        not_to_be_present=rng.choice(NOT_PRESENT), other_arrangements=rng.choice(ARRANGEMENTS),
        agreed_on=done_on,
    )  # fmt: skip


def _legal_planning_meeting(*, case, actor, done_on) -> None:
    services.decision_record(
        actor=actor, context=None, case=case, kind=decisions.LEGAL_PLANNING_MEETING,
        on=done_on, outcome=_rng(case, "lpm").choice(LPM_OUTCOMES),
    )  # fmt: skip


def _plo_letter(*, case, actor, done_on) -> None:
    services.plo_letter_save(
        actor=actor, context=None, case=case, sent_on=done_on, enclosed=plo.ENCLOSURE_NAMES
    )


def _initial_plo_meeting(*, case, actor, done_on) -> None:
    services.decision_record(
        actor=actor, context=None, case=case, kind=decisions.INITIAL_PLO_MEETING,
        on=done_on, outcome=_rng(case, "plo_meeting").choice(PLO_MEETING_OUTCOMES),
    )  # fmt: skip


def _bla_panel(*, case, actor, done_on) -> None:
    services.decision_record(
        actor=actor, context=None, case=case, kind=decisions.BLA_PANEL, on=done_on,
        outcome=_rng(case, "bla").choice(BLA_DECISIONS),
    )  # fmt: skip


# Milestone id -> a function that records the work which does it:
# fn(*, case, actor, done_on) where actor is someone of the owning agency.
MILESTONE_WORK: dict = {
    "icpc": _icpc,
    "birth_plan": _birth_plan,
    "legal_planning_meeting": _legal_planning_meeting,
    "plo_letter": _plo_letter,
    "initial_plo_meeting": _initial_plo_meeting,
    "bla_panel": _bla_panel,
}


def seed_case(*, today, case, recorders, stage) -> None:
    """Work of this kind that no milestone asks for (called once per demo case): the
    strategy discussion of a case at risk of significant harm, the Child in Need plan of a
    Child in Need case, no further action on a closed one. Each matches the facts the
    demo already set."""
    if case.is_loss:
        return
    actor = recorders[AgencyCode.CSC]
    rng = _rng(case, "seed")
    if case.strategy_discussion_date and case.significant_harm:
        services.decision_record(
            actor=actor, context=None, case=case, kind=decisions.STRATEGY_DISCUSSION,
            on=case.strategy_discussion_date, significant_harm=True,
            outcome="Section 47 enquiries to start. Initial child protection conference to be"
            " convened.",
        )  # fmt: skip
    start = case.allocation_date or case.referral_date
    if start is None:
        return
    on = min(today, start + timedelta(days=rng.randint(20, 40)))
    if case.birth_date:
        on = min(on, case.birth_date)
    if case.csc_input == CscInput.CHILD_IN_NEED:
        services.decision_record(
            actor=actor, context=None, case=case, kind=decisions.CHILD_IN_NEED, on=on,
            outcome="Child in Need plan: support with preparing for the baby, housing and"
            " attendance at antenatal appointments.",
        )  # fmt: skip
    elif case.csc_input == CscInput.CLOSED and stage == "closed":
        services.decision_record(
            actor=actor, context=None, case=case, kind=decisions.NO_FURTHER_ACTION, on=on,
            outcome="The assessment found no need for children's social care: universal"
            " services to continue.",
        )  # fmt: skip
