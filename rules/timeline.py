"""The timeline engine: a case's facts and a protocol in, every milestone's due date
and status out.

Pure: it never reads the clock or the database. `today` is one of the facts.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from rules.gestation import date_at_gestation, gestation_on
from rules.protocol import DueRule, MilestoneRule, Protocol
from rules.working_days import WorkingDayCalendar, calendar_for

LOSSES = frozenset({"miscarriage", "stillbirth", "termination", "neonatal_death"})
OUTCOMES = frozenset({"live_birth"}) | LOSSES
PLACEMENTS = frozenset({"home", "wider_family", "foster", "parent_and_child"})
STATUSES = (
    "done",
    "done_late",
    "overdue",
    "due_soon",
    "upcoming",
    "awaiting",
    "not_applicable",
    "closed",
)
OPEN_STATUSES = frozenset({"overdue", "due_soon", "upcoming", "awaiting"})
ROUTING_WEEKS = 30
REFERRAL_WEEKS = 16


@dataclass(frozen=True)
class NotApplicable:
    reason: str


@dataclass(frozen=True)
class CaseFacts:
    edd: date
    today: date
    referral_date: date | None = None
    complex: bool = False
    allocation_date: date | None = None
    significant_harm: bool = False
    strategy_discussion_date: date | None = None
    pre_proceedings: bool = False
    bla_panel: bool = False
    birth_date: date | None = None
    pregnancy_outcome: str | None = None
    discharge: datetime | None = None
    placement: str | None = None
    placement_date: date | None = None
    cp_plan: bool = False
    events: Mapping[str, date | NotApplicable] = field(default_factory=dict)

    @property
    def is_loss(self) -> bool:
        return self.pregnancy_outcome in LOSSES

    @property
    def is_live_birth(self) -> bool:
        return self.birth_date is not None and self.pregnancy_outcome in {None, "live_birth"}


@dataclass(frozen=True)
class MilestoneResult:
    id: str
    title: str
    due: date | datetime | None
    status: str
    done: date | None
    days_overdue: int
    not_applicable_reason: str | None = None
    # The first day it counts as due soon; None while there is no due date.
    warning_from: date | None = None

    @property
    def due_date(self) -> date | None:
        return self.due.date() if isinstance(self.due, datetime) else self.due


@dataclass(frozen=True)
class Timeline:
    protocol_name: str
    protocol_version: str
    gestation_today: str
    team: str | None
    late_referral_days: int | None
    milestones: tuple[MilestoneResult, ...]

    def milestone(self, milestone_id: str) -> MilestoneResult:
        for result in self.milestones:
            if result.id == milestone_id:
                return result
        raise KeyError(milestone_id)


def condition_holds(condition: str, facts: CaseFacts) -> bool:
    live_birth = facts.is_live_birth
    match condition:
        case "always":
            return True
        case "referral_made":
            return facts.referral_date is not None
        case "allocated":
            return facts.allocation_date is not None
        case "significant_harm":
            return facts.significant_harm
        case "pre_proceedings":
            return facts.pre_proceedings
        case "bla_panel":
            return facts.bla_panel
        case "live_birth":
            return live_birth
        case "going_home_or_wider_family":
            return live_birth and facts.placement in {"home", "wider_family"}
        case "going_home":
            return live_birth and facts.placement == "home"
        case "foster":
            return live_birth and facts.placement == "foster"
        case "parent_and_child":
            return live_birth and facts.placement == "parent_and_child"
        case "cp_plan_and_live_birth":
            return live_birth and facts.cp_plan
    raise ValueError(f"Unknown condition {condition!r}")


def team_for(facts: CaseFacts) -> str | None:
    if facts.referral_date is None:
        return None
    if gestation_on(facts.edd, facts.referral_date).weeks >= ROUTING_WEEKS:
        return "duty_and_assessment"
    return "safeguarding" if facts.complex else "duty_and_assessment"


def late_referral_days(facts: CaseFacts) -> int | None:
    if facts.referral_date is None:
        return None
    return max(0, (facts.referral_date - date_at_gestation(facts.edd, REFERRAL_WEEKS)).days)


def _anchor_value(
    rule: DueRule, facts: CaseFacts, computed: Mapping[str, MilestoneResult]
) -> date | datetime | None:
    anchor = rule.anchor
    if anchor == "gestation":
        return date_at_gestation(facts.edd, rule.weeks, rule.days)
    if anchor == "referral":
        return facts.referral_date
    if anchor == "allocation":
        return facts.allocation_date
    if anchor == "strategy_discussion":
        return facts.strategy_discussion_date
    if anchor == "birth":
        return facts.birth_date
    if anchor == "discharge":
        return facts.discharge if rule.unit == "hours" else _date_of(facts.discharge)
    if anchor == "placement":
        return _placement_start(facts, hours=rule.unit == "hours")
    milestone_id = rule.milestone_anchor
    if milestone_id is not None:
        return computed[milestone_id].due
    return None  # "none": tracked until done, no date


def _placement_start(facts: CaseFacts, *, hours: bool) -> date | datetime | None:
    """When a placement began. A placement on the day of discharge starts at discharge."""
    start = facts.placement_date
    if start is None and facts.discharge is not None:
        start = facts.discharge.date()
    if start is None:
        return None
    if not hours:
        return start
    if facts.discharge is not None and facts.discharge.date() == start:
        return facts.discharge
    return datetime.combine(start, time.min)


def _date_of(value: date | datetime | None) -> date | None:
    return value.date() if isinstance(value, datetime) else value


def _add(
    anchor: date | datetime, offset: int, unit: str, calendar: WorkingDayCalendar
) -> date | datetime:
    if unit == "hours":
        return anchor + timedelta(hours=offset)
    if unit == "weeks":
        return anchor + timedelta(weeks=offset)
    if unit == "calendar_days":
        return anchor + timedelta(days=offset)
    if isinstance(anchor, datetime):
        anchor = anchor.date()
    return calendar.add_working_days(anchor, offset)


def _due(
    rule: MilestoneRule,
    facts: CaseFacts,
    computed: Mapping[str, MilestoneResult],
    calendar: WorkingDayCalendar,
) -> tuple[date | datetime | None, DueRule]:
    candidates: list[tuple[date | datetime, DueRule]] = []
    chosen_rule = rule.due_rules[-1]
    for due_rule in rule.due_rules:
        if not condition_holds(due_rule.when, facts):
            continue
        anchor = _anchor_value(due_rule, facts, computed)
        if rule.combine == "first":
            chosen_rule = due_rule
            if anchor is None:
                return None, due_rule
            return _add(anchor, due_rule.offset, due_rule.unit, calendar), due_rule
        if anchor is not None:
            candidates.append((_add(anchor, due_rule.offset, due_rule.unit, calendar), due_rule))
    if not candidates:
        return None, chosen_rule
    return min(candidates, key=lambda candidate: _sort_key(candidate[0]))


def _sort_key(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time.max)


def _done_date(
    rule: MilestoneRule,
    due_rule: DueRule,
    due: date | datetime | None,
    facts: CaseFacts,
    computed: Mapping[str, MilestoneResult],
) -> date | None:
    event = facts.events.get(rule.id)
    if isinstance(event, date):
        return event
    done_by = due_rule.done_by
    if done_by == "referral_date":
        return facts.referral_date
    if done_by == "allocation_date":
        return facts.allocation_date
    if done_by == "due_passed":
        due_date = _date_of(due)
        return due_date if due_date is not None and facts.today >= due_date else None
    if done_by is not None and done_by.startswith("milestone:"):
        return computed[done_by.removeprefix("milestone:")].done
    return None


def warning_start(rule: MilestoneRule, due: date, calendar: WorkingDayCalendar) -> date:
    """The first day a milestone due on `due` counts as due soon."""
    if rule.warning_unit == "weeks":
        return due - timedelta(weeks=rule.warning)
    if rule.warning_unit == "calendar_days":
        return due - timedelta(days=rule.warning)
    return calendar.first_day_within(due, rule.warning)


def _milestone_result(
    rule: MilestoneRule,
    facts: CaseFacts,
    computed: Mapping[str, MilestoneResult],
    calendar: WorkingDayCalendar,
) -> MilestoneResult:
    due, due_rule = _due(rule, facts, computed, calendar)
    due_date = _date_of(due)
    warning_from = warning_start(rule, due_date, calendar) if due_date is not None else None
    if rule.window_start is not None and due_date is not None:
        # A window (the mid-point review's 6 to 8 weeks): due soon once it opens.
        anchor = _anchor_value(due_rule, facts, computed)
        if anchor is not None:
            warning_from = _date_of(
                _add(anchor, rule.window_start, rule.window_start_unit, calendar)
            )
    done = _done_date(rule, due_rule, due, facts, computed)
    event = facts.events.get(rule.id)
    today = facts.today
    reason = None
    days_overdue = 0
    if done is not None:
        late = due_date is not None and done > due_date
        status = "done_late" if late else "done"
        days_overdue = (done - due_date).days if late and due_date else 0
    elif isinstance(event, NotApplicable):
        status, reason = "not_applicable", event.reason
    elif facts.is_loss:
        status = "closed"
    elif due_date is None:
        status = "upcoming" if due_rule.anchor == "none" else "awaiting"
    elif today > due_date:
        status, days_overdue = "overdue", (today - due_date).days
    elif today >= warning_from:  # type: ignore[operator]
        status = "due_soon"
    else:
        status = "upcoming"
    return MilestoneResult(
        rule.id, rule.title, due, status, done, days_overdue, reason, warning_from
    )


def compute_timeline(
    facts: CaseFacts, protocol: Protocol, calendar: WorkingDayCalendar | None = None
) -> Timeline:
    calendar = calendar or calendar_for(protocol.bank_holidays)
    by_id = {rule.id: rule for rule in protocol.milestones}
    computed: dict[str, MilestoneResult] = {}
    for milestone_id in protocol.evaluation_order:
        computed[milestone_id] = _milestone_result(by_id[milestone_id], facts, computed, calendar)
    return Timeline(
        protocol_name=protocol.name,
        protocol_version=protocol.version,
        gestation_today=str(gestation_on(facts.edd, facts.today)),
        team=team_for(facts),
        late_referral_days=late_referral_days(facts),
        milestones=tuple(
            computed[rule.id]
            for rule in protocol.milestones
            if condition_holds(rule.applies_when, facts)
        ),
    )
