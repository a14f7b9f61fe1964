"""Checkpoints and specialist assessments: every read, scoped to what the user may see.

The case comes from cases.selectors.case_for_user, which scopes it to the user (404
otherwise) and records the read; these read the records of that case. A checkpoint's due
date and status are its milestone's (timeline.models.CaseMilestone), never worked out
again here.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.http import Http404

from accounts.models import AgencyCode, RoleCode, User
from checkpoints.models import Checkpoint, CheckpointKind, SpecialistAssessment
from rules.checkpoints import missing_from_meeting, missing_warning
from rules.specialist import ICPC, PLO_LETTER, LateRequest, late_request
from timeline.models import CaseMilestone
from timeline.presentation import STATUS_LABELS, due_text


@dataclass(frozen=True)
class Task:
    """One line of the checkpoints task list: the milestones it does, and where it is
    recorded (a checkpoint here, or a visit or document elsewhere)."""

    key: str
    title: str
    milestones: tuple[str, ...]
    kind: str = ""  # a CheckpointKind recorded here
    elsewhere: str = ""  # where it is recorded when not here


# The procedure's order (its 10-, 15- and 30-day checkpoints).
TASKS = (
    Task("intro_home_visit", "Introductory home visit to both parents", ("intro_home_visit",),
         elsewhere="Recorded as an introductory home visit with the case's visits"),
    Task("agencies_informed", "Involved agencies informed", ("agencies_informed",),
         kind=CheckpointKind.AGENCIES_INFORMED),
    Task("checkpoint_10_day", "10-day checkpoint with the team manager", ("checkpoint_10_day",),
         kind=CheckpointKind.CHECKPOINT_10_DAY),
    Task("multi_agency_meeting", "Multi-agency assessment meeting", ("multi_agency_meeting",),
         kind=CheckpointKind.MULTI_AGENCY_MEETING),
    Task("checkpoint_30_day", "30-day checkpoint: assessment complete, or the full 45 days agreed",
         ("checkpoint_30_day",), kind=CheckpointKind.CHECKPOINT_30_DAY),
    Task("genogram_chronology", "Genogram and chronology attached", ("genogram", "chronology"),
         elsewhere="Recorded by attaching the genogram and the chronology to the case's documents"),
    Task("family_network", "Family Group Conference referral, or wider family explored",
         ("family_network",), kind=CheckpointKind.FAMILY_NETWORK),
)  # fmt: skip
TASK_MILESTONES = frozenset(m for task in TASKS for m in task.milestones)
TASKS_BY_KIND = {task.kind: task for task in TASKS if task.kind}
# The worst status of a task's milestones is the task's (genogram and chronology).
STATUS_ORDER = ("overdue", "due_soon", "upcoming", "awaiting", "done_late", "done",
                "not_applicable", "closed")  # fmt: skip
DONE = frozenset({"done", "done_late"})
CANNOT_START = ("Cannot start yet", "govuk-tag--grey")


@dataclass
class TaskRow:
    task: Task
    milestones: list[CaseMilestone]
    status: str  # a milestone status, or "" when no milestone applies yet
    checkpoint: Checkpoint | None = None
    due: str = ""
    due_date: date | None = None
    now: object = None

    @property
    def title(self) -> str:
        return self.task.title

    @property
    def started(self) -> bool:
        return bool(self.milestones)

    @property
    def cannot_start(self) -> bool:
        return not self.started

    @property
    def done(self) -> bool:
        return self.status in DONE

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status][0] if self.status else CANNOT_START[0]

    @property
    def status_class(self) -> str:
        return STATUS_LABELS[self.status][1] if self.status else CANNOT_START[1]

    @property
    def days_overdue(self) -> int:
        return max((m.days_overdue_on(self.now) for m in self.milestones), default=0)

    @property
    def warning(self) -> str:
        """The meeting's missing professionals, once recorded."""
        if self.checkpoint is None or self.task.kind != CheckpointKind.MULTI_AGENCY_MEETING:
            return ""
        return meeting_warning(self.checkpoint)


def checkpoint_title(kind: str) -> str:
    """A checkpoint's page heading: its task's title, which is its milestone's ("30-day
    checkpoint: assessment complete, or the full 45 days agreed"), so the link, the page
    and the timeline name it alike."""
    return TASKS_BY_KIND[kind].title


def meeting_warning(checkpoint: Checkpoint) -> str:
    """ "No health visitor at the meeting: …" for a multi-agency meeting missing one of
    the three the procedure asks for (uses the checkpoint's participants)."""
    if checkpoint.kind != CheckpointKind.MULTI_AGENCY_MEETING:
        return ""
    return missing_warning(missing_from_meeting(p.agency for p in checkpoint.participants.all()))


def _task_rows(milestones: Iterable[CaseMilestone], now) -> list[TaskRow]:
    by_id = {m.milestone_id: m for m in milestones if m.milestone_id in TASK_MILESTONES}
    rows = []
    for task in TASKS:
        found = [by_id[m] for m in task.milestones if m in by_id]
        statuses = [m.status_on(now) for m in found]
        status = min(statuses, key=STATUS_ORDER.index) if statuses else ""
        dues = [m.due_date for m in found if m.due_date]
        first = min(found, key=lambda m: (m.due_date is None, m.due_date)) if found else None
        rows.append(
            TaskRow(
                task=task, milestones=found, status=status,
                due=due_text(first, status) if first else "",
                due_date=min(dues) if dues else None, now=now,
            )
        )  # fmt: skip
    return rows


def checkpoint_tasks(case, now) -> list[TaskRow]:
    """The case's checkpoints as a task list, each with its milestone's due date and
    status, and the current checkpoint recorded for it (three queries)."""
    rows = _task_rows(CaseMilestone.objects.filter(case=case), now)
    current = {
        c.kind: c
        for c in Checkpoint.objects.filter(case=case, withdrawn_at__isnull=True)
        .select_related("team_manager")
        .prefetch_related("participants")
    }
    for row in rows:
        row.checkpoint = current.get(row.task.kind) if row.task.kind else None
    return rows


def current_checkpoint(case, kind: str) -> Checkpoint | None:
    """The checkpoint of this kind recorded now (not withdrawn), if any."""
    return (
        Checkpoint.objects.filter(case=case, kind=kind, withdrawn_at__isnull=True)
        .select_related("team_manager", "recorded_by", "case")
        .first()
    )


def withdrawn_checkpoints(case, kind: str) -> list[Checkpoint]:
    return list(
        Checkpoint.objects.filter(case=case, kind=kind, withdrawn_at__isnull=False)
        .select_related("withdrawn_by")
        .order_by("-withdrawn_at")
    )


def team_managers(case) -> list[User]:
    """Team managers who can hold a checkpoint: children's social care's, those of the
    case's locality first."""
    managers = User.objects.filter(
        is_active=True, roles__code=RoleCode.TEAM_MANAGER, agency__code=AgencyCode.CSC
    ).distinct()
    local = list(managers.filter(localities=case.locality_id).order_by("last_name", "first_name"))
    others = managers.exclude(pk__in=[u.pk for u in local]).order_by("last_name", "first_name")
    return local + list(others)


# Specialist assessments -------------------------------------------------------------------


def plan_dates(case) -> tuple[date | None, date | None]:
    """The days the ICPC and the PLO letter happened (their milestones' done dates)."""
    done = dict(
        CaseMilestone.objects.filter(case=case, milestone_id__in=[ICPC, PLO_LETTER]).values_list(
            "milestone_id", "done_date"
        )
    )
    return done.get(ICPC), done.get(PLO_LETTER)


def late_requests(
    assessments: Iterable[SpecialistAssessment], icpc: date | None, plo_letter: date | None
) -> dict:
    """Assessment id -> why it was requested late, for the first request of each kind that
    was (rules/specialist.py). A repeat of an assessment first asked for in time is not
    flagged; the first request of one first asked for late is."""
    first: dict[tuple[str, str], SpecialistAssessment] = {}
    for assessment in sorted(
        assessments,
        key=lambda a: (a.requested_on, a.recorded_at.timestamp() if a.recorded_at else 0.0),
    ):
        first.setdefault(assessment.first_request_key, assessment)
    flagged = {}
    for assessment in first.values():
        late = late_request(assessment.requested_on, icpc=icpc, plo_letter=plo_letter)
        if late is not None:
            flagged[assessment.pk] = late
    return flagged


@dataclass(frozen=True)
class SpecialistRow:
    assessment: SpecialistAssessment
    late: LateRequest | None

    def __getattr__(self, name):
        return getattr(self.assessment, name)


def _specialist_rows(assessments: list[SpecialistAssessment], icpc, plo) -> list[SpecialistRow]:
    flagged = late_requests(assessments, icpc, plo)
    return [SpecialistRow(a, flagged.get(a.pk)) for a in assessments]


def specialist_rows(case) -> list[SpecialistRow]:
    """The case's current specialist assessments, oldest request first, each flagged if it
    was first requested after the ICPC or the PLO letter."""
    assessments = list(SpecialistAssessment.objects.filter(case=case, withdrawn_at__isnull=True))
    return _specialist_rows(assessments, *plan_dates(case))


def specialist_assessment_of(case, assessment_id) -> SpecialistAssessment:
    """A specialist assessment of a case the user was given by case_for_user, else 404."""
    assessment = (
        SpecialistAssessment.objects.filter(case=case, pk=assessment_id)
        .select_related("case", "recorded_by", "withdrawn_by")
        .first()
    )
    if assessment is None:
        raise Http404("No such specialist assessment")
    return assessment


@dataclass
class CaseSummary:
    """What the case page shows: how many of the seven checkpoints are done, the next one
    due, and the specialist assessments with their flags."""

    started: bool
    done: int
    total: int
    next_due: TaskRow | None
    assessments: list[SpecialistRow] = field(default_factory=list)


def case_summary(case, now) -> CaseSummary:
    """Two queries, whatever the case holds: its milestones, its specialist assessments."""
    milestones = list(CaseMilestone.objects.filter(case=case))
    rows = _task_rows(milestones, now)
    done = {m.milestone_id: m.done_date for m in milestones}
    open_rows = [r for r in rows if r.started and r.status in STATUS_ORDER[:4]]
    next_due = min(open_rows, key=lambda r: (r.due_date is None, r.due_date), default=None)
    assessments = list(SpecialistAssessment.objects.filter(case=case, withdrawn_at__isnull=True))
    return CaseSummary(
        started=any(r.started for r in rows),
        done=sum(r.done for r in rows),
        total=len(rows),
        next_due=next_due,
        assessments=_specialist_rows(assessments, done.get(ICPC), done.get(PLO_LETTER)),
    )
