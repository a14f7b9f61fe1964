"""Reads of tracking meetings that scope themselves to what the user may see, and audit
what they show.

A meeting is seen by the meeting roles of its locality (accounts.permissions), and by a
guest invited to it; anyone else gets a 404, so meeting ids cannot be probed. Reading a
meeting's families is a read of each of those cases, recorded with their ids.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from accounts.models import AgencyCode, RoleCode
from accounts.permissions import can_read_meetings
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from cases.models import Case, Partner
from cases.restrictions import restricted
from meetings.models import (
    Action,
    ActionStatus,
    Addendum,
    Discussion,
    Meeting,
    MeetingMember,
    Supervision,
    Theme,
)
from rules.dates import format_date
from rules.gestation import gestation_on
from rules.protocol import SUPERVISION_INTERVAL_WEEKS
from timeline.models import CaseMilestone, due_soon_on, overdue_on
from timeline.services import active_protocol
from visits.selectors import last_supervision_notes

AGENCIES = (AgencyCode.CSC, AgencyCode.MIDWIFERY, AgencyCode.PHN)
DEFAULT_SUPERVISION_WEEKS = SUPERVISION_INTERVAL_WEEKS


def supervision_weeks() -> int:
    """The protocol's interval after which a practitioner's supervision on a baby is
    flagged as overdue (Terms of Reference 3.6; `[tracking_meeting]` in the protocol)."""
    return active_protocol().supervision_interval_weeks


def visible_meetings(user) -> QuerySet[Meeting]:
    """Meetings of the user's localities for the meeting roles; a guest's invitations."""
    if not user.is_authenticated or not user.is_active:
        return Meeting.objects.none()
    mine = Q(members__user=user)
    if can_read_meetings(user):
        mine |= Q(locality_id__in=user.locality_ids)
    elif not user.has_role(RoleCode.GUEST):
        return Meeting.objects.none()
    return Meeting.objects.filter(mine).distinct()


def discussions_shown(meeting: Meeting) -> QuerySet[Discussion]:
    """A meeting's families, restricted cases left out for everyone: the meeting, its pack
    and its exports are shared across agencies, so a restricted case is overseen by the
    people named on it, not at the meeting (docs/security.md, "Restricted cases")."""
    return meeting.discussions.filter(~restricted("case_id"))


def addenda_shown(meeting: Meeting) -> QuerySet[Addendum]:
    """A meeting's addenda, those about a restricted family left out (as discussions_shown)."""
    return meeting.addenda.filter(Q(discussion__isnull=True) | ~restricted("discussion__case_id"))


def meeting_for_user(user, meeting_id, *, context: AuditContext | None, audit: bool = True):
    """One meeting the user may see (else 404). Audited with the families it shows."""
    meeting = (
        visible_meetings(user)
        .select_related("locality", "chair", "finalised_by")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None:
        raise Http404("No meeting found")
    if audit:
        audit_record(
            actor=user,
            event_type=AuditEventType.MEETING_VIEWED,
            context=context,
            extra_data={
                "meeting": str(meeting.id),
                "meeting_date": meeting.date.isoformat(),
                "case_ids": sorted(
                    str(case_id)
                    for case_id in discussions_shown(meeting).values_list("case_id", flat=True)
                ),
            },
        )
    return meeting


def meetings_list(user, *, today: date) -> dict[str, list[Meeting]]:
    """The user's meetings: coming (scheduled, from today) and past, newest first."""
    meetings = visible_meetings(user).select_related("locality", "chair")
    return {
        "coming": list(meetings.filter(date__gte=today, status="scheduled").order_by("date")[:50]),
        "past": list(meetings.exclude(date__gte=today, status="scheduled").order_by("-date")[:50]),
    }


def members_of(meeting: Meeting) -> list[MeetingMember]:
    return list(meeting.members.select_related("user"))


@dataclass
class FamilyPack:
    """What the room needs about one family on one screen."""

    discussion: Discussion
    case: Case
    on: date
    partners: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    due_soon: list = field(default_factory=list)
    earlier_actions: list = field(default_factory=list)  # open, from earlier meetings
    actions: list = field(default_factory=list)  # agreed at this meeting
    supervision: dict[str, Any] = field(default_factory=dict)  # agency → (date, stale)

    @property
    def gaps(self) -> list[str]:
        return self.case.named_professional_gaps

    @property
    def stage(self) -> str:
        """ "27+2 weeks pregnant" on the meeting's day, or "born 3 June 2027, 12 days old"."""
        case = self.case
        # A baby born after the meeting was unborn on its day (an earlier meeting's record).
        if case.birth_date and case.birth_date <= self.on:
            days = (self.on - case.birth_date).days
            return f"Born {format_date(case.birth_date)}, {days} day{'' if days == 1 else 's'} old"
        if case.outcome and not case.birth_date:
            return case.get_outcome_display()
        return f"{gestation_on(case.edd, self.on)} weeks pregnant"

    @property
    def supervision_rows(self) -> list[tuple[str, date | None, bool]]:
        return [(AgencyCode(agency).label, day, stale)
                for agency, (day, stale) in self.supervision.items()]  # fmt: skip

    @property
    def stale_supervision(self) -> list[str]:
        return [agency for agency, (_, stale) in self.supervision.items() if stale]


def supervision_is_stale(supervised_on: date | None, on: date, weeks: int) -> bool:
    """No supervision recorded, or the last one more than the interval before `on`."""
    return supervised_on is None or on - supervised_on > timedelta(weeks=weeks)


def meeting_pack(
    meeting: Meeting, *, supervision_weeks: int = DEFAULT_SUPERVISION_WEEKS
) -> list[FamilyPack]:
    """Every family of the meeting (the cohort first, in order; then those the chair took
    out), with what the pack shows. A fixed number of queries however many families."""
    on = meeting.date
    discussions = list(
        discussions_shown(meeting)
        .select_related(
            "case",
            "case__mother",
            "case__named_social_worker",
            "case__named_midwife",
            "case__named_health_visitor",
            "changed_by",
            "updated_by",
        )
        .prefetch_related(
            Prefetch("case__partners", queryset=Partner.objects.select_related("person")),
        )
    )
    # Themes through the link table in one query: prefetching a many-to-many builds a
    # manager per family, a fifth of the page's time at 40 families.
    chosen: dict[int, list[Theme]] = defaultdict(list)
    for link in (
        Discussion.themes.through.objects.filter(discussion__meeting=meeting)
        .select_related("theme")
        .order_by("theme__position", "theme__name")
    ):
        chosen[link.discussion_id].append(link.theme)
    for discussion in discussions:
        discussion.__dict__["_chosen_themes"] = chosen[discussion.pk]
    case_ids = [d.case_id for d in discussions]
    milestones: dict[Any, dict[str, list]] = defaultdict(lambda: {"overdue": [], "due_soon": []})
    for milestone in CaseMilestone.objects.filter(case_id__in=case_ids).filter(
        overdue_on(on) | due_soon_on(on)
    ):
        kind = "overdue" if milestone.due_date < on else "due_soon"
        milestones[milestone.case_id][kind].append(milestone)
    actions: dict[Any, list[Action]] = defaultdict(list)
    for action in (
        Action.objects.filter(case_id__in=case_ids)
        .filter(
            Q(meeting=meeting)
            | Q(status=ActionStatus.OPEN, meeting__date__lt=on)
            | Q(meeting__date__lt=on, completed_on__gte=on)
        )
        .select_related("owner", "meeting", "completed_by")
    ):
        actions[action.case_id].append(action)
    # The last supervision of each agency's practitioner: a date told at a meeting or a
    # supervision note on the case (visits), whichever is later. Each is stored once.
    supervision: dict[Any, dict[str, date]] = defaultdict(dict)
    for record in Supervision.objects.filter(case_id__in=case_ids, supervised_on__lte=on):
        supervision[record.case_id].setdefault(record.agency, record.supervised_on)  # newest
    for case_id, by_agency in last_supervision_notes(case_ids, on=on).items():
        for agency, day in by_agency.items():
            if day > supervision[case_id].get(agency, date.min):
                supervision[case_id][agency] = day
    packs = []
    for discussion in sorted(discussions, key=lambda d: (not d.in_cohort, d.position, d.pk)):
        case = discussion.case
        last = supervision[case.pk]
        packs.append(
            FamilyPack(
                discussion=discussion,
                case=case,
                on=on,
                partners=list(case.partners.all()),
                overdue=milestones[case.pk]["overdue"],
                due_soon=milestones[case.pk]["due_soon"],
                earlier_actions=[a for a in actions[case.pk] if a.meeting_id != meeting.pk],
                actions=[a for a in actions[case.pk] if a.meeting_id == meeting.pk],
                supervision={
                    agency: (
                        last.get(agency),
                        supervision_is_stale(last.get(agency), on, supervision_weeks),
                    )
                    for agency in AGENCIES
                },
            )
        )
    return packs
