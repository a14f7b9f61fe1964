"""Referrals and allocation: every read, scoped to what the user may see.

The case page reads a case's referral and allocations through `case_referral_summary`
(the page has already recorded the case as viewed); the allocation queue is
`allocation_queue_page`, which records the cases it shows.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from accounts.models import AgencyCode, CscTeam, RoleCode
from audit.services import AuditContext, audit_list_read
from cases.models import Case
from dashboards.selectors import awaiting_allocation, days_late, with_referral
from referrals.models import Allocation, Referral, RiskFactor, RiskFactorKind
from rules.dates import format_date
from rules.gestation import Gestation, date_at_gestation, gestation_on
from rules.protocol import Protocol
from rules.timeline import CaseFacts, team_for
from timeline.services import active_protocol

TEAM_NAMES = dict(CscTeam.choices)


@dataclass(frozen=True)
class Routing:
    """What the protocol says of a referral: the gestation it came at, whether it was late
    (`late_days` after the `referral` milestone was due; 0 on time) and the team it goes to,
    with why."""

    gestation: Gestation
    late_days: int
    due: date | None
    team: str
    team_name: str
    reason: str

    @property
    def late(self) -> bool:
        return self.late_days > 0

    @property
    def late_text(self) -> str:
        if not self.late:
            return "No, referred on time"
        days = f"{self.late_days} day{'s' if self.late_days != 1 else ''}"
        due = f", due {format_date(self.due)}" if self.due else ""
        return f"Yes, {days} after the referral was due{due}"


def referral_routing(case: Case) -> Routing | None:
    """One case's routing, for its pages (None before a referral): its stored `referral`
    milestone read in one query."""
    if case.referral_date is None:
        return None
    return _routing(with_referral(Case.objects.filter(pk=case.pk)).get(), active_protocol())


def _routing(case: Case, protocol: Protocol) -> Routing:
    """The routing of a referred case annotated by `with_referral`: its lateness as the
    timeline stored it (the engine decided it), its team by the protocol's routing rule.
    No query, so a list of cases asks nothing more per row."""
    facts = CaseFacts(
        edd=case.edd,
        today=case.referral_date,
        referral_date=case.referral_date,
        complex=case.complex,
    )
    routing = protocol.team_routing
    team = team_for(facts, routing) or CscTeam.DUTY_AND_ASSESSMENT
    gestation = gestation_on(case.edd, case.referral_date)
    threshold = f"{routing.duty_and_assessment_from_weeks}+{routing.duty_and_assessment_from_days}"
    stays_from = date_at_gestation(
        case.edd, routing.duty_and_assessment_from_weeks, routing.duty_and_assessment_from_days
    )
    if case.referral_date >= stays_from:
        reason = (
            f"Referred at {gestation} weeks, at or after {threshold}: the Duty and Assessment"
            " Team keeps the case and completes the pre-birth assessment."
        )
    elif team == CscTeam.SAFEGUARDING:
        reason = (
            f"Referred at {gestation} weeks, before {threshold}, and the case is complex: it"
            " is allocated with the Safeguarding Children's Team."
        )
    else:
        reason = (
            f"Referred at {gestation} weeks, before {threshold}, and the case is not complex:"
            " it stays with the Duty and Assessment Team."
        )
    return Routing(
        gestation=gestation,
        late_days=days_late(case),
        due=case.referral_due_date,
        team=team,
        team_name=TEAM_NAMES.get(team, team),
        reason=reason,
    )


@dataclass(frozen=True)
class ReferralSummary:
    referral: Referral | None
    routing: Routing | None
    high_risk_indicators: list[RiskFactor]
    underlying_risk_factors: list[RiskFactor]
    allocations: list[Allocation]

    @property
    def high_risk_text(self) -> str:
        return _lines(self.high_risk_indicators, self.referral, "high_risk_notes")

    @property
    def underlying_text(self) -> str:
        return _lines(self.underlying_risk_factors, self.referral, "underlying_notes")

    @property
    def earlier_allocations(self) -> list[Allocation]:
        return self.allocations[1:]

    @property
    def allocation(self) -> Allocation | None:
        """The current allocation: the latest."""
        return self.allocations[0] if self.allocations else None


def _lines(factors: list[RiskFactor], referral: Referral | None, notes: str) -> str:
    """The chosen items, one a line, then the free text (for a summary list's value)."""
    lines = [factor.label for factor in factors]
    if referral is not None and getattr(referral, notes):
        lines.append(getattr(referral, notes))
    return "\n".join(lines)


def case_referral_summary(case: Case) -> ReferralSummary:
    """A case's referral and allocations, for a page that has read (and audited) the case:
    three queries, whatever the number of risk factors or allocations."""
    referral = (
        Referral.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related("risk_factors")
        .first()
    )
    factors = list(referral.risk_factors.all()) if referral else []
    factors.sort(key=lambda factor: (factor.position, factor.label))
    allocations = list(
        Allocation.objects.filter(case=case).select_related("allocated_to", "allocated_by")
    )
    return ReferralSummary(
        referral=referral,
        routing=referral_routing(case),
        high_risk_indicators=[f for f in factors if f.kind == RiskFactorKind.HIGH_RISK_INDICATOR],
        underlying_risk_factors=[
            f for f in factors if f.kind == RiskFactorKind.UNDERLYING_RISK_FACTOR
        ],
        allocations=allocations,
    )


def referral_of(case: Case) -> Referral | None:
    """The case's referral record with its risk factors, for the page that changes it."""
    return Referral.objects.filter(case=case).prefetch_related("risk_factors").first()


def risk_factor_choices(kind: str, *, keep: set[str] = frozenset()) -> list[tuple[str, str]]:
    """(code, label) of the items of one list that may be chosen: the active ones, and any
    retired one already on the record being changed (`keep`), so it is not lost."""
    return list(
        RiskFactor.objects.filter(Q(active=True) | Q(code__in=keep), kind=kind)
        .order_by("position", "label")
        .values_list("code", "label")
    )


def risk_factors_by_code(codes) -> list[RiskFactor]:
    return list(RiskFactor.objects.filter(code__in=list(codes)))


def allocatable_workers(case: Case) -> QuerySet:
    """The social workers a case may be allocated to: children's social care's active
    social workers of the case's locality."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            roles__code=RoleCode.SOCIAL_WORKER,
            agency__code=AgencyCode.CSC,
            localities=case.locality_id,
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# The queue's orders: the oldest referral first, then the latest gestation (the earliest
# due date); or the latest gestation first, then the oldest referral.
QUEUE_ORDERS = {
    "waiting": ("referral_date", "edd", "id"),
    "gestation": ("edd", "referral_date", "id"),
}


def allocation_queue_page(
    user, *, context: AuditContext | None, today: date, sort: str = "waiting", page_number: Any = 1
) -> Page:
    """A page of the referrals waiting for allocation in the user's localities, in the
    order `sort` names (QUEUE_ORDERS), each with its days waiting and routing. The cases
    shown are recorded as read."""
    order = QUEUE_ORDERS.get(sort, QUEUE_ORDERS["waiting"])
    cases = awaiting_allocation(user).order_by(*order)
    page = Paginator(cases, settings.CASES_PER_PAGE).get_page(page_number)
    page.object_list = list(page.object_list)
    protocol = active_protocol()
    for case in page.object_list:
        case.days_waiting = (today - case.referral_date).days
        case.routing = _routing(case, protocol)
    audit_list_read(
        actor=user, context=context, page="allocation_queue",
        case_ids=[case.id for case in page.object_list],
        filters={"sort": sort if sort in QUEUE_ORDERS else ""},
    )  # fmt: skip
    return page
