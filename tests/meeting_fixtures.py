"""A finalised tracking meeting with everything its record shows, for any test (and the
benchmark) to build on:

    built = finalised_meeting(families=3)
    built.meeting, built.chair, built.operations_manager, built.named_phn, built.discussions

Everything goes through the services, as a chair and members would do it: families
registered in the locality (open to CSC, unborn on the day, so the rule puts them in the
cohort in EDD order), a meeting scheduled with its members, attendance, each family's
concerns, key points and actions (CSC for every family, PHN and midwifery for some), the
next meeting scheduled, the record finalised and one addendum. Names are Faker en_GB,
seeded; NHS numbers come from the never-issued 999 range.
"""

import itertools
import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.utils import timezone
from faker import Faker

from accounts.models import Locality, Role, RoleCode, User
from cases import services as case_services
from cases.models import Case, CscInput, IdentificationSource, Relationship
from meetings import services
from meetings.models import Discussion, Meeting
from rules import nhs_number as nhs
from tests.conftest import reference_data

LEVELS = (CscInput.ASSESSMENT, CscInput.CHILD_IN_NEED, CscInput.CHILD_PROTECTION,
          CscInput.PRE_PROCEEDINGS)  # fmt: skip
_builds = itertools.count(1)


@dataclass
class BuiltMeeting:
    meeting: Meeting
    chair: User
    operations_manager: User
    named_phn: User
    social_worker: User
    cases: list[Case]
    discussions: list[Discussion]  # in cohort order
    next_meeting: Meeting | None = None


def make_staff(username: str, role: str, locality: str, password: str | None = None) -> User:
    role_obj = Role.objects.get(code=role)
    user = User.objects.create_user(
        username=username,
        password=password,
        first_name=username.split("-")[0].capitalize(),
        last_name="Tester",
        agency=role_obj.agency,
    )
    user.roles.add(role_obj)
    user.localities.add(Locality.objects.get(slug=locality))
    return user


def finalised_meeting(
    *,
    families: int = 3,
    locality: str = "mendip",
    day: date | None = None,
    finalise: bool = True,
    addendum: bool = True,
    next_meeting: bool = True,
    password: str | None = None,
    seed: int = 8,
) -> BuiltMeeting:
    """A meeting in `locality` on `day` (a week today unless given) with `families`
    families recorded and, unless `finalise=False`, finalised."""
    reference_data()
    build = next(_builds)
    today = timezone.localdate()
    day = day or today + timedelta(days=7)
    place = Locality.objects.get(slug=locality)

    def staff(name: str, role: str) -> User:
        return make_staff(f"{name}-{build}", role, locality, password)

    chair = staff("helen", RoleCode.NAMED_MIDWIFE)
    manager = staff("jo", RoleCode.OPERATIONS_MANAGER)
    phn = staff("sam", RoleCode.NAMED_PHN)
    worker = staff("priya", RoleCode.SOCIAL_WORKER)
    fake = Faker("en_GB")
    fake.seed_instance(seed + build)
    rng = random.Random(seed + build)
    cases = []
    for n in range(families):
        partner = None
        if n % 2 == 0:
            partner = {
                "person": {
                    "given_name": fake.first_name_male(),
                    "family_name": fake.last_name(),
                    "date_of_birth": date(1990, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                },
                "relationship": Relationship.FATHER if n % 4 == 0 else Relationship.PARTNER,
            }
        cases.append(
            case_services.case_register(
                actor=worker,
                context=None,
                mother={
                    "given_name": fake.first_name_female(),
                    "family_name": fake.last_name(),
                    "date_of_birth": date(1995, 1, 1) + timedelta(days=rng.randint(0, 3000)),
                    "nhs_number": nhs.synthetic(rng),
                    "address": fake.street_address(),
                    "postcode": "BA11 1AA",
                },
                partner=partner,
                # Distinct EDDs, unborn on the day: the rule orders the cohort by EDD.
                edd=day + timedelta(days=60 + 2 * n),
                locality=place,
                identified_date=today - timedelta(days=30),
                identified_source=IdentificationSource.BOOKING,
                csc_input=LEVELS[n % len(LEVELS)],
                named_social_worker=worker,
            )
        )
    meeting = services.meeting_schedule(
        actor=chair,
        context=None,
        locality=place,
        details=services.MeetingDetails(
            day, time(10), time(12), chair, venue="Frome Medical Centre, room 2"
        ),
        members=[manager, phn],
    )[0]
    members = {m.user_id: m.pk for m in meeting.members.all()}
    services.attendance_record(
        actor=chair,
        context=None,
        meeting=meeting,
        attendance=dict.fromkeys(members.values(), ("attended", "")),
    )
    ours = {case.pk for case in cases}
    discussions = [d for d in meeting.discussions.order_by("position", "pk") if d.case_id in ours]
    due = day + timedelta(days=14)
    for n, discussion in enumerate(discussions):
        services.discussion_record(
            actor=chair,
            context=None,
            discussion=discussion,
            version=None,
            record=services.DiscussionRecord(
                current_concerns=f"Concerns for family {n + 1}: {fake.sentence(nb_words=8)}",
                key_points=f"Key point {n + 1}a: {fake.sentence(nb_words=6)}\n"
                f"Key point {n + 1}b: {fake.sentence(nb_words=6)}",
                level_of_csc_input=discussion.level_of_csc_input,
                themes=frozenset(),
            ),
        )
        services.action_add(actor=manager, context=None, discussion=discussion,
                            description=f"CSC action for family {n + 1}", owner_agency="csc",
                            due_date=due, owner=manager)  # fmt: skip
        if n % 2 == 0:
            services.action_add(actor=phn, context=None, discussion=discussion,
                                description=f"PHN action for family {n + 1}", owner_agency="phn",
                                due_date=due + timedelta(days=7), owner=phn)  # fmt: skip
        if n % 3 == 0:
            services.action_add(actor=chair, context=None, discussion=discussion,
                                description=f"Midwifery action for family {n + 1}",
                                owner_agency="midwifery", due_date=due)  # fmt: skip
    following = None
    if next_meeting:
        following = services.meeting_schedule(
            actor=chair,
            context=None,
            locality=place,
            details=services.MeetingDetails(
                day + timedelta(days=28), time(14), time(16), chair, venue="Shepton Mallet hub"
            ),
            members=[manager, phn],
        )[0]
    if finalise:
        meeting = services.meeting_finalise(actor=chair, context=None, meeting=meeting)
        if addendum and discussions:
            services.addendum_add(
                actor=chair,
                context=None,
                meeting=meeting,
                discussion=discussions[0],
                text="The EDD was confirmed by scan after the meeting",
                reason="Scan results came after the meeting",
            )
    meeting = Meeting.objects.select_related("locality", "chair", "finalised_by").get(pk=meeting.pk)
    return BuiltMeeting(
        meeting=meeting,
        chair=chair,
        operations_manager=manager,
        named_phn=phn,
        social_worker=worker,
        cases=cases,
        discussions=list(Discussion.objects.filter(pk__in=[d.pk for d in discussions])
                         .select_related("case", "case__mother").order_by("position", "pk")),
        next_meeting=following,
    )  # fmt: skip
