"""Reads for the dashboards: indexed queries over stored milestones, never a
recomputation of every case. Each takes the user and scopes itself through
cases.selectors.visible_cases.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)

from accounts.models import Locality, RoleCode
from accounts.permissions import agency_code
from audit.services import AuditContext, audit_list_read
from cases.models import STILL_OPEN, Case
from cases.selectors import named_on, page_in_order, scope_order, visible_cases
from meetings.action_log import overdue_action_counts
from meetings.services import OWNER_AGENCIES
from rules.gestation import days_before_edd
from timeline.models import (
    CaseMilestone,
    MilestoneState,
    due_soon_on,
    open_on,
    overdue_on,
    pending_on,
)


def owned_by_my_agency(user) -> Q:
    """Milestones my agency owns (and records): My work shows a midwife midwifery's steps,
    not children's social care's tasks. Someone with no owning agency has none."""
    return Q(owner=agency_code(user) or "-")


def my_case_ids(user) -> list:
    """The cases I am named on. Read once, so milestone queries can use the case index
    instead of scanning every open milestone in the country."""
    return list(
        visible_cases(user).filter(named_on(user)).filter(STILL_OPEN).values_list("id", flat=True)
    )


# By due date as an expression (cases.selectors.scope_order): through the case index, the
# caseload's milestones only, not every open milestone in the country (bench reads check).
_DUE = scope_order("due_date")

MY_WORK_SORTS = {
    "due": (_DUE.asc(), "position", "case_id"),
    "-due": (_DUE.desc(), "position", "case_id"),
    "edd": ("case__edd", "due_date", "position", "case_id"),
    "-edd": ("-case__edd", "due_date", "position", "case_id"),
}


def my_work(
    user, when: date | datetime, case_ids: list, *, show: str = "all", sort: str = "due"
) -> QuerySet[CaseMilestone]:
    """Open milestones my agency owns, of the cases I am named on: overdue, and due soon
    (each inside its own warning window). `when` is a datetime so dues counted in hours
    turn at the hour."""
    overdue, due_soon = overdue_on(when), due_soon_on(when)
    wanted = {"overdue": overdue, "due_soon": due_soon}.get(show, overdue | due_soon)
    return (
        CaseMilestone.objects.filter(wanted, owned_by_my_agency(user), case_id__in=case_ids)
        # The page's cases in a query of their own: joined, every milestone of the
        # caseload would be joined to its case and mother before the sort chose 25.
        .prefetch_related(Prefetch("case", Case.objects.select_related("mother")))
        .order_by(*MY_WORK_SORTS.get(sort, MY_WORK_SORTS["due"]))
    )


def my_work_counts(user, when: date | datetime, case_ids: list) -> dict[str, int]:
    mine = CaseMilestone.objects.filter(
        open_on(when), owned_by_my_agency(user), case_id__in=case_ids
    )
    return mine.aggregate(
        overdue=Count("id", filter=overdue_on(when)),
        due_soon=Count("id", filter=due_soon_on(when)),
    )


def drift_counts(cases: QuerySet[Case], when: date | datetime) -> QuerySet[Case]:
    """Annotate overdue and due-soon counts and the next due date: one GROUP BY, no subquery."""
    overdue = overdue_on(when, "milestones__")
    pending = pending_on(when, "milestones__")
    return cases.annotate(
        overdue_count=Count("milestones", filter=overdue),
        due_soon_count=Count("milestones", filter=due_soon_on(when, "milestones__")),
        first_overdue=Min("milestones__due_date", filter=overdue),
        next_due_date=Min("milestones__due_date", filter=pending),
    )


def with_drift(cases: QuerySet[Case], when: date | datetime) -> QuerySet[Case]:
    """drift_counts, and the title of the next milestone due. For a page of cases, not all."""
    next_due = CaseMilestone.objects.filter(pending_on(when), case=OuterRef("pk")).order_by(
        "due_date", "due_at", "position"
    )
    return drift_counts(cases, when).annotate(next_due_title=Subquery(next_due.values("title")[:1]))


def open_cases(user) -> QuerySet[Case]:
    """Cases still being tracked: not closed to CSC, not ended in a loss."""
    return (
        visible_cases(user)
        .filter(STILL_OPEN)
        .select_related("mother", "locality", "named_social_worker")
    )


# A referral at this gestation or later is for the manager to know of the day it comes:
# a week before the procedure's 30 weeks, from which the case stays with the Duty and
# Assessment Team. Not a deadline of the procedure, so not in the protocol file.
REFERRED_LATE_IN_PREGNANCY_WEEKS = 29


def _locality_cases(user) -> QuerySet[Case]:
    """Open cases in the user's localities, whoever holds them, or no one."""
    return open_cases(user).filter(locality_id__in=user.locality_ids)


def with_referral(cases: QuerySet[Case]) -> QuerySet[Case]:
    """Annotate how the referral went, from the stored `referral` milestone (the
    engine decides lateness; this only reads it): `referred_late`, `referral_due_date`."""
    referral = CaseMilestone.objects.filter(case=OuterRef("pk"), milestone_id="referral")
    return cases.annotate(
        referred_late=Exists(referral.filter(state=MilestoneState.DONE_LATE)),
        referral_due_date=Subquery(referral.values("due_date")[:1]),
    )


def days_late(case: Case) -> int:
    """Whole days a case annotated by `with_referral` was referred after its `referral`
    milestone was due (0: on time)."""
    return (case.referral_date - case.referral_due_date).days if case.referred_late else 0


def awaiting_allocation(user) -> QuerySet[Case]:
    """Referred and not yet allocated to a named social worker, in the user's localities:
    no allocation date, or no social worker named (so a case is never in no one's list).
    The oldest referral first, then the one closest to birth."""
    not_allocated = Q(allocation_date__isnull=True) | Q(named_social_worker__isnull=True)
    return with_referral(
        _locality_cases(user).filter(not_allocated, referral_date__isnull=False)
    ).order_by("referral_date", "edd", "id")


def referred_late(user) -> QuerySet[Case]:
    """Referred at 29+0 weeks or later, or after the referral milestone was due, in the
    user's localities: the newest referral first."""
    at_29_weeks = timedelta(days=days_before_edd(REFERRED_LATE_IN_PREGNANCY_WEEKS))
    return (
        with_referral(_locality_cases(user).filter(referral_date__isnull=False))
        .annotate(
            edd_after_referral=ExpressionWrapper(
                F("edd") - F("referral_date"), output_field=DurationField()
            )
        )
        .filter(Q(referred_late=True) | Q(edd_after_referral__lte=at_29_weeks))
        .order_by("-referral_date", "edd", "id")
    )


def _referral_page(
    user, cases: QuerySet[Case], *, context, today: date, page_name: str, page_number: Any
) -> Page:
    """A page of referred cases with their days waiting and days late; audited."""
    page = Paginator(cases, settings.CASES_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    for case in page.object_list:
        case.days_waiting = (today - case.referral_date).days
        case.days_late = days_late(case)
    audit_list_read(
        actor=user, context=context, page=page_name,
        case_ids=[case.id for case in page.object_list], filters={},
    )  # fmt: skip
    return page


def allocation_queue_page(
    user, *, context: AuditContext | None, today: date, page_number: Any = 1
) -> Page:
    """A page of the referrals waiting for allocation in the user's localities."""
    return _referral_page(
        user, awaiting_allocation(user), context=context, today=today,
        page_name="allocation_queue", page_number=page_number,
    )  # fmt: skip


def referred_late_page(
    user, *, context: AuditContext | None, today: date, page_number: Any = 1
) -> Page:
    """A page of the cases referred at 29+ weeks or late in the user's localities."""
    return _referral_page(
        user, referred_late(user), context=context, today=today,
        page_name="referred_late", page_number=page_number,
    )  # fmt: skip


def team_members(manager) -> QuerySet:
    """The social workers a team manager manages: same team, in the manager's localities."""
    workers = team_members_in_localities(manager)
    return workers.filter(team=manager.team) if manager.team else workers


def team_load(manager, when: date | datetime, *, today: date) -> list[dict]:
    """Per worker in the team: open cases, overdue milestones across them, and the
    meeting actions they own that are overdue."""
    cases = open_cases(manager)
    members = list(team_members(manager))
    counts = (
        cases.filter(named_social_worker__in=members)
        .values("named_social_worker")
        .annotate(cases=Count("id"))
        .order_by()
    )
    by_worker = {row["named_social_worker"]: row["cases"] for row in counts}
    overdue = (
        CaseMilestone.objects.filter(
            overdue_on(when),
            case__in=cases.filter(named_social_worker__in=members),
        )
        .values("case__named_social_worker")
        .annotate(milestones=Count("id"), cases=Count("case", distinct=True))
        .order_by()
    )
    overdue_by_worker = {row["case__named_social_worker"]: row for row in overdue}
    actions = overdue_action_counts(manager, today=today, by="owner")
    return [
        {
            "worker": worker,
            "cases": by_worker.get(worker.id, 0),
            "overdue_milestones": overdue_by_worker.get(worker.id, {}).get("milestones", 0),
            "cases_with_overdue": overdue_by_worker.get(worker.id, {}).get("cases", 0),
            "overdue_actions": actions.get(worker.id, {}).get("total", 0),
        }
        for worker in members
    ]


@dataclass(frozen=True)
class OverdueActions:
    """Overdue meeting actions on the families of one locality, by owning agency."""

    locality: Locality
    by_agency: list[tuple[str, str, int]]  # (agency code, name, count)
    total: int


def overdue_actions_by_locality(user, *, today: date) -> list[OverdueActions]:
    """Each of the user's localities with its overdue meeting actions (drift agreed at
    the tracking meeting and not done), zero included. Counts only."""
    counts = overdue_action_counts(user, today=today, by="locality")
    return [
        OverdueActions(
            locality=locality,
            by_agency=[
                (agency.value, agency.label, counts.get(locality.id, {}).get(agency.value, 0))
                for agency in OWNER_AGENCIES
            ],
            total=counts.get(locality.id, {}).get("total", 0),
        )
        for locality in Locality.objects.filter(id__in=user.locality_ids).order_by("name")
    ]


def team_members_in_localities(user) -> QuerySet:
    """Every active social worker in the user's localities."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True, roles__code=RoleCode.SOCIAL_WORKER, localities__in=user.locality_ids
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def my_work_page(
    user,
    *,
    context: AuditContext | None,
    now: datetime,
    show: str,
    sort: str,
    page_number: Any,
) -> tuple[Page, dict[str, int]]:
    """A page of My work and its overdue / due-soon counts; the cases shown are audited."""
    case_ids = my_case_ids(user)
    rows = my_work(user, now, case_ids, show=show, sort=sort)
    page = Paginator(rows, settings.CASES_PER_PAGE).get_page(page_number)
    audit_list_read(
        actor=user, context=context, page="my_work",
        case_ids=[row.case_id for row in page.object_list], filters={"show": show},
    )  # fmt: skip
    return page, my_work_counts(user, now, case_ids)


DRIFT_SORTS = {
    "edd": (scope_order("edd").asc(), "id"),
    "-edd": (scope_order("edd").desc(), "id"),
    "overdue": (F("overdue_count").desc(), F("edd").asc(), "id"),
    "next_due": (F("next_due_date").asc(nulls_last=True), "id"),
}


@dataclass(frozen=True)
class DriftFilters:
    locality: Any = None
    csc_input: str = ""
    worker: Any = None
    overdue_only: bool = False
    sort: str = "edd"

    def audited(self) -> dict[str, str]:
        return {
            "locality": str(self.locality.pk) if self.locality else "",
            "csc_input": self.csc_input,
            "worker": str(self.worker.pk) if self.worker else "",
            "overdue": "on" if self.overdue_only else "",
            "sort": self.sort,
        }


def drift_page(
    user,
    cases: QuerySet[Case],
    *,
    context: AuditContext | None,
    now: datetime,
    filters: DriftFilters,
    page_name: str,
    page_number: Any,
) -> Page:
    """A page of `cases` (already scoped to the user) with their drift. Sorting and
    counting use one light GROUP BY over the ids; only the cases shown get the heavier
    annotations. The cases shown are audited."""
    if filters.locality:
        cases = cases.filter(locality=filters.locality)
    if filters.csc_input:
        cases = cases.filter(csc_input=filters.csc_input)
    if filters.worker:
        cases = cases.filter(named_social_worker=filters.worker)
    sort = filters.sort if filters.sort in DRIFT_SORTS else "edd"
    ordered = cases
    if filters.overdue_only or sort in {"overdue", "next_due"}:
        ordered = drift_counts(cases, now)
        if filters.overdue_only:
            ordered = ordered.filter(overdue_count__gt=0)
    page = page_in_order(
        ordered.order_by(*DRIFT_SORTS[sort]).values_list("id", flat=True),
        page_number,
        with_drift(Case.objects.all(), now).select_related(
            "mother", "locality", "named_social_worker"
        ),
    )
    audit_list_read(
        actor=user, context=context, page=page_name,
        case_ids=[case.id for case in page.object_list], filters=filters.audited(),
    )  # fmt: skip
    return page
