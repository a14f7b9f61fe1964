"""Reads of case data that scope themselves to what the user may see, and audit it.

No view queries Case directly: it asks here, with the user and an audit context. A case
the user may not see is a 404, never a 403, so case ids cannot be probed. A selector that
returns case data for someone to see writes the read-audit row itself, so a page, an
export and the API are audited alike without anyone remembering to.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import can_read_case_audit, can_read_cases
from audit.models import AuditEventType
from audit.services import AuditContext, audit_list_read, audit_record
from cases.models import Baby, Case
from rules import nhs_number as nhs


def visible_cases(user) -> QuerySet[Case]:
    """The cases the user may see, unread and unaudited: for other selectors to build on."""
    if not can_read_cases(user):
        return Case.objects.none()
    return Case.objects.filter(
        Q(locality_id__in=user.locality_ids)
        | Q(named_social_worker=user)
        | Q(named_midwife=user)
        | Q(named_health_visitor=user)
    )


def case_for_user(
    user,
    case_id,
    *,
    context: AuditContext | None,
    event: AuditEventType = AuditEventType.CASE_VIEWED,
) -> Case:
    """One case the user may see (else 404), its read recorded as `event`."""
    case = _visible_case(user, case_id)
    audit_record(actor=user, event_type=event, case=case, context=context)
    return case


def _visible_case(user, case_id) -> Case:
    case = (
        visible_cases(user)
        .select_related(
            "locality", "mother", "named_social_worker", "named_midwife", "named_health_visitor"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("No case found")
    return case


def baby_of(case: Case, birth_order) -> Baby:
    """A baby of a case the user has already been given (by case_for_user), else 404."""
    baby = Baby.objects.filter(case=case, birth_order=birth_order).first()
    if baby is None:
        raise Http404("No such baby")
    return baby


def case_audit_page(
    user, case_id, *, context: AuditContext | None, page_number: Any
) -> tuple[Case, Page]:
    """A case's audit log, newest first, for a manager who may see the case (else 404;
    other roles 403). The rows are read before this read is itself recorded."""
    case = _visible_case(user, case_id)
    if not can_read_case_audit(user):
        raise PermissionDenied("Only managers can see who has looked at a case")
    events = case.audit_events.select_related("actor").order_by("-at", "-id")
    page = Paginator(events, 50).get_page(page_number)
    page.object_list = list(page.object_list)
    audit_record(actor=user, event_type=AuditEventType.AUDIT_VIEWED, case=case, context=context)
    return case, page


def named_on(user) -> Q:
    return Q(named_social_worker=user) | Q(named_midwife=user) | Q(named_health_visitor=user)


@dataclass(frozen=True)
class CaseFilters:
    """What the case list was asked for: each empty value means "any"."""

    q: str = ""
    locality: Any = None
    csc_input: str = ""
    named: Any = None
    sort: str = "edd"

    def audited(self) -> dict[str, str]:
        return {
            "q": self.q,
            "locality": str(self.locality.pk) if self.locality else "",
            "csc_input": self.csc_input,
            "named": str(self.named.pk) if self.named else "",
            "sort": self.sort,
        }


CASE_SORTS = {
    "edd": ("edd", "mother__family_name"),
    "-edd": ("-edd", "mother__family_name"),
    "name": ("mother__family_name", "mother__given_name"),
    "-name": ("-mother__family_name", "-mother__given_name"),
    "registered": ("created_at",),
    "-registered": ("-created_at",),
}


def _search_condition(query: str) -> Q:
    """A case reference, an NHS number (mother's or baby's), or every word of a name."""
    condition = Q(reference__iexact=query)
    digits = nhs.normalise(query)
    if digits.isdigit():
        condition |= Q(mother__nhs_number=digits) | Q(
            id__in=Baby.objects.filter(nhs_number=digits).values("case_id")
        )
    name_match = Q()
    for word in query.split():
        name_match &= Q(mother__given_name__icontains=word) | Q(mother__family_name__icontains=word)
    return condition | name_match


def case_search(
    user, *, context: AuditContext | None, filters: CaseFilters, page_number: Any = 1
) -> Page:
    """A page of the cases the user may see that match the filters; the cases shown are
    recorded in the audit log with the filters that chose them."""
    cases = visible_cases(user).select_related(
        "mother", "locality", "named_social_worker", "named_midwife", "named_health_visitor"
    )
    query = filters.q.strip()
    if query:
        cases = cases.filter(_search_condition(query))
    if filters.locality:
        cases = cases.filter(locality=filters.locality)
    if filters.csc_input:
        cases = cases.filter(csc_input=filters.csc_input)
    if filters.named:
        cases = cases.filter(named_on(filters.named))
    sort = filters.sort if filters.sort in CASE_SORTS else "edd"
    cases = cases.order_by(*CASE_SORTS[sort], "id")
    page = Paginator(cases, settings.CASES_PER_PAGE).get_page(page_number)
    audit_list_read(
        actor=user,
        context=context,
        page="case_list",
        case_ids=[case.id for case in page.object_list],
        filters=filters.audited(),
    )
    return page
