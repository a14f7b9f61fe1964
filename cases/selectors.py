"""Reads of case data that scope themselves to what the user may see, and audit it.

No view queries Case directly: it asks here, with the user and an audit context. A case
the user may not see is a 404, never a 403, so case ids cannot be probed. A selector that
returns case data for someone to see writes the read-audit row itself, so a page, an
export and the API are audited alike without anyone remembering to.
"""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from accounts.permissions import CASE_READERS, can_read_case_audit, can_read_cases
from audit.models import AuditEventType
from audit.selectors import case_log_keys, rows_in_order, shown_on
from audit.services import AuditContext, audit_list_read, audit_record
from cases.models import STILL_OPEN, Baby, Case, CaseRestriction, Person, named_professional_gap
from cases.restrictions import hidden_from, restricted
from rules import nhs_number as nhs


def visible_cases(user) -> QuerySet[Case]:
    """The cases the user may see, unread and unaudited: for other selectors to build on.
    A restricted case the user is not named on is not among them (cases.restrictions)."""
    if not can_read_cases(user):
        return Case.objects.none()
    return Case.objects.filter(
        Q(locality_id__in=user.locality_ids)
        | Q(named_social_worker=user)
        | Q(named_midwife=user)
        | Q(named_health_visitor=user),
        ~hidden_from(user),
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
            "locality",
            "mother",
            "named_social_worker",
            "named_midwife",
            "named_health_visitor",
            "restriction",
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
    # Its own rows and those of the lists, meetings and exports that showed it.
    page = Paginator(case_log_keys(case.pk), 50).get_page(page_number)
    page.object_list = rows_in_order(page.object_list)
    for event in page.object_list:
        event.shown_on = shown_on(event.extra_data)
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
    # Kinds of named professional missing (cases.models.NAMED_PROFESSIONALS): any of them.
    gaps: tuple[str, ...] = ()
    sort: str = "edd"

    def audited(self) -> dict[str, str]:
        return {
            "q": self.q,
            "locality": str(self.locality.pk) if self.locality else "",
            "csc_input": self.csc_input,
            "named": str(self.named.pk) if self.named else "",
            "gaps": ",".join(self.gaps),
            "sort": self.sort,
        }


def scope_order(field: str) -> Coalesce:
    """`field` to sort a page of the user's scope by (a locality's cases, a caseload's
    milestones): the same value, as an expression no index holds. Sorted by the indexed
    column itself and cut to one page, PostgreSQL walks that column's index across the
    whole country testing each row against the scope, reading more as the country grows
    (bench/run.py's reads check); sorted by the expression, it finds the scope's rows
    through their own index and sorts only those."""
    return Coalesce(field, field)


CASE_SORTS = {
    "edd": (scope_order("edd").asc(), "mother__family_name"),
    "-edd": (scope_order("edd").desc(), "mother__family_name"),
    "name": (scope_order("mother__family_name").asc(), "mother__given_name"),
    "-name": (scope_order("mother__family_name").desc(), "-mother__given_name"),
    "registered": ("created_at",),
    "-registered": ("-created_at",),
}


def _search_condition(query: str) -> Q:
    """A case reference, an NHS number (mother's or baby's), or every word of a name.
    The cases each way matches are found by that way's own index and joined in one
    subquery: one OR across the three tables could use no index, and PostgreSQL walked
    every case the user may see (in due-date order) testing each."""
    query = query.strip()
    # References are made in capitals (cases.models.new_reference): typed in any case.
    # Each part unordered: a compound statement allows no ORDER BY in its parts.
    matches = Case.objects.filter(reference=query.upper()).order_by().values("id")
    digits = nhs.normalise(query)
    if digits.isdigit():
        matches = matches.union(
            Case.objects.filter(mother__nhs_number=digits).order_by().values("id"),
            Baby.objects.filter(nhs_number=digits).order_by().values("case_id"),
        )
    words = query.split()
    if any(character.isalpha() for character in query):  # no name is only digits
        # Every word, in the given or the family name (PostgreSQL: a trigram index on
        # each, cases/migrations/0010; SQLite reads the names).
        named = Q()
        for word in words:
            named &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
        matches = matches.union(
            Case.objects.filter(mother__in=Person.objects.filter(named)).order_by().values("id")
        )
    return Q(id__in=matches)


def page_in_order(ids: QuerySet, page_number: Any, cases: QuerySet[Case]) -> Page:
    """A page of `ids` (case ids, ordered), its object_list those cases read from `cases`
    in that order: the page is chosen on a light query, and only the cases shown are
    read with everything they show (joined first, PostgreSQL planned and joined every
    case the user may see)."""
    page = Paginator(ids, settings.CASES_PER_PAGE).get_page(page_number)
    shown = cases.in_bulk(list(page.object_list))
    page.object_list = [shown[case_id] for case_id in page.object_list]
    return page


def case_search(
    user, *, context: AuditContext | None, filters: CaseFilters, page_number: Any = 1
) -> Page:
    """A page of the cases the user may see that match the filters; the cases shown are
    recorded in the audit log with the filters that chose them."""
    cases = visible_cases(user)
    query = filters.q.strip()
    if query:
        cases = cases.filter(_search_condition(query))
    if filters.locality:
        cases = cases.filter(locality=filters.locality)
    if filters.csc_input:
        cases = cases.filter(csc_input=filters.csc_input)
    if filters.named:
        cases = cases.filter(named_on(filters.named))
    if filters.gaps:
        cases = cases.filter(named_professional_gap(filters.gaps))
    sort = filters.sort if filters.sort in CASE_SORTS else "edd"
    cases = cases.order_by(*CASE_SORTS[sort], "id")
    page = page_in_order(
        cases.values_list("id", flat=True),
        page_number,
        Case.objects.select_related(
            "mother", "locality", "named_social_worker", "named_midwife", "named_health_visitor"
        ).annotate(is_restricted=restricted()),
    )
    audit_list_read(
        actor=user,
        context=context,
        page="case_list",
        case_ids=[case.id for case in page.object_list],
        filters=filters.audited(),
    )
    return page


def _same_mother(*, nhs_number: str, given_name: str, family_name: str, date_of_birth) -> dict:
    """The ways a new case's mother can match an existing case's: each a condition."""
    conditions = {
        "same_name_and_date_of_birth": Q(
            mother__given_name__iexact=given_name.strip(),
            mother__family_name__iexact=family_name.strip(),
            mother__date_of_birth=date_of_birth,
        )
    }
    if nhs_number:
        conditions["same_nhs_number"] = Q(mother__nhs_number=nhs_number)
    return conditions


def duplicate_candidates(*, nhs_number: str, given_name: str, family_name: str, date_of_birth):
    """Every open case (anyone's) whose mother has this NHS number, or this name
    (any case) and date of birth: the one home of "is this a possible duplicate".
    Unscoped and unaudited: for possible_duplicates, which scopes and audits it."""
    conditions = _same_mother(
        nhs_number=nhs_number, given_name=given_name, family_name=family_name,
        date_of_birth=date_of_birth,
    )  # fmt: skip
    matches = Q()
    for condition in conditions.values():
        matches |= condition
    return (
        Case.objects.filter(STILL_OPEN & matches)
        .annotate(
            **{
                name: ExpressionWrapper(condition, output_field=BooleanField())
                for name, condition in conditions.items()
            }
        )
        .select_related("mother", "locality")
        .order_by("edd", "id")
    )


@dataclass(frozen=True)
class PossibleDuplicates:
    """Open cases that may be this mother's pregnancy already: the ones the user may
    see, and how many more are elsewhere (never their detail)."""

    shown: tuple[Case, ...] = ()
    elsewhere: tuple[Any, ...] = ()  # ids only: for the audit log, never for the page

    def __bool__(self) -> bool:
        return bool(self.shown or self.elsewhere)

    @property
    def case_ids(self) -> list[str]:
        return sorted(str(case_id) for case_id in [c.id for c in self.shown] + list(self.elsewhere))


def possible_duplicates(user, *, context: AuditContext | None, mother: dict) -> PossibleDuplicates:
    """The open cases a case being registered may duplicate. Matches the user may see
    are returned to be linked (their listing audited); a match outside the user's
    scope is only counted, and that the user was told of it is recorded on it."""
    matches = list(
        duplicate_candidates(
            nhs_number=mother["nhs_number"], given_name=mother["given_name"],
            family_name=mother["family_name"], date_of_birth=mother["date_of_birth"],
        )
    )  # fmt: skip
    if not matches:
        return PossibleDuplicates()
    visible = set(
        visible_cases(user)
        .filter(id__in=[case.id for case in matches])
        .values_list("id", flat=True)
    )
    shown = tuple(case for case in matches if case.id in visible)
    elsewhere = tuple(case for case in matches if case.id not in visible)
    if shown:
        audit_list_read(
            actor=user, context=context, page="possible_duplicates",
            case_ids=[case.id for case in shown], filters={},
        )  # fmt: skip
    for case in elsewhere:
        audit_record(
            actor=user, event_type=AuditEventType.POSSIBLE_DUPLICATE_ELSEWHERE, case=case,
            context=context, extra_data={"matched_on": _matched_on(case)},
        )  # fmt: skip
    return PossibleDuplicates(shown=shown, elsewhere=tuple(case.id for case in elsewhere))


def _matched_on(case: Case) -> list[str]:
    return [
        name
        for name in ("same_nhs_number", "same_name_and_date_of_birth")
        if getattr(case, name, False)
    ]


def could_see(case: Case) -> QuerySet:
    """The active people who could see the case were it not restricted: readers of its
    locality and its named professionals. Those a restriction may name."""
    named = [
        pk
        for pk in (
            case.named_social_worker_id,
            case.named_midwife_id,
            case.named_health_visitor_id,
        )
        if pk is not None
    ]
    return (
        get_user_model()
        .objects.filter(is_active=True, roles__code__in=CASE_READERS)
        .filter(Q(localities=case.locality_id) | Q(pk__in=named))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def restriction_of(case: Case) -> CaseRestriction | None:
    """A case's restriction, with the people named on it; None if it is not restricted."""
    return (
        CaseRestriction.objects.filter(case=case)
        .select_related("created_by", "changed_by")
        .prefetch_related("users")
        .first()
    )


@dataclass(frozen=True)
class RestrictionRow:
    reference: str
    locality: str
    named_users: int
    restricted_at: Any
    restricted_by: str
    changed_at: Any


def restrictions_overview() -> list[RestrictionRow]:
    """Every restricted case, for the data protection officer's oversight: the case's
    reference and locality, how many people are named, when and by whom. No names of the
    family: the DPO page shows that restrictions exist, not what they hide. Unaudited;
    the page that shows it audits."""
    rows = (
        CaseRestriction.objects.select_related("case__locality", "created_by")
        .annotate(named_users=Count("users"))
        .order_by("-created_at", "pk")
    )
    return [
        RestrictionRow(
            reference=row.case.reference,
            locality=row.case.locality.name,
            named_users=row.named_users,
            restricted_at=row.created_at,
            restricted_by=row.created_by.get_full_name() or row.created_by.username,
            changed_at=row.changed_at,
        )
        for row in rows
    ]
