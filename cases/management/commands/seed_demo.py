"""Create the demo: one user per role, ~120 synthetic cases at every stage, and in every
locality last month's finalised tracking meeting and next month's scheduled one.

Everything is invented: names from Faker's en_GB locale with a fixed seed, NHS
numbers from the never-issued 999 range. Dates are relative to the day it
runs, so the demo always shows a live caseload, and the same one every time.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from accounts import two_factor
from accounts.models import Agency, AgencyCode, CscTeam, Locality, Role, RoleCode, User
from assessments import demo as assessments_demo
from cases import services
from cases.models import (
    Case,
    CscInput,
    IdentificationSource,
    PregnancyOutcome,
    Relationship,
    Sex,
)
from checkpoints import demo as checkpoints_demo
from documents import demo as documents_demo
from history import demo as history_demo
from meetings.demo import Leads
from meetings.demo import seed_meetings as demo_meetings
from meetings.models import Meeting
from plans import demo as plans_demo
from postnatal import demo as postnatal_demo
from referrals import demo as referrals_demo
from rules import nhs_number as nhs
from rules.gestation import date_at_gestation
from visits import demo as visits_demo

SEED = 2027
# The pre-birth assessment's work, each app's own demo (its demo.py): the milestones its
# records do, and the work no milestone asks for.
WORK_DEMOS = (referrals_demo, assessments_demo, checkpoints_demo, plans_demo, postnatal_demo,
              visits_demo, documents_demo, history_demo)  # fmt: skip
MILESTONE_WORK = {
    milestone_id: record
    for demo in WORK_DEMOS
    for milestone_id, record in demo.MILESTONE_WORK.items()
}
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 – printed for the demo; refused in production
CASES_PER_LOCALITY = 30


@dataclass(frozen=True)
class Persona:
    username: str
    first_name: str
    last_name: str
    role: str
    agency: str
    job_title: str
    team: str = ""
    all_localities: bool = False
    staff: bool = False
    locality: str = "mendip"
    email: bool = True


# The people of ../shared/JOURNEYS.md (invented names), plus one for each other role.
PERSONAS = [
    Persona("priya", "Priya", "Sharma", RoleCode.SOCIAL_WORKER, AgencyCode.CSC,
            "Social worker, Safeguarding Children's Team", CscTeam.SAFEGUARDING),
    Persona("mark", "Mark", "Ellison", RoleCode.TEAM_MANAGER, AgencyCode.CSC,
            "Team manager, Safeguarding Children's Team", CscTeam.SAFEGUARDING),
    Persona("jo", "Jo", "Whitcombe", RoleCode.OPERATIONS_MANAGER, AgencyCode.CSC,
            "Locality operations manager"),
    Persona("helen", "Helen", "Marsh", RoleCode.NAMED_MIDWIFE, AgencyCode.MIDWIFERY,
            "Named Midwife for Safeguarding"),
    Persona("maria", "Maria", "Okafor", RoleCode.MIDWIFE, AgencyCode.MIDWIFERY,
            "Community midwife"),
    Persona("sam", "Sam", "Fairweather", RoleCode.NAMED_PHN, AgencyCode.PHN,
            "Named PHN for Safeguarding"),
    Persona("hannah", "Hannah", "Pryce", RoleCode.HEALTH_VISITOR, AgencyCode.PHN,
            "Health visitor"),
    Persona("gita", "Gita", "Rowe", RoleCode.GUEST, AgencyCode.GUEST,
            "Named Nurse for Safeguarding Children"),
    Persona("dev", "Dev", "Anand", RoleCode.PARTNERSHIP_ANALYST, AgencyCode.PARTNERSHIP,
            "Learning and improvement analyst", all_localities=True),
    Persona("alex", "Alex", "Mbeki", RoleCode.SYSTEM_ADMINISTRATOR, AgencyCode.COUNCIL,
            "Systems administrator", all_localities=True, staff=True),
    Persona("ruth", "Ruth", "Kendall", RoleCode.DATA_PROTECTION_OFFICER, AgencyCode.COUNCIL,
            "Data protection officer", all_localities=True),
]  # fmt: skip
# Added to a demo made before them (a second `make demo`).
LATER_PERSONAS = [p for p in PERSONAS if p.role == RoleCode.DATA_PROTECTION_OFFICER]

# Each other locality's tracking meeting: its chair, CSC operations manager and Named PHN
# (Mendip's are helen, jo and sam). Sedgemoor's Named PHN has no email address, so the
# chair sees who an invitation cannot reach.
LOCALITY_LEADS = [
    Persona("rosa", "Rosa", "Allard", RoleCode.NAMED_MIDWIFE, AgencyCode.MIDWIFERY,
            "Deputy Named Midwife for Safeguarding", locality="sedgemoor"),
    Persona("tom", "Tom", "Blackmore", RoleCode.OPERATIONS_MANAGER, AgencyCode.CSC,
            "Locality operations manager", locality="sedgemoor"),
    Persona("nadia", "Nadia", "Price", RoleCode.NAMED_PHN, AgencyCode.PHN,
            "Deputy Named PHN for Safeguarding", locality="sedgemoor", email=False),
    Persona("claire", "Claire", "Yeo", RoleCode.NAMED_MIDWIFE, AgencyCode.MIDWIFERY,
            "Deputy Named Midwife for Safeguarding", locality="south-somerset"),
    Persona("owen", "Owen", "Penrose", RoleCode.OPERATIONS_MANAGER, AgencyCode.CSC,
            "Locality operations manager", locality="south-somerset"),
    Persona("farah", "Farah", "Malik", RoleCode.NAMED_PHN, AgencyCode.PHN,
            "Deputy Named PHN for Safeguarding", locality="south-somerset"),
    Persona("bethan", "Bethan", "Lloyd", RoleCode.NAMED_MIDWIFE, AgencyCode.MIDWIFERY,
            "Deputy Named Midwife for Safeguarding", locality="taunton-and-west-somerset"),
    Persona("marcus", "Marcus", "Hale", RoleCode.OPERATIONS_MANAGER, AgencyCode.CSC,
            "Locality operations manager", locality="taunton-and-west-somerset"),
    Persona("imogen", "Imogen", "Tull", RoleCode.NAMED_PHN, AgencyCode.PHN,
            "Deputy Named PHN for Safeguarding", locality="taunton-and-west-somerset"),
]  # fmt: skip
# Each other locality's team manager, who allocates its referrals and authorises its
# assessments (Mendip's is mark), each of the team most of its locality's social workers
# are in.
LOCALITY_TEAM_MANAGERS = [
    Persona("kieran", "Kieran", "Doyle", RoleCode.TEAM_MANAGER, AgencyCode.CSC,
            "Team manager, Duty and Assessment Team", CscTeam.DUTY_AND_ASSESSMENT,
            locality="sedgemoor"),
    Persona("lucy", "Lucy", "Hartnell", RoleCode.TEAM_MANAGER, AgencyCode.CSC,
            "Team manager, Safeguarding Children's Team", CscTeam.SAFEGUARDING,
            locality="south-somerset"),
    Persona("ravi", "Ravi", "Chandran", RoleCode.TEAM_MANAGER, AgencyCode.CSC,
            "Team manager, Duty and Assessment Team", CscTeam.DUTY_AND_ASSESSMENT,
            locality="taunton-and-west-somerset"),
]  # fmt: skip
MEETING_ROLES = {
    RoleCode.NAMED_MIDWIFE: "chair",
    RoleCode.OPERATIONS_MANAGER: "operations_manager",
    RoleCode.NAMED_PHN: "named_phn",
}

# (stage, how many in every 30 of a locality's cases)
STAGES = [
    ("identified", 3),
    ("just_referred", 4),
    ("mid_assessment", 5),
    ("child_in_need", 3),
    ("cp_plan", 4),
    ("pre_proceedings", 2),
    ("care_proceedings", 1),
    ("born_at_home", 3),
    ("parent_and_child", 1),
    ("closed", 2),
    ("loss", 2),
]


class Command(BaseCommand):
    help = "Create demo users and ~120 synthetic cases (development only)."

    def add_arguments(self, parser):
        parser.add_argument("--cases-per-locality", type=int, default=CASES_PER_LOCALITY)

    def handle(self, *args, cases_per_locality, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo creates invented people: it never runs in production")
        if not Case.objects.exists():
            with transaction.atomic():
                count = seed(today=timezone.localdate(), cases_per_locality=cases_per_locality)
            self.stdout.write(self.style.SUCCESS(f"Created {count} synthetic cases."))
        else:
            # A demo made before it had meetings, or before every locality's team manager
            # could sign in: add what it lacks, to today's calendar.
            with transaction.atomic():
                meetings = [] if Meeting.objects.exists() else seed_meetings(
                    today=timezone.localdate())  # fmt: skip
                managers = _add_people(LOCALITY_TEAM_MANAGERS)
                later = _add_people(LATER_PERSONAS)
            if meetings:
                self.stdout.write(self.style.SUCCESS(f"Added {len(meetings)} tracking meetings."))
            if managers:
                added = ", ".join(user.username for user in managers)
                self.stdout.write(self.style.SUCCESS(f"Added the team managers {added}."))
            if later:
                added = ", ".join(user.username for user in later)
                self.stdout.write(self.style.SUCCESS(f"Added {added}."))
            if not meetings and not managers and not later:
                self.stdout.write("Demo data is already there: nothing to do.")
        enrolled = _enrol_for_two_factor()
        if enrolled:
            self.stdout.write(f"Set up two-factor sign-in for {len(enrolled)} demo people.")
        self.stdout.write(f"\nDemo sign-ins (password for all: {DEMO_PASSWORD}):")
        for persona in PERSONAS:
            where = "all localities" if persona.all_localities else "Mendip"
            self.stdout.write(f"  {persona.username:<8} {persona.job_title} ({where})")
        names = dict(Locality.objects.values_list("slug", "name"))
        for heading, personas in (
            ("Each other locality's team manager:", LOCALITY_TEAM_MANAGERS),
            ("Each other locality's tracking meeting:", LOCALITY_LEADS),
        ):
            self.stdout.write(heading)
            for persona in personas:
                where = names.get(persona.locality, persona.locality)
                self.stdout.write(f"  {persona.username:<8} {persona.job_title} ({where})")
        self.stdout.write(
            "\nSigning in asks for a code from an authenticator app too. Without a phone, in"
            " another terminal:\n  make demo-code who=priya   (or: .venv/bin/python manage.py"
            " demo_code priya)"
        )


def _enrol_for_two_factor() -> list[User]:
    """Every demo person signs in with a code too, from an authenticator set up here:
    `manage.py demo_code <username>` shows the code their phone would."""
    enrolled = list(User.objects.exclude(totpdevice__confirmed=True))
    for user in enrolled:
        two_factor.enrol_for_demo(user)
    return enrolled


def _make_user(persona: Persona, *, password: str, localities) -> User:
    """A demo persona's account, with its agency, role and localities."""
    user = User.objects.create(
        username=persona.username,
        password=password,
        first_name=persona.first_name,
        last_name=persona.last_name,
        email=f"{persona.username}@example.org" if persona.email else "",
        agency=Agency.objects.get(code=persona.agency),
        job_title=persona.job_title,
        team=persona.team,
        is_staff=persona.staff,
        is_superuser=persona.staff,
    )
    user.roles.add(Role.objects.get(code=persona.role))
    user.localities.add(*localities)
    return user


def _add_people(personas: list[Persona], *, password: str | None = None) -> list[User]:
    """The accounts of these personas that are not there yet (a persona of a locality the
    database does not have is left out), made now: in their locality, or in every one."""
    by_slug = {locality.slug: locality for locality in Locality.objects.all()}
    there = set(User.objects.filter(username__in=[p.username for p in personas])
                .values_list("username", flat=True))  # fmt: skip
    added = []
    for persona in personas:
        if persona.username not in there and persona.locality in by_slug:
            password = password or make_password(DEMO_PASSWORD)
            where = [by_slug[persona.locality]]
            if persona.all_localities:
                where = list(by_slug.values())
            added.append(_make_user(persona, password=password, localities=where))
    return added


def seed_meetings(*, today: date, password: str | None = None) -> list[Meeting]:
    """Every locality's last-month and next-month tracking meetings (meetings/demo.py),
    with the people of each meeting: Mendip's personas, and the other localities' leads
    (made here if they are not there yet)."""
    localities = list(Locality.objects.order_by("name"))
    by_slug = {locality.slug: locality for locality in localities}
    _add_people(LOCALITY_LEADS, password=password)
    existing = {user.username: user for user in User.objects.filter(
        username__in=[p.username for p in [*PERSONAS, *LOCALITY_LEADS]])}  # fmt: skip
    people: dict[int, dict[str, User]] = {locality.id: {} for locality in localities}
    for persona in [*PERSONAS, *LOCALITY_LEADS]:
        user = existing.get(persona.username)
        if user is not None and persona.role in MEETING_ROLES and persona.locality in by_slug:
            people[by_slug[persona.locality].id][MEETING_ROLES[persona.role]] = user
    guest = existing.get("gita")
    leads = {
        locality.id: Leads(
            **people[locality.id],
            guests=(guest,) if guest is not None and locality.slug == "mendip" else (),
        )
        for locality in localities
        if len(people[locality.id]) == len(MEETING_ROLES)
    }
    return demo_meetings(
        today=today, localities=[loc for loc in localities if loc.id in leads], leads=leads
    )


def seed(*, today: date, cases_per_locality: int) -> int:
    fake = Faker("en_GB")
    fake.seed_instance(SEED)
    rng = random.Random(SEED)
    localities = list(Locality.objects.order_by("name"))
    mendip = next(loc for loc in localities if loc.slug == "mendip")
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    roles = {role.code: role for role in Role.objects.all()}
    # Hash once: every demo account shares the password, and hashing is slow on purpose.
    password = make_password(DEMO_PASSWORD)

    def make_user(username, first, last, role, agency, job_title, team, user_localities, staff):
        user = User.objects.create(
            username=username,
            password=password,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            agency=agencies[agency],
            job_title=job_title,
            team=team,
            is_staff=staff,
            is_superuser=staff,
        )
        user.roles.add(roles[role])
        user.localities.add(*user_localities)
        return user

    personas = {
        p.username: _make_user(
            p, password=password, localities=localities if p.all_localities else [mendip]
        )
        for p in PERSONAS
    }
    # Before the cases: they allocate their localities' referrals and authorise the
    # assessments (referrals/demo.py, assessments/demo.py).
    _add_people(LOCALITY_TEAM_MANAGERS, password=password)

    # A small team in each locality, so every case can have named professionals.
    staff: dict[int, dict[str, list[User]]] = {}
    for locality in localities:
        team = {RoleCode.SOCIAL_WORKER: [], RoleCode.MIDWIFE: [], RoleCode.HEALTH_VISITOR: []}
        for role, agency, title in (
            (RoleCode.SOCIAL_WORKER, AgencyCode.CSC, "Social worker"),
            (RoleCode.MIDWIFE, AgencyCode.MIDWIFERY, "Community midwife"),
            (RoleCode.HEALTH_VISITOR, AgencyCode.PHN, "Health visitor"),
        ):
            for _ in range(3):
                first, last = fake.first_name(), fake.last_name()
                username = f"{first}.{last}.{locality.slug}".lower().replace("'", "")
                csc_team = rng.choice(CscTeam.values) if role == RoleCode.SOCIAL_WORKER else ""
                team[role].append(
                    make_user(username, first, last, role, agency, title, csc_team, [locality],
                              False)
                )  # fmt: skip
        staff[locality.id] = team
    staff[mendip.id][RoleCode.SOCIAL_WORKER].insert(0, personas["priya"])
    staff[mendip.id][RoleCode.MIDWIFE].insert(0, personas["maria"])
    staff[mendip.id][RoleCode.HEALTH_VISITOR].insert(0, personas["hannah"])

    london = ZoneInfo(settings.TIME_ZONE)
    count = 0
    plan = [stage for stage, weight in STAGES for _ in range(weight)]
    for locality in localities:
        team = staff[locality.id]
        registrar = team[RoleCode.MIDWIFE][0]
        for index in range(cases_per_locality):
            stage = plan[index % len(plan)]
            _seed_case(fake, rng, today, london, locality, team, registrar, stage)
            count += 1
    # Its own generator (meetings/demo.py): adding meetings left the cases as they were.
    seed_meetings(today=today, password=password)
    return count


def _seed_case(fake, rng, today, london, locality, team, registrar, stage):
    in_hospital = False
    if stage in {"born_at_home", "parent_and_child"}:
        weeks_since_birth = rng.randint(0, 3) if stage == "born_at_home" else rng.randint(1, 6)
        birth = today - timedelta(days=weeks_since_birth * 7 + rng.randint(0, 6))
        # Some born yesterday, going home in the next few days: the discharge planning
        # meeting is due before then.
        in_hospital = stage == "born_at_home" and rng.random() < 0.3
        if in_hospital:
            birth = today - timedelta(days=1)
        edd = birth + timedelta(days=rng.randint(-14, 10))
    elif stage in {"closed", "loss"}:
        edd = today + timedelta(days=rng.randint(20, 180))
    else:
        gestation_weeks = {
            "identified": (9, 18),  # some past 16 weeks: a referral the midwife must chase
            "just_referred": (14, 22),
            "mid_assessment": (18, 28),
            "child_in_need": (22, 34),
            "cp_plan": (26, 38),
            "pre_proceedings": (28, 39),
            "care_proceedings": (32, 39),
        }[stage]
        weeks = rng.randint(*gestation_weeks)
        edd = today + timedelta(days=280 - weeks * 7 - rng.randint(0, 6))
    identified = max(date_at_gestation(edd, rng.randint(7, 12)), today - timedelta(days=300))
    identified = min(identified, today)
    mother_age = rng.randint(16, 42)
    family_name = fake.last_name()
    mother = {
        "given_name": fake.first_name_female(),
        "family_name": family_name,
        "date_of_birth": today - timedelta(days=mother_age * 365 + rng.randint(0, 364)),
        "nhs_number": nhs.synthetic(rng),
        "address": fake.street_address(),
        "postcode": fake.postcode(),
    }
    partner = None
    if rng.random() < 0.8:
        partner = {
            "relationship": rng.choice(
                [Relationship.FATHER, Relationship.FATHER, Relationship.PUTATIVE_FATHER,
                 Relationship.PARTNER]
            ),
            "person": {
                "given_name": fake.first_name_male(),
                "family_name": rng.choice([family_name, fake.last_name()]),
                "date_of_birth": today
                - timedelta(days=(mother_age + rng.randint(-3, 8)) * 365 + rng.randint(0, 364)),
            },
        }  # fmt: skip
    csc_input = {
        "identified": CscInput.NONE,
        "just_referred": CscInput.ASSESSMENT,
        "mid_assessment": CscInput.ASSESSMENT,
        "child_in_need": CscInput.CHILD_IN_NEED,
        "cp_plan": CscInput.CHILD_PROTECTION,
        "pre_proceedings": CscInput.PRE_PROCEEDINGS,
        "care_proceedings": CscInput.CARE_PROCEEDINGS,
        "born_at_home": rng.choice([CscInput.CHILD_PROTECTION, CscInput.CHILD_IN_NEED]),
        "parent_and_child": CscInput.CLA_PARENT_AND_CHILD,
        "closed": CscInput.CLOSED,
        "loss": rng.choice([CscInput.ASSESSMENT, CscInput.CHILD_PROTECTION]),
    }[stage]
    # Some gaps on purpose: the service should show them.
    has_social_worker = csc_input != CscInput.NONE and rng.random() < 0.85
    case = services.case_register(
        actor=registrar,
        context=None,
        mother=mother,
        partner=partner,
        edd=edd,
        locality=locality,
        identified_date=identified,
        identified_source=rng.choice(IdentificationSource.values[:4]),
        csc_input=csc_input,
        named_social_worker=(
            rng.choice(team[RoleCode.SOCIAL_WORKER][:2]) if has_social_worker else None
        ),
        named_midwife=rng.choice(team[RoleCode.MIDWIFE]) if rng.random() < 0.95 else None,
        named_health_visitor=(
            rng.choice(team[RoleCode.HEALTH_VISITOR]) if rng.random() < 0.7 else None
        ),
    )
    if rng.random() < 0.3 and stage not in {"born_at_home", "parent_and_child"}:
        services.edd_revise(
            actor=registrar,
            context=None,
            case=case,
            edd=edd + timedelta(days=rng.choice([-5, -3, 2, 4, 6])),
            reason="Dating scan",
        )
    # Referral, decisions and placement are children's social care's to record.
    social_worker = team[RoleCode.SOCIAL_WORKER][0]
    referral = _seed_facts(rng, today, case, social_worker, stage, identified)
    if stage in {"born_at_home", "parent_and_child"}:
        babies = [
            services.BabyDetails(
                born_at=datetime.combine(birth, time(rng.randint(0, 23), rng.randint(0, 59)),
                                         tzinfo=london),
                sex=rng.choice([Sex.FEMALE, Sex.MALE]),
                given_name=fake.first_name(),
                family_name=family_name,
                nhs_number=nhs.synthetic(rng),
                birth_weight_grams=rng.randint(2300, 4200),
            )
            for _ in range(2 if rng.random() < 0.1 else 1)
        ]  # fmt: skip
        services.outcome_record(
            actor=registrar,
            context=None,
            case=case,
            outcome=PregnancyOutcome.LIVE_BIRTH,
            outcome_date=birth,
            babies=babies,
        )
        discharge_day = birth + timedelta(days=rng.randint(1, 4))
        if in_hospital:
            discharge_day = max(discharge_day, today + timedelta(days=1))
        discharge = datetime.combine(discharge_day, time(rng.randint(9, 17)), tzinfo=london)
        facts = {}
        if rng.random() < 0.7:
            # Planned on the day the baby went (or will go), or a day sooner than it happened.
            planned = discharge.date() - timedelta(days=rng.choice([0, 0, 1]))
            facts["planned_discharge_date"] = max(planned, birth)
        if discharge.date() <= today:
            facts.update(
                discharge=discharge,
                placement="home" if stage == "born_at_home" else "parent_and_child",
                placement_date=discharge.date(),
            )
        if facts:
            services.case_facts_update(actor=social_worker, context=None, case=case, **facts)
        _seed_progress(rng, today, case, _recorders(case, team, registrar), referral)
    elif stage == "loss":
        _seed_progress(rng, today, case, _recorders(case, team, registrar), referral)
        services.outcome_record(
            actor=registrar,
            context=None,
            case=case,
            outcome=rng.choice(
                [PregnancyOutcome.MISCARRIAGE, PregnancyOutcome.STILLBIRTH,
                 PregnancyOutcome.TERMINATION]
            ),
            outcome_date=today - timedelta(days=rng.randint(1, 40)),
        )  # fmt: skip
    else:
        _seed_progress(rng, today, case, _recorders(case, team, registrar), referral)
    recorders = _recorders(case, team, registrar)
    for demo in WORK_DEMOS:
        demo.seed_case(today=today, case=case, recorders=recorders, stage=stage)
    return case


# Days before today the referral came, by stage (None: not referred yet).
REFERRED_DAYS_AGO = {
    "identified": None,
    "just_referred": (0, 2),
    "mid_assessment": (8, 50),
    "child_in_need": (40, 120),
    "cp_plan": (50, 150),
    "pre_proceedings": (60, 150),
    "care_proceedings": (80, 160),
    "closed": (60, 150),
    "loss": (10, 60),
}


def _seed_facts(rng, today, case, actor, stage, identified):
    """Referral, allocation and decisions, as a worker would have recorded them."""
    if stage in {"born_at_home", "parent_and_child"}:
        referral = case.edd - timedelta(days=rng.randint(60, 170))
    elif REFERRED_DAYS_AGO[stage] is None:
        return None
    else:
        referral = today - timedelta(days=rng.randint(*REFERRED_DAYS_AGO[stage]))
    referral = min(max(referral, identified + timedelta(days=3)), today)
    allocation = referral + timedelta(days=rng.choice([0, 1, 1, 2, 3]))
    protective = stage in {"cp_plan", "pre_proceedings", "care_proceedings"} or (
        stage in {"born_at_home", "parent_and_child"}
        and case.csc_input == CscInput.CHILD_PROTECTION
    )
    strategy = referral + timedelta(days=rng.randint(10, 30)) if protective else None
    services.case_facts_update(
        actor=actor, context=None, case=case,
        referral_date=referral,
        complex=rng.random() < 0.6,
        allocation_date=allocation if allocation <= today and stage != "just_referred" else None,
        significant_harm=protective,
        strategy_discussion_date=strategy if strategy and strategy <= today else None,
        bla_panel=stage == "care_proceedings" or (stage == "parent_and_child"),
    )  # fmt: skip
    return referral


def _recorders(case, team, registrar) -> dict:
    """Who records each agency's milestones: only the owning agency may."""
    return {
        AgencyCode.CSC: case.named_social_worker or team[RoleCode.SOCIAL_WORKER][0],
        AgencyCode.MIDWIFERY: case.named_midwife or registrar,
        AgencyCode.PHN: case.named_health_visitor or team[RoleCode.HEALTH_VISITOR][0],
    }


def _seed_progress(rng, today, case, recorders, referral):
    """Mark most past milestones done, some late, and leave some overdue: a realistic mix.
    Each is recorded by someone of the agency that owns it."""
    from timeline.models import CaseMilestone, MilestoneState
    from timeline.services import milestone_done_by_step, milestone_record_done

    if referral is None:
        return
    automatic = {"referral", "team_routing", "allocation", "tracking_end"}
    rows = CaseMilestone.objects.filter(case=case, state=MilestoneState.OPEN).exclude(
        milestone_id__in=automatic
    )
    # Steps that come with or after the initial child protection conference.
    after_icpc = {"birth_plan", "cp_review_conference"}
    icpc_open = False
    for row in list(rows):
        if row.milestone_id in after_icpc and icpc_open:
            continue  # not done before the conference they follow
        if row.due_date is None:
            if row.tracked_without_date and rng.random() < 0.4:
                done = today - timedelta(days=rng.randint(0, 10))
            else:
                continue
        elif row.due_date < today:
            roll = rng.random()
            if roll < 0.65:
                done = row.due_date - timedelta(days=rng.randint(0, 4))
            elif roll < 0.8:
                done = min(row.due_date + timedelta(days=rng.randint(1, 6)), today)
            else:
                icpc_open = icpc_open or row.milestone_id == "icpc"
                continue  # left overdue, for the dashboards to show
        elif row.warning_from and row.warning_from <= today and rng.random() < 0.2:
            done = today
        else:
            continue
        # Nothing is done before what it follows: the allocation, the birth, the discharge.
        earliest = max(referral, case.allocation_date or referral)
        if case.birth_date and row.due_date and row.due_date >= case.birth_date:
            earliest = max(earliest, case.birth_date)
        if case.discharge and row.milestone_id in {"home_visit_48h", "foster_visit_72h"}:
            earliest = max(earliest, timezone.localtime(case.discharge).date())
        done_on = min(max(done, earliest), today)
        record = MILESTONE_WORK.get(row.milestone_id)
        if record is not None:
            # Done by the work itself (a visit, a checkpoint), as the worker would record it.
            record(case=case, actor=recorders[row.owner], done_on=done_on)
            continue
        if milestone_done_by_step(row.milestone_id) is not None:
            continue  # done only by its work, which no demo records: it cannot be ticked
        milestone_record_done(
            actor=recorders[row.owner], context=None, case=case, milestone_id=row.milestone_id,
            done_date=done_on, note="",
        )  # fmt: skip
