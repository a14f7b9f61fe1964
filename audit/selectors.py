"""Reading one case's audit log: the rows about the case and the rows of the lists,
dashboards, meetings and exports that showed it (audit.AuditCaseAppearance), newest
first. Used by the managers' audit page of a case and the data protection officer's
access log, so both answer "who has seen this case?" alike.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db.models import Q

from audit.models import AuditCaseAppearance, AuditEvent

# Rows read by id in one query: within SQLite's limit of parameters.
ROWS_AT_ONCE = 2000
# The pages a list row names (audit_list_read's `page`), in words.
PAGES = {
    "case_list": "Cases",
    "possible_duplicates": "Possible duplicates, registering a case",
    "my_work": "My work",
    "my_work_to_authorise": "My work: assessments to authorise",
    "my_work_actions": "My work: meeting actions",
    "team": "Team",
    "locality": "Locality",
    "allocation_queue": "Allocations",
    "referred_late": "Team: referred late",
    "action_log": "Meeting action log",
    "action_log_csv": "Meeting action log, downloaded as CSV",
}


def case_log_keys(case_id: Any, condition: Q | None = None) -> list[tuple[datetime, int]]:
    """(time, id) of every row of the case's log that meets `condition`, newest first.

    Two reads, each by an index: the rows about the case (the audit row's case and time),
    and the rows that showed it (the appearances' case and time, then each row by id).
    Not one query with `case = … OR id IN (…)`: no index serves that OR, and the
    database would read the whole audit log for every page and its count."""
    condition = condition or Q()
    shown = AuditCaseAppearance.objects.filter(case_id=case_id).values("event_id")
    own = AuditEvent.objects.filter(condition, case_id=case_id).values_list("at", "pk")
    listed = AuditEvent.objects.filter(condition, pk__in=shown).values_list("at", "pk")
    return sorted({*own, *listed}, reverse=True)


def case_log_actors(case_id: Any) -> Q:
    """Who appears in the case's log, as a condition on users (a filter's choices): two
    subqueries, each by an index, for the reason case_log_keys gives."""
    shown = AuditCaseAppearance.objects.filter(case_id=case_id).values("event_id")
    return Q(pk__in=AuditEvent.objects.filter(case_id=case_id).values("actor_id")) | Q(
        pk__in=AuditEvent.objects.filter(pk__in=shown).values("actor_id")
    )


def rows_in_order(keys: Sequence[tuple[datetime, int]]) -> list[AuditEvent]:
    """The audit rows of these keys, in their order, each with its actor and agency."""
    ids = [pk for _, pk in keys]
    rows: dict[int, AuditEvent] = {}
    for start in range(0, len(ids), ROWS_AT_ONCE):
        rows |= AuditEvent.objects.select_related("actor__agency").in_bulk(
            ids[start : start + ROWS_AT_ONCE]
        )
    return [rows[pk] for pk in ids]


def shown_on(extra_data: Any) -> str:
    """The list or page a row of a list names (audit_list_read's `page`), in words."""
    page = extra_data.get("page") if isinstance(extra_data, dict) else None
    if isinstance(page, str) and page:
        return PAGES.get(page, page.replace("_", " ").capitalize())
    return ""
