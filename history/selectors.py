"""Case history: one chronological record of everything done on a case, read from the
audit log, scoped to what the user may see, and its reading audited.

`case_history` is the page (and the PDF, through history.exports): the case comes from
cases.selectors, so a case the user may not see is a 404 and analysts and
administrators see none. `recent_history` is the case page's last few entries, for a
case the page has already read (and audited).

A case's history is a few hundred rows at most, so the rows of the kinds asked for are
read in one query (with their people in one more), placed on their day and filtered in
Python; only the page shown is described. The queries stay the same however long the
history grows.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import prefetch_related_objects
from django.http import Http404

from audit.models import AuditEvent, AuditEventType
from audit.services import AuditContext
from cases.models import Case
from cases.selectors import case_for_user, visible_cases
from history.entries import (
    CATEGORIES,
    Lookups,
    categories_of,
    describe,
    event_types_for,
    happened_on,
    who,
)

ENTRIES_PER_PAGE = 50
RECENT_ENTRIES = 5


@dataclass(frozen=True)
class HistoryFilters:
    """What the history was asked for: no categories means every one; dates are the
    days things happened, both ends included."""

    kinds: tuple[str, ...] = ()
    since: date | None = None
    until: date | None = None

    def __post_init__(self):
        object.__setattr__(self, "kinds", tuple(k for k in CATEGORIES if k in set(self.kinds)))

    def audited(self) -> dict[str, Any]:
        return {
            "kinds": list(self.kinds),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }

    def __bool__(self) -> bool:
        return bool(self.kinds or self.since or self.until)


@dataclass(frozen=True)
class HistoryEntry:
    """One thing done on the case, as the history shows it."""

    id: int
    event_type: str
    happened_on: date
    recorded_at: datetime
    who: str
    who_detail: str
    categories: tuple[str, ...]
    summary: str
    details: tuple[str, ...] = field(default=())

    @property
    def category(self) -> str:
        return self.categories[0]

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]


@dataclass(frozen=True)
class _Placed:
    event: AuditEvent
    happened_on: date
    categories: tuple[str, ...]


def _placed(case: Case, filters: HistoryFilters) -> list[_Placed]:
    """Every history row of the case in the categories and days asked for, newest first."""
    events = (
        AuditEvent.objects.filter(case=case, event_type__in=event_types_for(filters.kinds))
        .select_related("actor__agency")
        .order_by("-at", "-id")
    )
    placed = []
    for event in events:
        extra = event.extra_data if isinstance(event.extra_data, dict) else {}
        categories = categories_of(event.event_type, extra)
        if filters.kinds and not set(categories) & set(filters.kinds):
            continue
        day = happened_on(event.event_type, extra, event.at)
        if (filters.since and day < filters.since) or (filters.until and day > filters.until):
            continue
        placed.append(_Placed(event, day, categories))
    placed.sort(key=lambda p: (p.happened_on, p.event.at, p.event.id), reverse=True)
    return placed


def _entries(placed: Iterable[_Placed], *, details: bool = True) -> list[HistoryEntry]:
    """The entries in words, their people's roles read in one query."""
    placed = list(placed)
    events = [p.event for p in placed]
    _prefetch_roles(events)
    lookups = Lookups(events, details=details)
    entries = []
    for p in placed:
        described = describe(p.event.event_type, p.event.extra_data, lookups)
        name, detail = who(p.event)
        entries.append(
            HistoryEntry(
                id=p.event.id,
                event_type=p.event.event_type,
                happened_on=p.happened_on,
                recorded_at=p.event.at,
                who=name,
                who_detail=detail,
                categories=p.categories,
                summary=described.summary,
                details=described.details if details else (),
            )
        )
    return entries


def _prefetch_roles(events: list[AuditEvent]) -> None:
    # Every row has its own copy of its actor (select_related): prefetch into each.
    actors = [e.actor for e in events if e.actor is not None]
    if actors:
        prefetch_related_objects(actors, "roles")


def history_entries(case: Case, filters: HistoryFilters | None = None) -> list[HistoryEntry]:
    """Every entry of a case the caller has already been given (case_for_history_export):
    for the PDF, which holds them all. Unaudited: the caller audits."""
    return _entries(_placed(case, filters or HistoryFilters()))


def case_history(
    user,
    case_id,
    *,
    context: AuditContext | None,
    filters: HistoryFilters | None = None,
    page: Any = 1,
) -> tuple[Case, Page]:
    """A page of the case's history, newest first, for anyone who may read the case
    (else 404). The read is recorded as the history viewed, not the case."""
    case = case_for_user(user, case_id, context=context, event=AuditEventType.HISTORY_VIEWED)
    paginator = Paginator(_placed(case, filters or HistoryFilters()), ENTRIES_PER_PAGE)
    shown = paginator.get_page(page)
    shown.object_list = _entries(shown.object_list)
    return case, shown


def case_for_history_export(user, case_id) -> Case:
    """The case whose history is exported, if the user may read it (else 404). Not
    audited here: the export records what it contained (history.exports)."""
    case = visible_cases(user).select_related("locality", "mother").filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    return case


def recent_history(case: Case, limit: int = RECENT_ENTRIES) -> list[HistoryEntry]:
    """The last few entries of a case the page has already read (and audited)."""
    return _entries(_placed(case, HistoryFilters())[:limit], details=False)
