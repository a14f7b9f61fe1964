"""The demo's referrals and allocation (`manage.py seed_demo`), recorded through the services as
the people would have. Randomness comes from a generator seeded from the case's stable
facts, never from the demo's shared one, so adding work here leaves the cases as they were.

seed_demo has already set each case's facts (referral date, complexity, date of
allocation, named social worker): this records the detail behind them — who referred, the
risk sensible model, the manager's directions — with the same values, so no fact changes.
"""

import random

from django.contrib.auth import get_user_model
from faker import Faker

from accounts.models import Agency, AgencyCode, Role, RoleCode
from referrals.models import ReferrerAgency, RiskFactor, RiskFactorKind
from referrals.services import allocation_problems, case_allocate, referral_record

# Milestone id -> a function that records the work which does it:
# fn(*, case, actor, done_on) where actor is someone of the owning agency.
# The referral, team routing and allocation milestones are done by the case's facts.
MILESTONE_WORK: dict = {}

# How many high risk indicators and underlying risk factors a referral at each stage has.
RISK_BY_STAGE = {
    "just_referred": ((1, 2), (1, 3)),
    "mid_assessment": ((1, 3), (1, 3)),
    "child_in_need": ((1, 2), (2, 3)),
    "cp_plan": ((2, 4), (1, 3)),
    "pre_proceedings": ((3, 4), (2, 3)),
    "care_proceedings": ((3, 5), (2, 4)),
    "born_at_home": ((2, 3), (1, 3)),
    "parent_and_child": ((3, 4), (2, 3)),
    "closed": ((0, 1), (1, 2)),
    "loss": ((1, 3), (1, 2)),
}
# Cases heading for proceedings have been there before, more often than not.
PROCEEDINGS_STAGES = {"pre_proceedings", "care_proceedings", "parent_and_child"}

REFERRER_AGENCIES = [
    ReferrerAgency.MIDWIFERY, ReferrerAgency.MIDWIFERY, ReferrerAgency.MIDWIFERY,
    ReferrerAgency.MIDWIFERY, ReferrerAgency.HEALTH_VISITING, ReferrerAgency.GP,
    ReferrerAgency.POLICE, ReferrerAgency.EDUCATION, ReferrerAgency.SELF_OR_FAMILY,
    ReferrerAgency.OTHER,
]  # fmt: skip

HIGH_RISK_NOTES = [
    "Mother disclosed the risk at the booking appointment.",
    "Information shared by the police domestic abuse unit.",
    "Older sibling lives with maternal grandparents under a special guardianship order.",
    "Concerns raised at the pre-birth liaison meeting.",
]
UNDERLYING_NOTES = [
    "Family living in temporary accommodation.",
    "Father's involvement not yet known.",
    "Mother has missed two antenatal appointments.",
    "Limited support from wider family, who live out of the county.",
]
COMPLEX_NOTES = [
    "Several high risk indicators together, and a previous child in proceedings.",
    "Multiple agencies involved and risks from more than one adult in the household.",
]
NOT_COMPLEX_NOTES = [
    "A single concern, and the parents are engaging with support.",
    "Risks are known and the family is working with services.",
]
DIRECTIONS = [
    "Complete the introductory home visit within ten working days, seeing both parents"
    " including the putative father.",
    "Inform the midwife, health visitor and GP of the pre-birth assessment.",
    "Request police and previous local authority checks.",
    "Book the multi-agency assessment meeting within 15 working days.",
    "Start the genogram and chronology; consider a Family Group Conference referral.",
    "Discuss PAMS or hair strand testing at the 10 day check point.",
    "Explore the wider family's support and who could care for the baby.",
    "Bring the assessment to supervision at the 10 day check point.",
]


def _rng(case) -> random.Random:
    return random.Random(f"{case.mother.family_name}{case.edd}referrals")


def locality_team_manager(locality):
    """A team manager of the locality: in the demo's four, the persona who signs in
    (seed_demo's mark and LOCALITY_TEAM_MANAGERS). A locality without one (a case seeded
    on its own, in a test) gets an invented one, who cannot sign in."""
    User = get_user_model()
    manager = (
        User.objects.filter(
            is_active=True, roles__code=RoleCode.TEAM_MANAGER, agency__code=AgencyCode.CSC,
            localities=locality,
        )
        .order_by("username")
        .first()
    )  # fmt: skip
    if manager is not None:
        return manager
    fake = Faker("en_GB")
    fake.seed_instance(f"{locality.slug}team-manager")
    first, last = fake.first_name(), fake.last_name()
    manager = User.objects.create(
        username=f"{first}.{last}.{locality.slug}".lower().replace("'", ""),
        first_name=first,
        last_name=last,
        agency=Agency.objects.get(code=AgencyCode.CSC),
        job_title="Team manager",
    )
    manager.set_unusable_password()
    manager.save(update_fields=["password"])
    manager.roles.add(Role.objects.get(code=RoleCode.TEAM_MANAGER))
    manager.localities.add(locality)
    return manager


def _pick(rng, factors, count_range, *, first=None):
    count = rng.randint(*count_range)
    chosen = [f for f in factors if f.code == first] if first else []
    rest = [f for f in factors if f not in chosen]
    return chosen + rng.sample(rest, max(0, min(count - len(chosen), len(rest))))


def _record_referral(rng, case, actor, stage):
    high_range, underlying_range = RISK_BY_STAGE.get(stage, ((1, 2), (1, 2)))
    factors = list(RiskFactor.objects.filter(active=True))
    high = [f for f in factors if f.kind == RiskFactorKind.HIGH_RISK_INDICATOR]
    underlying = [f for f in factors if f.kind == RiskFactorKind.UNDERLYING_RISK_FACTOR]
    first = "previous_child_removed" if stage in PROCEEDINGS_STAGES and rng.random() < 0.7 else None
    chosen = _pick(rng, high, high_range, first=first) + _pick(rng, underlying, underlying_range)
    fake = Faker("en_GB")
    fake.seed_instance(rng.randint(0, 10**9))
    referral_record(
        actor=actor,
        context=None,
        case=case,
        received_on=case.referral_date,
        referrer_name=fake.name(),
        referrer_agency=rng.choice(REFERRER_AGENCIES),
        risk_factors=chosen,
        complex=case.complex,
        high_risk_notes=rng.choice(HIGH_RISK_NOTES) if rng.random() < 0.5 else "",
        underlying_notes=rng.choice(UNDERLYING_NOTES) if rng.random() < 0.5 else "",
        complexity_notes=rng.choice(COMPLEX_NOTES if case.complex else NOT_COMPLEX_NOTES),
    )


def seed_case(*, today, case, recorders, stage) -> None:
    """Work of this kind that no milestone asks for (called once per demo case): the
    referral record of every referred case, the allocation of every allocated one."""
    case.refresh_from_db()
    if case.referral_date is None:
        return
    rng = _rng(case)
    _record_referral(rng, case, recorders[AgencyCode.CSC], stage)
    worker = case.named_social_worker
    if case.allocation_date is None or worker is None:
        # Allocated with no social worker named: a gap the demo shows (it stays in the
        # allocation queue).
        return
    directions = "\n".join(rng.sample(DIRECTIONS, rng.randint(3, 5)))
    if allocation_problems(case, worker, case.allocation_date, directions):
        return  # named someone who could not hold it (a test's made-up team)
    case_allocate(
        actor=locality_team_manager(case.locality),
        context=None,
        case=case,
        allocated_to=worker,
        allocated_on=case.allocation_date,
        directions=directions,
    )
