"""Reads for the dashboards: indexed queries over stored milestones, never a
recomputation of every case. Each takes the user and scopes itself through
cases.selectors.visible_cases.
"""

from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Min, OuterRef, Q, QuerySet, Subquery

from accounts.models import RoleCode
from accounts.permissions import agency_code
from cases.models import LOSS_OUTCOMES, Case, CscInput
from cases.selectors import visible_cases
from timeline.models import CaseMilestone, due_soon_on, open_on, overdue_on, pending_on


def named_on(user) -> Q:
    return Q(named_social_worker=user) | Q(named_midwife=user) | Q(named_health_visitor=user)


def owned_by_my_agency(user) -> Q:
    """Milestones my agency owns (and records): My work shows a midwife midwifery's steps,
    not children's social care's tasks. Someone with no owning agency has none."""
    return Q(owner=agency_code(user) or "-")


def my_case_ids(user) -> list:
    """The cases I am named on. Read once, so milestone queries can use the case index
    instead of scanning every open milestone in the country."""
    return list(
        visible_cases(user)
        .filter(named_on(user))
        .exclude(outcome__in=LOSS_OUTCOMES)
        .values_list("id", flat=True)
    )


MY_WORK_SORTS = {
    "due": ("due_date", "position", "case_id"),
    "-due": ("-due_date", "position", "case_id"),
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
        .select_related("case", "case__mother")
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
        .exclude(outcome__in=LOSS_OUTCOMES)
        .exclude(csc_input=CscInput.CLOSED)
        .select_related("mother", "locality", "named_social_worker")
    )


def team_members(manager) -> QuerySet:
    """The social workers a team manager manages: same team, in the manager's localities."""
    workers = team_members_in_localities(manager)
    return workers.filter(team=manager.team) if manager.team else workers


def team_load(manager, when: date | datetime) -> list[dict]:
    """Per worker in the team: open cases, and overdue milestones across them."""
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
    return [
        {
            "worker": worker,
            "cases": by_worker.get(worker.id, 0),
            "overdue_milestones": overdue_by_worker.get(worker.id, {}).get("milestones", 0),
            "cases_with_overdue": overdue_by_worker.get(worker.id, {}).get("cases", 0),
        }
        for worker in members
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
