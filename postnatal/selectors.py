"""Birth and after: every read, scoped to what the user may see.

The case comes from cases.selectors.case_for_user, which gives only a case the user may
see (else 404) and records the read; the records are read from that case.
"""

from dataclasses import dataclass

from django.utils import timezone

from audit.services import AuditContext
from cases.selectors import case_for_user
from postnatal.models import (
    DischargePlanningMeeting,
    MidpointReview,
    ReviewConference,
    VisitSchedule,
)
from timeline.models import CaseMilestone
from timeline.selectors import MilestoneRow, milestone_rows

# The protocol's milestones after the birth, in the task list's order.
AFTER_BIRTH_MILESTONES = (
    "discharge_planning_meeting",
    "visit_schedule",
    "home_visit_48h",
    "foster_visit_72h",
    "cp_review_conference",
    "pc_midpoint_review",
    "tracking_end",
)


@dataclass(frozen=True)
class AfterBirth:
    """A case's work after the birth: its records and the milestones they answer."""

    case: object
    meeting: DischargePlanningMeeting | None
    schedule: VisitSchedule | None
    review_conference: ReviewConference | None
    midpoint_review: MidpointReview | None
    milestones: dict[str, MilestoneRow]


def _current(model, case, *prefetch):
    return (
        model.objects.filter(case=case, withdrawn_at__isnull=True)
        .prefetch_related(*prefetch)
        .first()
    )


def current_meeting(case) -> DischargePlanningMeeting | None:
    """For a case already given by case_for_user."""
    return _current(DischargePlanningMeeting, case, "attendees")


def current_schedule(case) -> VisitSchedule | None:
    return _current(VisitSchedule, case, "visits")


def current_review_conference(case) -> ReviewConference | None:
    return _current(ReviewConference, case)


def current_midpoint_review(case) -> MidpointReview | None:
    return _current(MidpointReview, case)


def after_birth_for_user(user, case_id, *, context: AuditContext | None) -> AfterBirth:
    """The after-birth task list of a case the user may see (else 404), its read audited."""
    case = case_for_user(user, case_id, context=context)
    return after_birth_of(case)


def after_birth_of(case) -> AfterBirth:
    rows = {
        row.milestone_id: row
        for row in milestone_rows(case, timezone.now())
        if row.milestone_id in AFTER_BIRTH_MILESTONES
    }
    return AfterBirth(
        case=case,
        meeting=current_meeting(case),
        schedule=current_schedule(case),
        review_conference=current_review_conference(case),
        midpoint_review=current_midpoint_review(case),
        milestones=rows,
    )


@dataclass(frozen=True)
class CaseSummary:
    meeting: DischargePlanningMeeting | None
    milestones: list[MilestoneRow]


def case_page_summary(case) -> CaseSummary | None:
    """The case page's compact summary, for a case the page has already read: nothing
    before a live birth (no query); after it, two queries whatever the records."""
    if not case.birth_date or case.is_loss:
        return None
    meeting = (
        DischargePlanningMeeting.objects.filter(case=case, withdrawn_at__isnull=True)
        .only("id", "held_on", "placement", "planned_discharge_date")
        .first()
    )
    now = timezone.now()
    stored = CaseMilestone.objects.filter(case=case, milestone_id__in=AFTER_BIRTH_MILESTONES)
    order = {milestone_id: n for n, milestone_id in enumerate(AFTER_BIRTH_MILESTONES)}
    rows = sorted(
        (MilestoneRow(row, row.status_on(now), row.days_overdue_on(now)) for row in stored),
        key=lambda row: order[row.milestone_id],
    )
    return CaseSummary(meeting=meeting, milestones=rows)
