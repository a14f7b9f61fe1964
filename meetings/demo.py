"""The demo's tracking meetings (`manage.py seed_demo`): in every locality the last
meeting, held within the past month, recorded and finalised, and the next one, a month
after it, scheduled with its cohort proposed by rule, so a chair's whole month can be
walked through: last month's record and actions, and the coming meeting's families.

Everything is done through meetings.services, as the people would have done it, so the
audit trail is the one real use leaves. What the meetings said comes from the fixed,
invented phrases below (no Faker, no real family); which phrase, owner and date is drawn
from a seeded generator, so the demo is the same every time.
"""

import calendar
import random
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.db.models import F

from accounts.models import AgencyCode
from meetings import services
from meetings.models import ActionStatus, Attendance, Discussion, Meeting, MemberRole, Theme
from rules import series
from rules.dates import format_date
from timeline.models import CaseMilestone

SEED = 2027_08


@dataclass(frozen=True)
class Leads:
    """A locality's meeting: the chair (Named Midwife for Safeguarding or deputy), the CSC
    locality operations manager and the Named PHN for Safeguarding (ToR 4.3)."""

    chair: object
    operations_manager: object
    named_phn: object
    guests: tuple = ()


@dataclass(frozen=True)
class Arrangements:
    week: int  # 0: the first such weekday of the month … 4: the last
    weekday: int
    start: time
    venue: str = ""
    online_link: str = ""


ARRANGEMENTS = {
    "mendip": Arrangements(1, calendar.TUESDAY, time(10), "Frome Medical Centre, meeting room 2"),
    "sedgemoor": Arrangements(
        1, calendar.WEDNESDAY, time(13, 30), "Bridgwater Community Hospital, seminar room"
    ),
    "south-somerset": Arrangements(
        2, calendar.TUESDAY, time(9, 30), online_link="https://meet.example.org/south-somerset"
    ),
    "taunton-and-west-somerset": Arrangements(
        2, calendar.THURSDAY, time(10), "Taunton Library, meeting room 1",
        "https://meet.example.org/taunton-and-west-somerset",
    ),
}  # fmt: skip
DEFAULT_ARRANGEMENTS = Arrangements(3, calendar.TUESDAY, time(10), "County Hall, room 4")
MEETING_HOURS = 2

# (current concerns, key points, themes): invented, and naming no one.
CONCERNS = [
    ("Domestic abuse disclosed at booking; the partner's contact with mother is unclear.",
     ["Police information requested", "Safety plan agreed with mother",
      "Refuge space discussed with her"], ["domestic_abuse"]),
    ("Mother's mental health has deteriorated: low mood and anxiety reported.",
     ["Referred to the perinatal mental health team", "GP aware and reviewing medication"],
     ["parental_mental_health"]),
    ("Family in temporary accommodation with a notice to leave.",
     ["Housing officer involved", "No safe sleeping space for the baby yet"], ["housing"]),
    ("Father not yet seen: his history is not known to the assessment.",
     ["Evening visit offered to father", "Checks on father requested"],
     ["father_not_engaged"]),
    ("Cannabis and alcohol use reported; mother is open to the drug and alcohol service.",
     ["Hair strand test requested", "Neonatal team aware for the birth"],
     ["substance_misuse"]),
    ("Two older children were removed in earlier care proceedings.",
     ["Legal planning meeting booked", "Parenting assessment to start before 28 weeks"],
     ["previous_removal"]),
    ("Mother is a care leaver with little support around her.",
     ["Personal adviser attends the core group", "Family network meeting being arranged"],
     ["care_experienced_parent"]),
    ("Booked late and has missed two antenatal appointments.",
     ["Home appointments offered", "Transport to the growth scan arranged"],
     ["late_booking"]),
    ("Mother has learning needs: information must be given in an accessible way.",
     ["PAMS assessment requested", "Easy-read birth plan agreed"], ["learning_needs"]),
    ("The assessment is behind the timeline: the 30-day checkpoint was missed.",
     ["Team manager to review the assessment with the social worker",
      "Revised assessment plan agreed"], ["drift_in_assessment"]),
]  # fmt: skip

ACTIONS = {
    AgencyCode.CSC: [
        "Book the initial child protection conference",
        "See father at home and complete his part of the assessment",
        "Share the assessment with the midwife and the health visitor",
        "Hold a family network meeting",
    ],
    AgencyCode.MIDWIFERY: [
        "Update the birth plan and share it with the labour ward",
        "Offer the next antenatal appointment at home",
        "Add the safeguarding alert to the maternity record",
    ],
    AgencyCode.PHN: [
        "Complete the antenatal health visitor contact",
        "Share the health visitor's view with the social worker before the conference",
    ],
}
ALLOCATE_HEALTH_VISITOR = "Allocate a named health visitor"
ALLOCATE_SOCIAL_WORKER = "Allocate a named social worker"
GAP_THEMES = {
    "No named health visitor": "no_named_health_visitor",
    "No named social worker": "no_named_social_worker",
}
DEPUTY_NAME = "Kate Summers"


def meeting_day(year: int, month: int, arrangements: Arrangements) -> date:
    """The locality's weekday of the month ("the second Tuesday") in that month."""
    days = calendar.Calendar().itermonthdates(year, month)
    matching = [d for d in days if d.month == month and d.weekday() == arrangements.weekday]
    return matching[-1] if arrangements.week >= len(matching) else matching[arrangements.week]


def last_and_next(today: date, arrangements: Arrangements) -> tuple[date, date]:
    """The locality's latest meeting day before today, and the next one in the monthly
    series (today or later): a month apart, as the meetings are."""
    this_month = meeting_day(today.year, today.month, arrangements)
    if this_month < today:
        last = this_month
    else:
        year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
        last = meeting_day(year, month, arrangements)
    return last, series.monthly_dates(last, 2)[1]


def seed_meetings(*, today: date, localities, leads: dict[int, Leads]) -> list[Meeting]:
    """The last meeting, finalised, and the next one, scheduled, in each locality."""
    themes = dict(Theme.objects.filter(active=True).values_list("code", "pk"))
    meetings = []
    for index, locality in enumerate(localities):
        rng = random.Random(SEED + index)
        people = leads[locality.id]
        arrangements = ARRANGEMENTS.get(locality.slug, DEFAULT_ARRANGEMENTS)
        last_day, next_day = last_and_next(today, arrangements)
        last = _schedule(locality, people, last_day, arrangements)
        _hold(rng, today, last, people, themes, variant=index)
        meetings += [last, _schedule(locality, people, next_day, arrangements)]
    return meetings


def _schedule(locality, people: Leads, day: date, arrangements: Arrangements) -> Meeting:
    start = arrangements.start
    return services.meeting_schedule(
        actor=people.chair,
        context=None,
        locality=locality,
        details=services.MeetingDetails(
            date=day,
            start_time=start,
            end_time=time(start.hour + MEETING_HOURS, start.minute),
            chair=people.chair,
            venue=arrangements.venue,
            online_link=arrangements.online_link,
        ),
        members=[people.operations_manager, people.named_phn, *people.guests],
    )[0]


def _hold(rng, today: date, meeting: Meeting, people: Leads, themes, *, variant: int) -> None:
    """What happened at last month's meeting and since: who came, what was said about
    each family, the actions agreed (some done since, some not), the practitioners'
    supervision, the record finalised; in one locality a correction after it."""
    chair = people.chair
    # The demo is made today: a family referred after the meeting was not discussed there.
    for discussion in meeting.discussions.select_related("case"):
        referred = discussion.case.referral_date
        if referred is None or referred > meeting.date:
            reason = (
                f"Referred to children's social care on {format_date(referred)}, after this meeting"
                if referred
                else "Not referred to children's social care by the day of the meeting"
            )
            services.cohort_remove(actor=chair, context=None, discussion=discussion,
                                   reason=reason)  # fmt: skip
    _attendance(meeting, people, variant)
    # In an order of their own: the cohort's ties are broken by the random case reference.
    discussions = sorted(
        (
            d
            for d in meeting.discussions.select_related(
                "case",
                "case__mother",
                "case__named_social_worker",
                "case__named_midwife",
                "case__named_health_visitor",
            )  # fmt: skip
            if d.in_cohort
        ),
        key=lambda d: (d.case.edd, d.case.mother.nhs_number),
    )
    late = set(
        CaseMilestone.objects.filter(
            case_id__in=[d.case_id for d in discussions],
            milestone_id="referral",
            done_date__gt=F("due_date"),
        ).values_list("case_id", flat=True)
    )
    done = []
    for discussion in discussions:
        case = discussion.case
        concerns, key_points, codes = rng.choice(CONCERNS)
        codes = [*codes, *(GAP_THEMES[gap] for gap in case.named_professional_gaps
                           if gap in GAP_THEMES)]  # fmt: skip
        if case.pk in late:
            codes.append("late_referral")
        services.discussion_record(
            actor=chair,
            context=None,
            discussion=discussion,
            version=None,
            record=services.DiscussionRecord(
                current_concerns=concerns,
                key_points="\n".join(key_points),
                level_of_csc_input=case.csc_input,
                themes=frozenset(themes[code] for code in codes if code in themes),
            ),
        )
        for _ in range(rng.choice([1, 1, 2])):
            action, fate = _agree_action(rng, today, discussion, people)
            if fate == "done":
                done.append(action)
        for agency in services.OWNER_AGENCIES:
            stale = rng.random() < 0.25
            weeks_before = rng.randint(5, 9) if stale else rng.randint(0, 3)
            services.supervision_record(
                actor=chair,
                context=None,
                discussion=discussion,
                agency=agency,
                supervised_on=min(meeting.date - timedelta(weeks=weeks_before,
                                                           days=rng.randint(0, 6)), today),
            )  # fmt: skip
    meeting = services.meeting_finalise(actor=chair, context=None, meeting=meeting)
    # Done since the meeting, by whoever owned them.
    for action in done:
        services.action_update(
            actor=action.owner or chair, context=None, action=action, version=None,
            status=ActionStatus.DONE,
        )  # fmt: skip
    if variant == 0 and discussions:
        services.addendum_add(
            actor=people.operations_manager,
            context=None,
            meeting=meeting,
            discussion=discussions[0],
            text="The initial child protection conference is booked for the week after the"
            " date given at the meeting.",
            reason="The conference team moved the date after the meeting.",
        )


def _attendance(meeting: Meeting, people: Leads, variant: int) -> None:
    """Everyone came, except: in one locality the operations manager sent a deputy, in
    another the Named PHN sent apologies."""
    record = {}
    for member in meeting.members.all():
        value, deputy = Attendance.ATTENDED, ""
        if member.role == MemberRole.OPERATIONS_MANAGER and variant == 1:
            value, deputy = Attendance.DEPUTY, DEPUTY_NAME
        elif member.role == MemberRole.NAMED_PHN and variant == 2:
            value = Attendance.APOLOGIES
        record[member.pk] = (value, deputy)
    services.attendance_record(actor=people.chair, context=None, meeting=meeting,
                               attendance=record)  # fmt: skip


def _agree_action(rng, today: date, discussion: Discussion, people: Leads):
    """One action for the family, owned by the agency's lead or the family's named
    professional, and what became of it: done since, open and overdue, or open and not
    due yet (carried forward to next month's meeting either way)."""
    case = discussion.case
    gaps = case.named_professional_gaps
    if "No named health visitor" in gaps and rng.random() < 0.7:
        agency, text = AgencyCode.PHN, ALLOCATE_HEALTH_VISITOR
    elif "No named social worker" in gaps and rng.random() < 0.7:
        agency, text = AgencyCode.CSC, ALLOCATE_SOCIAL_WORKER
    else:
        agency = rng.choice(list(ACTIONS))
        text = rng.choice(ACTIONS[agency])
    named = {
        AgencyCode.CSC: case.named_social_worker,
        AgencyCode.MIDWIFERY: case.named_midwife,
        AgencyCode.PHN: case.named_health_visitor,
    }[agency]
    lead = {
        AgencyCode.CSC: people.operations_manager,
        AgencyCode.MIDWIFERY: people.chair,
        AgencyCode.PHN: people.named_phn,
    }[agency]
    allocating = text in (ALLOCATE_HEALTH_VISITOR, ALLOCATE_SOCIAL_WORKER)
    owner = named if named is not None and not allocating and rng.random() < 0.5 else lead
    meeting_date = discussion.meeting.date
    roll = rng.random()
    if roll < 0.5:
        fate, due = "done", meeting_date + timedelta(days=rng.choice([7, 14, 21]))
    elif roll < 0.8:
        fate = "overdue"
        due = min(meeting_date + timedelta(days=rng.choice([7, 14])), today - timedelta(days=1))
    else:
        fate, due = "open", today + timedelta(days=rng.choice([7, 14, 21]))
    action = services.action_add(
        actor=people.chair,
        context=None,
        discussion=discussion,
        description=text,
        owner_agency=agency,
        due_date=due,
        owner=owner,
    )
    return action, fate
