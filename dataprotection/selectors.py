"""The data protection officer's reads: finding a family's case in any locality, the
case's access log (every view, change, export and download, and every list, dashboard,
meeting or export it appeared in), and everything held about the family.

Each read checks the officer's role first (`require_officer`: the one place) and writes
its own audit row, so the page and its downloads are audited alike. The officer sees
every case, restricted and anonymised ones included: answering for the data is her job.
She reaches no other page of case data (accounts.permissions: her role is in no set
there, and cases.selectors.visible_cases gives her none).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.permissions import can_answer_data_protection_requests
from audit.models import AuditEvent, AuditEventType
from audit.selectors import case_log_actors, case_log_keys, rows_in_order, shown_on
from audit.services import ACTOR_ROLE, AuditContext, audit_record
from cases.models import Baby, Case, CaseRestriction, Partner
from cases.restrictions import restricted
from cases.selectors import restrictions_overview

ENTRIES_PER_PAGE = 50
MOST_RESULTS = 100


def require_officer(user) -> None:
    if not can_answer_data_protection_requests(user):
        raise PermissionDenied("These pages are for the data protection officer")


# Finding the case.


@dataclass(frozen=True)
class CaseQuery:
    """What the officer searched by: any one or more, all of them matching."""

    mother_name: str = ""
    nhs_number: str = ""  # normalised: ten digits, or empty
    reference: str = ""

    def audited(self) -> dict[str, str]:
        return {
            "mother_name": self.mother_name,
            "nhs_number": self.nhs_number,
            "reference": self.reference,
        }


def _matching(query: CaseQuery) -> Q:
    condition = Q()
    for word in query.mother_name.split():
        condition &= Q(mother__given_name__icontains=word) | Q(mother__family_name__icontains=word)
    if query.nhs_number:
        # The person asking may be the mother, a father or partner, or the baby grown up.
        condition &= (
            Q(mother__nhs_number=query.nhs_number)
            | Q(pk__in=Partner.objects.filter(person__nhs_number=query.nhs_number).values("case"))
            | Q(pk__in=Baby.objects.filter(nhs_number=query.nhs_number).values("case"))
        )
    if query.reference:
        condition &= Q(reference=query.reference.strip().upper())  # made in capitals
    return condition


def find_cases(user, *, context: AuditContext | None, query: CaseQuery) -> list[Case]:
    """The cases matching the query in every locality (at most MOST_RESULTS + 1, so the
    page can say there are more), each with `is_restricted`; the search is audited with
    the cases it found."""
    require_officer(user)
    cases = list(
        Case.objects.filter(_matching(query))
        .select_related("mother", "locality")
        .annotate(is_restricted=restricted())
        .order_by("mother__family_name", "mother__given_name", "edd", "pk")[: MOST_RESULTS + 1]
    )
    audit_record(
        actor=user,
        event_type=AuditEventType.DPO_SEARCHED,
        context=context,
        extra_data={"filters": query.audited(), "case_ids": [str(case.pk) for case in cases]},
    )
    return cases


def restricted_cases(user, *, context: AuditContext | None):
    """Every restriction (that it exists, not what it hides: cases.selectors), audited."""
    require_officer(user)
    rows = restrictions_overview()
    case_ids = CaseRestriction.objects.values_list("case_id", flat=True)
    audit_record(
        actor=user,
        event_type=AuditEventType.RESTRICTIONS_VIEWED,
        context=context,
        extra_data={"case_ids": [str(case_id) for case_id in case_ids]},
    )
    return rows


def case_for_officer(user, case_id) -> Case:
    """Any case, for the officer (anyone else: 403); unaudited: the caller audits."""
    require_officer(user)
    case = (
        Case.objects.select_related("mother", "locality")
        .annotate(is_restricted=restricted())
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("No such case")
    return case


# The access log.


@dataclass(frozen=True)
class AccessFilters:
    """Which rows of the log: the days they were written, both ends included, and who."""

    since: date | None = None
    until: date | None = None
    person: int | None = None

    def audited(self) -> dict[str, Any]:
        return {
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "person": self.person,
        }

    def __bool__(self) -> bool:
        return bool(self.since or self.until or self.person)


@dataclass(frozen=True)
class AccessEntry:
    """One row of a case's access log, as the officer reads it."""

    id: int
    at: datetime
    name: str
    username: str
    role: str  # role and agency, as the row recorded them ("Social worker, Children's…")
    ip_address: str
    what: str
    page: str  # for a list, a dashboard or an export: which one
    path: str


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _keys(case: Case, filters: AccessFilters) -> list[tuple[datetime, int]]:
    """(time, id) of every row of the case's log the filters choose, newest first."""
    condition = Q()
    if filters.since:
        condition &= Q(at__gte=_day_start(filters.since))
    if filters.until:
        condition &= Q(at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.person:
        condition &= Q(actor_id=filters.person)
    return case_log_keys(case.pk, condition)


def people_in_log(case: Case) -> QuerySet[User]:
    """Everyone who appears in the case's log, for the filter's choice of person."""
    return User.objects.filter(case_log_actors(case.pk)).order_by(
        "last_name", "first_name", "username"
    )


def _entries(events: Sequence[AuditEvent]) -> list[AccessEntry]:
    # The role is read from the row (what they were then); rows without it, from the user.
    needing_roles = [
        e.actor
        for e in events
        if e.actor is not None
        and not (isinstance(e.extra_data, dict) and e.extra_data.get(ACTOR_ROLE))
    ]
    if needing_roles:
        prefetch_related_objects(needing_roles, "roles")
    labels = dict(AuditEventType.choices)
    entries = []
    for event in events:
        extra = event.extra_data if isinstance(event.extra_data, dict) else {}
        actor = event.actor
        recorded = extra.get(ACTOR_ROLE)
        if actor is None:
            name, role = event.actor_username or "The service", ""
        else:
            name = actor.get_full_name() or actor.username
            role = recorded if isinstance(recorded, str) and recorded else actor.role_description()
        entries.append(
            AccessEntry(
                id=event.pk,
                at=event.at,
                name=name,
                username=event.actor_username,
                role=role,
                ip_address=event.ip_address or "",
                what=labels.get(event.event_type, event.event_type),
                page=shown_on(extra),
                path=event.path,
            )
        )
    return entries


def access_log(
    user, case: Case, *, context: AuditContext | None, filters: AccessFilters, page_number: Any = 1
) -> Page:
    """A page of the case's access log (the case from case_for_officer), newest first,
    with its entries in words; the officer's reading of it is audited (and so in the log
    itself). The same few queries whatever the length of the log."""
    require_officer(user)
    page = Paginator(_keys(case, filters), ENTRIES_PER_PAGE).get_page(page_number)
    page.object_list = _entries(rows_in_order(page.object_list))
    audit_record(
        actor=user,
        event_type=AuditEventType.ACCESS_LOG_VIEWED,
        case=case,
        context=context,
        extra_data={"filters": filters.audited(), "page_number": page.number},
    )
    return page


def access_log_entries(case: Case, filters: AccessFilters) -> list[AccessEntry]:
    """Every entry asked for, for a download: the caller has the case from
    case_for_officer and audits the download."""
    return _entries(rows_in_order(_keys(case, filters)))
