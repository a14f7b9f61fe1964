"""The demo's pre-birth assessments (`manage.py seed_demo`), recorded through the services as
the people would have. Randomness comes from a generator seeded from the case's stable
facts, never from the demo's shared one, so adding work here leaves the cases as they were.
"""

import random
from datetime import date, datetime, time

from django.utils import timezone

from accounts.models import AgencyCode, RoleCode, User
from assessments import services
from assessments.models import Assessment
from referrals.demo import locality_team_manager
from rules import assessment as rules

# Invented, fixed phrases for each area: no real people.
AREA_TEXT = {
    "parental_history": [
        "No previous children removed. Mother was known to children's social care as a"
        " teenager; father has an older child who lives with the child's mother.",
        "Mother's first child lives with the maternal grandmother under a special"
        " guardianship order made three years ago.",
    ],
    "substance_misuse": [
        "Mother reports cannabis use before the pregnancy, stopped at booking. Father"
        " drinks at weekends; no concerns raised by the GP.",
        "No substance misuse reported by either parent or by the agencies involved.",
    ],
    "planned_pregnancy": [
        "The pregnancy was not planned; both parents say they want to care for the baby.",
        "Planned. The couple had been trying for a year.",
    ],
    "preparation_for_birth": [
        "Cot, pram and clothes bought. Mother has attended two antenatal classes.",
        "Little preparation so far; the midwife will go through a checklist at 32 weeks.",
    ],
    "programmes_and_referrals": [
        "Referred to Baby Steps; the children's centre has offered a place in the new"
        " parents group.",
        "Already attending the children's centre's stay and play with a friend.",
    ],
    "accommodation": [
        "Two-bedroom housing association flat, tenancy secure, adequate for a baby.",
        "Living with the maternal grandmother while on the housing register; overcrowded.",
    ],
    "pams_hair_strand": [
        "A PAMS assessment is not needed. Hair strand testing agreed with the mother.",
        "Not required: no learning needs or substance misuse identified.",
    ],
    "parenting_assessment": [
        "A parenting assessment would help with routines and safer sleeping.",
        "Not needed at present: both parents showed good knowledge of feeds and sleep.",
    ],
    "parents_views": [
        "Mother is excited and anxious. Father says he will do whatever is needed.",
        "Both parents are positive about the baby and want support to keep it at home.",
    ],
    "wider_family_support": [
        "Maternal grandmother lives nearby and offers daily help; an aunt can help at weekends.",
        "Limited: the family live some distance away. A Family Group Conference is proposed.",
    ],
    "views_of_other_agencies": [
        "Midwifery and the health visitor share the concerns about engagement; the GP has no"
        " further information.",
        "Agencies agree the risks are managed with the current support.",
    ],
    "ability_to_engage": [
        "Attended most appointments; missed two antenatal appointments in the first trimester.",
        "Engaged well with all professionals so far.",
    ],
    "pre_proceedings_needed": [
        "Pre-proceedings is not needed at this point; to be reviewed after the birth.",
        "Legal advice to be sought: pre-proceedings may be needed if engagement drops.",
    ],
    "analysis": [
        "The underlying risk factors are balanced by the parents' engagement and family"
        " support. The impact on the baby is manageable with a plan of support.",
        "High risk indicators remain; capacity to change is not yet shown. The baby would be"
        " at risk of significant harm without a protective plan.",
    ],
    "discharge_plan": [
        "Home with both parents, visits by all agencies as agreed at the discharge planning"
        " meeting. No order needed.",
        "Home with mother to the maternal grandmother's address under a Child in Need plan.",
    ],
}
MIDWIFERY_VIEWS = [
    "Booked late at 18 weeks; attending since. No concerns about the mother's health.",
    "Good engagement with antenatal care; the midwife has discussed safer sleeping.",
]


def _rng(case) -> random.Random:
    return random.Random(f"{case.mother.family_name}{case.edd}assessments")


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def _open(case, actor, on: date) -> Assessment:
    existing = Assessment.objects.filter(case=case).first()
    if existing is not None:
        return existing
    return services.assessment_open(actor=actor, context=None, case=case, opened_on=on)


def _write(assessment, actor, code: str, rng, complete: bool) -> None:
    services.area_save(
        actor=actor, context=None, assessment=assessment, code=code,
        text=rng.choice(AREA_TEXT[code]), action=rules.COMPLETE if complete else rules.DRAFT,
        version=None,
    )  # fmt: skip


def _team_manager(case, author) -> User | None:
    """A team manager of the case's locality who did not write the assessment: the
    referrals demo invents one for a locality that has none (None: only the author is)."""
    manager = (
        User.objects.filter(
            is_active=True,
            agency__code=AgencyCode.CSC,
            roles__code=RoleCode.TEAM_MANAGER,
            localities=case.locality_id,
        )
        .exclude(pk=author.pk)
        .order_by("username")
        .first()
    )
    if manager is None:
        manager = locality_team_manager(case.locality)
    return None if manager.pk == author.pk else manager


def open_assessment(*, case, actor, done_on: date) -> None:
    _open(case, actor, done_on)


def complete_assessment(*, case, actor, done_on: date) -> None:
    """All 15 areas completed with invented text, sent by the worker, authorised by a team
    manager of the locality (an invented one where the demo has none). The milestone is
    done by the authorisation: it cannot be ticked by hand."""
    rng = _rng(case)
    manager = _team_manager(case, actor)
    if manager is None:
        return  # only the author manages the locality: left for someone else to authorise
    assessment = _open(case, actor, min(done_on, case.allocation_date or done_on))
    # The analysis last: it is written from the others.
    for code in sorted(rules.AREA_CODES, key=lambda code: code == rules.ANALYSIS):
        _write(assessment, actor, code, rng, complete=True)
    services.assessment_submit(actor=actor, context=None, assessment=assessment,
                               when=_at(done_on, 10))  # fmt: skip
    services.assessment_decide(
        actor=manager, context=None, assessment=assessment, authorise=True,
        reason="Thorough and proportionate; the plan follows from the analysis.",
        when=_at(done_on, 16),
    )  # fmt: skip


MILESTONE_WORK = {
    "assessment_opened": open_assessment,
    "assessment_completed": complete_assessment,
}

ASSESSING = {"mid_assessment", "just_referred"}


def seed_case(*, today, case, recorders, stage) -> None:
    """Part-done assessments for allocated cases still in assessment: some areas completed,
    some in progress, and the midwife's view; a few finished and sent for authorisation."""
    if stage not in ASSESSING or case.allocation_date is None:
        return
    assessment = Assessment.objects.filter(case=case).first()
    if assessment is None or not assessment.open_for_change:
        return
    rng = _rng(case)
    actor = recorders[AgencyCode.CSC]
    if rng.random() < 0.25 and _team_manager(case, actor) is not None:
        # Finished and waiting for the team manager's authorisation.
        for code in sorted(rules.AREA_CODES, key=lambda code: code == rules.ANALYSIS):
            _write(assessment, actor, code, rng, complete=True)
        services.assessment_submit(actor=actor, context=None, assessment=assessment)
        return
    done = rng.randint(2, 10)
    drafts = rng.randint(1, 3)
    others = [code for code in rules.AREA_CODES if code != rules.ANALYSIS]
    for n, code in enumerate(others[: done + drafts]):
        _write(assessment, actor, code, rng, complete=n < done)
    midwife = recorders[AgencyCode.MIDWIFERY]
    if services.view_agency_of(midwife, case) == AgencyCode.MIDWIFERY and rng.random() < 0.7:
        services.agency_view_save(
            actor=midwife, context=None, assessment=assessment,
            text=rng.choice(MIDWIFERY_VIEWS), version=None,
        )  # fmt: skip
