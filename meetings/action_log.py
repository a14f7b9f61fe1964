"""The meeting action log: every action agreed at a tracking meeting, open until someone
marks it done, read by the people it concerns.

Who sees which actions is decided here once (visible_actions): an action's owner sees it
wherever it was agreed; the meeting roles (accounts.permissions.can_read_meetings) see
every action on a family of their localities; other practitioners see only their own;
anyone else none. An action of another locality is a 404, so ids cannot be probed.
Every list of actions shown or downloaded is audited as a list read with its case ids,
as cases.selectors audits the case list. Each read is a fixed number of queries however
many actions there are.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from accounts.permissions import can_change_cases, can_read_meetings
from audit.services import AuditContext, audit_list_read
from cases.restrictions import hidden_from
from meetings.models import Action, ActionStatus, agency_label
from meetings.services import OWNER_AGENCIES
from rules.csv_safety import safe_row
from rules.dates import format_date

ACTIONS_PER_PAGE = 50
# My work lists this many open actions; the rest are one link away, in the log.
MY_WORK_ACTIONS = 25

# What an action is on a given day: an open action past its due date is overdue.
OVERDUE = "overdue"
STATE_LABELS = {
    ActionStatus.OPEN: "Open",
    OVERDUE: "Overdue",
    ActionStatus.DONE: "Done",
    ActionStatus.NOT_NEEDED: "No longer needed",
}

# The log's status filter: the value in the address, and what it shows.
STATUS_FILTERS = {
    "open": "Open (including overdue)",
    "overdue": "Overdue",
    "done": "Done or no longer needed",
    "all": "Any status",
}
DEFAULT_STATUS = "open"

CSV_COLUMNS = (
    "Family reference",
    "Family (mother's name)",
    "Locality",
    "Agreed at (meeting date)",
    "Action",
    "Owner",
    "Owner agency",
    "Due",
    "Status",
    "Done on",
    "Done by",
)


def can_use_action_log(user) -> bool:
    """The practitioners and managers who may own or follow up actions; not guests,
    analysts or administrators."""
    return can_change_cases(user)


def visible_actions(user) -> QuerySet[Action]:
    """The actions the user may see, unread and unaudited: for the reads below."""
    if not can_use_action_log(user):
        return Action.objects.none()
    mine = Q(owner=user)
    if can_read_meetings(user):
        mine |= Q(case__locality_id__in=user.locality_ids)
    # A restricted family's actions are seen only by those named on the restriction.
    return Action.objects.filter(mine, ~hidden_from(user, "case_id"))


def overdue_on(today: date, prefix: str = "") -> Q:
    """Open, and due before `today`: the one home of "overdue" for an action."""
    return Q(**{f"{prefix}status": ActionStatus.OPEN, f"{prefix}due_date__lt": today})


def action_state(action: Action, today: date) -> str:
    """ "overdue", or the action's own status."""
    if action.status == ActionStatus.OPEN and action.due_date < today:
        return OVERDUE
    return str(action.status)


def _with_state(actions: list[Action], today: date) -> list[Action]:
    for action in actions:
        action.state = action_state(action, today)
        action.state_label = STATE_LABELS[action.state]
    return actions


def _shown(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related(
        "case", "case__mother", "case__locality", "meeting", "owner", "completed_by"
    ).order_by("due_date", "meeting__date", "created_at", "id")


@dataclass(frozen=True)
class ActionFilters:
    """What the log was asked for: each empty value means "any"."""

    locality: Any = None
    owner_agency: str = ""
    status: str = DEFAULT_STATUS
    mine: bool = False

    def audited(self) -> dict[str, str]:
        return {
            "locality": str(self.locality.pk) if self.locality else "",
            "owner_agency": self.owner_agency,
            "status": self.status,
            "mine": "on" if self.mine else "",
        }


def _filtered(user, filters: ActionFilters, today: date) -> QuerySet[Action]:
    actions = visible_actions(user)
    if filters.locality:
        actions = actions.filter(case__locality=filters.locality)
    if filters.owner_agency:
        actions = actions.filter(owner_agency=filters.owner_agency)
    if filters.mine:
        actions = actions.filter(owner=user)
    status = filters.status if filters.status in STATUS_FILTERS else DEFAULT_STATUS
    if status == "open":
        actions = actions.filter(status=ActionStatus.OPEN)
    elif status == "overdue":
        actions = actions.filter(overdue_on(today))
    elif status == "done":
        actions = actions.exclude(status=ActionStatus.OPEN)
    return actions


def action_log_page(
    user, filters: ActionFilters, page: Any, *, context: AuditContext | None, today: date
) -> Page:
    """A page of the actions the user may see that match the filters, earliest due
    first; the families shown are audited with the filters that chose them."""
    paginated = Paginator(_shown(_filtered(user, filters, today)), ACTIONS_PER_PAGE)
    shown = paginated.get_page(page)
    shown.object_list = _with_state(list(shown.object_list), today)
    audit_list_read(
        actor=user, context=context, page="action_log",
        case_ids=[action.case_id for action in shown.object_list], filters=filters.audited(),
    )  # fmt: skip
    return shown


def action_log_csv_rows(
    user, filters: ActionFilters, *, context: AuditContext | None, today: date
) -> list[list[str]]:
    """The whole log the filters choose, heading first, each cell safe to open in a
    spreadsheet (rules.csv_safety); the families in it are audited."""
    actions = _with_state(list(_shown(_filtered(user, filters, today))), today)
    audit_list_read(
        actor=user, context=context, page="action_log_csv",
        case_ids=[action.case_id for action in actions], filters=filters.audited(),
    )  # fmt: skip
    rows = [list(CSV_COLUMNS)]
    for action in actions:
        case = action.case
        rows.append(
            safe_row(
                [
                    case.reference,
                    case.mother.full_name,
                    case.locality.name,
                    format_date(action.meeting.date),
                    action.description,
                    action.owner.get_full_name() or action.owner.username if action.owner else "",
                    agency_label(action.owner_agency),
                    format_date(action.due_date),
                    action.state_label,
                    format_date(action.completed_on),
                    action.completed_by.get_full_name() or action.completed_by.username
                    if action.completed_by
                    else "",
                ]
            )
        )
    return rows


@dataclass(frozen=True)
class MyActions:
    """The user's open actions for My work: the first MY_WORK_ACTIONS, earliest due
    first, and how many there are in all."""

    actions: list[Action]
    total: int
    overdue: int

    @property
    def more(self) -> int:
        return self.total - len(self.actions)


def my_actions(user, today: date, *, context: AuditContext | None) -> MyActions:
    """The open actions the user owns. The families listed are audited."""
    mine = visible_actions(user).filter(owner=user, status=ActionStatus.OPEN)
    counts = mine.aggregate(total=Count("id"), overdue=Count("id", filter=overdue_on(today)))
    actions = _with_state(list(_shown(mine)[:MY_WORK_ACTIONS]), today) if counts["total"] else []
    if actions:
        audit_list_read(
            actor=user, context=context, page="my_work_actions",
            case_ids=[action.case_id for action in actions], filters={},
        )  # fmt: skip
    return MyActions(actions=actions, total=counts["total"], overdue=counts["overdue"])


def overdue_action_counts(user, *, today: date, by: str) -> dict[Any, dict[str, int]]:
    """How many of the actions the user may see are overdue, per locality of the family
    (`by="locality"`, keys locality ids) or per owner (`by="owner"`, keys user ids), and
    within each per owning agency, with a "total". Counts only, so not audited."""
    key = {"locality": "case__locality_id", "owner": "owner_id"}[by]
    counts: dict[Any, dict[str, int]] = {}
    rows = (
        visible_actions(user)
        .filter(overdue_on(today))
        .values(key, "owner_agency")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in rows:
        if row[key] is None:
            continue
        mine = counts.setdefault(
            row[key], dict.fromkeys([*(a.value for a in OWNER_AGENCIES), "total"], 0)
        )
        mine[row["owner_agency"]] = mine.get(row["owner_agency"], 0) + row["n"]
        mine["total"] += row["n"]
    return counts


def action_for_user(user, action_id) -> Action:
    """One action the user may see (else 404): to be updated, so not a read to audit."""
    try:
        action = (
            visible_actions(user)
            .select_related("case", "case__mother", "meeting")
            .filter(pk=action_id)
            .first()
        )
    except ValidationError:  # not a UUID
        action = None
    if action is None:
        raise Http404("No action found")
    return action
