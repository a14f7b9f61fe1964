"""The timeline engine: a case's facts and a protocol in, every milestone's due date
and status out.

Pure: it never reads the clock or the database. `today` (and `now`, when hours matter)
is one of the facts. The protocol and the working-day calendar are built once and
passed in, so a call does no file reading and makes no holiday tables (the benchmark
computes 100,000 timelines). A milestone's status is decided by rules/status.py.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from rules.gestation import date_at_gestation, gestation_on
from rules.protocol import (
    DONE_FACTS,
    VISIT_STEP_KINDS,
    DueRule,
    MilestoneRule,
    Protocol,
    TeamRouting,
)
from rules.status import done_when_due, milestone_status
from rules.working_days import WorkingDayCalendar, calendar_for

LOSSES = frozenset({"miscarriage", "stillbirth", "termination", "neonatal_death"})
OUTCOMES = frozenset({"live_birth"}) | LOSSES
# Born alive: a neonatal death is a live birth too, so what was done after it stays on record.
BORN_ALIVE = frozenset({None, "live_birth", "neonatal_death"})
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
# Anchors that are things that happened (not a gestation, a plan or another's due date).
FACT_EVENTS = frozenset({"referral", "allocation", "strategy_discussion", "birth", "discharge",
                         "placement"})  # fmt: skip
# The milestone whose due date a referral's lateness is counted from.
REFERRAL = "referral"


@dataclass(frozen=True)
class NotApplicable:
    reason: str


@dataclass(frozen=True, slots=True)
class RecordedStep:
    """A step of the work recorded in the service: what kind, by which agency, when.

    A milestone whose protocol rule says `done_by = "record:<kind>"` is done on the
    earliest such step recorded by the agency that owns the milestone.
    """

    kind: str  # one of rules.protocol.STEP_KINDS
    agency: str  # one of rules.protocol.OWNERS
    on: date


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
    planned_discharge_date: date | None = None
    discharge: datetime | None = None
    placement: str | None = None
    placement_date: date | None = None
    cp_plan: bool = False
    events: Mapping[str, date | NotApplicable] = field(default_factory=dict)
    # The work recorded in the service (visits, checkpoints, the authorised assessment).
    steps: tuple[RecordedStep, ...] = ()
    # The moment, on London wall-clock time, when hours matter: a due counted in hours
    # (the 48-hour home visit) is overdue the moment after it. None: `today` is the
    # finest grain, and such a due is overdue from the next day. Its date is `today`.
    now: datetime | None = None

    @property
    def is_loss(self) -> bool:
        return self.pregnancy_outcome in LOSSES

    @property
    def is_live_birth(self) -> bool:
        return self.birth_date is not None and self.pregnancy_outcome in BORN_ALIVE


@dataclass(frozen=True, slots=True)
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
    # Done by the passing of its due date (the end of tracking 28 days after birth):
    # a stored row that is open today is done on its due date, with no recompute.
    ends_when_due: bool = False

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


def conditions(facts: CaseFacts) -> dict[str, bool]:
    """Every condition of the protocol vocabulary, for these facts."""
    born = facts.is_live_birth
    placement = facts.placement if born else None
    return {
        "always": True,
        "referral_made": facts.referral_date is not None,
        "allocated": facts.allocation_date is not None,
        "significant_harm": facts.significant_harm,
        "pre_proceedings": facts.pre_proceedings,
        "bla_panel": facts.bla_panel,
        "live_birth": born,
        "going_home_or_wider_family": placement in {"home", "wider_family"},
        "going_home": placement == "home",
        "foster": placement == "foster",
        "parent_and_child": placement == "parent_and_child",
        "cp_plan_and_live_birth": born and facts.cp_plan,
    }


def condition_holds(condition: str, facts: CaseFacts) -> bool:
    try:
        return conditions(facts)[condition]
    except KeyError:
        raise ValueError(f"Unknown condition {condition!r}") from None


def team_for(facts: CaseFacts, routing: TeamRouting) -> str | None:
    """The protocol's team routing: from its gestation on, Duty and Assessment keeps the
    referral; before it, a complex case goes to Safeguarding."""
    if facts.referral_date is None:
        return None
    stays_from = date_at_gestation(
        facts.edd, routing.duty_and_assessment_from_weeks, routing.duty_and_assessment_from_days
    )
    if facts.referral_date >= stays_from:
        return "duty_and_assessment"
    return "safeguarding" if facts.complex else "duty_and_assessment"


def late_referral_days(facts: CaseFacts, referral: MilestoneResult | None) -> int | None:
    """Whole days the referral came after the `referral` milestone's own due date: 0 on
    time, None before a referral (or when the protocol gives the referral no date)."""
    if facts.referral_date is None or referral is None or referral.due_date is None:
        return None
    return max(0, (facts.referral_date - referral.due_date).days)


def date_of(value: date | datetime | None) -> date | None:
    """The day of a date or a datetime (a due counted in hours)."""
    return value.date() if isinstance(value, datetime) else value


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


def _sort_key(value: date | datetime) -> datetime:
    # A date-only due counts to the end of its day, so an hours-based due that day is earlier.
    return value if isinstance(value, datetime) else datetime.combine(value, time.max)


def warning_start(rule: MilestoneRule, due: date, calendar: WorkingDayCalendar) -> date:
    """The first day a milestone due on `due` counts as due soon."""
    if rule.warning_unit == "weeks":
        return due - timedelta(weeks=rule.warning)
    if rule.warning_unit == "calendar_days":
        return due - timedelta(days=rule.warning)
    return calendar.first_day_within(due, rule.warning)


class _Evaluation:
    """One timeline being worked out: the facts, and sums already done for this call."""

    __slots__ = ("facts", "calendar", "holds", "results", "_working_days", "_warnings", "_steps")

    def __init__(self, facts: CaseFacts, calendar: WorkingDayCalendar) -> None:
        self.facts = facts
        self.calendar = calendar
        self.holds = conditions(facts)
        self.results: dict[str, MilestoneResult] = {}
        # Several milestones share a sum ("10 working days after allocation"): do it once.
        self._working_days: dict[tuple[date, int], date] = {}
        self._warnings: dict[tuple[date, int, str], date] = {}
        # (kind, agency) -> the dates of its steps, earliest first.
        self._steps: dict[tuple[str, str], list[date]] = {}
        for step in sorted(facts.steps, key=lambda s: s.on):
            self._steps.setdefault((step.kind, step.agency), []).append(step.on)

    def anchor(self, rule: DueRule) -> date | datetime | None:
        facts = self.facts
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
        if anchor == "planned_discharge":
            return facts.planned_discharge_date
        if anchor == "discharge":
            return facts.discharge if rule.unit == "hours" else date_of(facts.discharge)
        if anchor == "placement":
            return _placement_start(facts, hours=rule.unit == "hours")
        milestone_id = rule.milestone_anchor
        if milestone_id is not None:
            return self.results[milestone_id].due
        return None  # "none": tracked until done, no date

    def add(self, anchor: date | datetime, offset: int, unit: str) -> date | datetime:
        if unit == "calendar_days":
            return anchor + timedelta(days=offset)
        if unit == "weeks":
            return anchor + timedelta(weeks=offset)
        if unit == "hours":
            return anchor + timedelta(hours=offset)
        start = anchor.date() if isinstance(anchor, datetime) else anchor
        key = (start, offset)
        found = self._working_days.get(key)
        if found is None:
            found = self._working_days[key] = self.calendar.add_working_days(start, offset)
        return found

    def warning_from(self, rule: MilestoneRule, due: date) -> date:
        key = (due, rule.warning, rule.warning_unit)
        found = self._warnings.get(key)
        if found is None:
            found = self._warnings[key] = warning_start(rule, due, self.calendar)
        return found

    def due(self, rule: MilestoneRule) -> tuple[date | datetime | None, DueRule]:
        if rule.combine == "single":
            due_rule = rule.due_rules[0]
            if not self.holds[due_rule.when]:
                return None, due_rule
            anchor = self.anchor(due_rule)
            if anchor is None:
                return None, due_rule
            return self.add(anchor, due_rule.offset, due_rule.unit), due_rule
        if rule.combine == "first":
            for due_rule in rule.due_rules:
                if self.holds[due_rule.when]:
                    anchor = self.anchor(due_rule)
                    if anchor is None:
                        return None, due_rule
                    return self.add(anchor, due_rule.offset, due_rule.unit), due_rule
            return None, rule.due_rules[-1]
        # "earliest": the earliest of the rules whose anchor is known; the fallback rule
        # only when none of the others gives a date.
        best: tuple[date | datetime, DueRule] | None = None
        fallback: DueRule | None = None
        for due_rule in rule.due_rules:
            if not self.holds[due_rule.when]:
                continue
            if due_rule.fallback:
                fallback = due_rule
                continue
            anchor = self.anchor(due_rule)
            if anchor is None:
                continue
            due = self.add(anchor, due_rule.offset, due_rule.unit)
            if best is None or _sort_key(due) < _sort_key(best[0]):
                best = (due, due_rule)
        if best is None and fallback is not None:
            anchor = self.anchor(fallback)
            if anchor is not None:
                best = (self.add(anchor, fallback.offset, fallback.unit), fallback)
        return best if best is not None else (None, rule.due_rules[-1])

    def done_date(
        self, rule: MilestoneRule, due_rule: DueRule, due: date | datetime | None
    ) -> date | None:
        done_by = due_rule.done_by
        # Done by a fact: the fact's date, whatever else was recorded.
        if done_by == "referral_date" and self.facts.referral_date is not None:
            return self.facts.referral_date
        if done_by == "allocation_date" and self.facts.allocation_date is not None:
            return self.facts.allocation_date
        kind = due_rule.done_by_step
        if kind is not None and (step := self.step_done(kind, rule.owner, due_rule)):
            return step
        # Recorded done by hand (or, in the contract, given as an event).
        event = self.facts.events.get(rule.id)
        if isinstance(event, date):
            return event
        if done_by is None or done_by in DONE_FACTS or kind is not None:
            return None
        if done_by == "due_passed":
            return done_when_due(due, self.facts.today)
        return self.results[done_by.removeprefix("milestone:")].done

    def step_done(self, kind: str, owner: str, due_rule: DueRule) -> date | None:
        """The earliest step of this kind by the owning agency that does the milestone."""
        days = self._steps.get((kind, owner))
        if not days:
            return None
        if kind in VISIT_STEP_KINDS and due_rule.anchor in FACT_EVENTS:
            anchor = self.anchor(due_rule)
            if anchor is None:
                return None
            start = anchor.date() if isinstance(anchor, datetime) else anchor
            return next((day for day in days if day >= start), None)
        return days[0]

    def result(self, rule: MilestoneRule) -> MilestoneResult:
        facts = self.facts
        due, due_rule = self.due(rule)
        due_date = date_of(due)
        warning_from = self.warning_from(rule, due_date) if due_date is not None else None
        if rule.window_start is not None and due_date is not None:
            # A window (the mid-point review's 6 to 8 weeks): due soon once it opens.
            anchor = self.anchor(due_rule)
            if anchor is not None:
                warning_from = date_of(self.add(anchor, rule.window_start, rule.window_start_unit))
        done = self.done_date(rule, due_rule, due)
        event = facts.events.get(rule.id)
        reason = event.reason if done is None and isinstance(event, NotApplicable) else None
        status, days_overdue = milestone_status(
            due=due,
            warning_from=warning_from,
            today=facts.today,
            now=facts.now,
            done=done,
            not_applicable=reason is not None,
            closed=facts.pregnancy_outcome in LOSSES,
            tracked_without_date=due_rule.anchor == "none",
        )
        return MilestoneResult(
            rule.id,
            rule.title,
            due,
            status,
            done,
            days_overdue,
            reason,
            warning_from,
            ends_when_due=due_rule.done_by == "due_passed",
        )


def compute_timeline(
    facts: CaseFacts, protocol: Protocol, calendar: WorkingDayCalendar | None = None
) -> Timeline:
    if calendar is None:
        calendar = calendar_for(protocol.bank_holidays)
    evaluation = _Evaluation(facts, calendar)
    holds, results, needed = evaluation.holds, evaluation.results, protocol.depended_on
    for rule in protocol.rules_in_evaluation_order:
        # A milestone that does not apply is still worked out if another one counts from
        # it, or (the referral) the lateness of a referral is counted from it.
        if holds[rule.applies_when] or rule.id in needed or rule.id == REFERRAL:
            results[rule.id] = evaluation.result(rule)
    return Timeline(
        protocol_name=protocol.name,
        protocol_version=protocol.version,
        gestation_today=str(gestation_on(facts.edd, facts.today)),
        team=team_for(facts, protocol.team_routing),
        late_referral_days=late_referral_days(facts, results.get(REFERRAL)),
        milestones=tuple(
            results[rule.id] for rule in protocol.milestones if holds[rule.applies_when]
        ),
    )


def steady_until(timeline: Timeline) -> date | None:
    """The first day a timeline could be other than it is with no new fact, None if never:
    the earliest due day of a milestone done by the passing of its due date and not yet
    done. Before it, what a case stores of its milestones (dates, titles, and whether each
    is done, not applicable or closed) is the same whatever the day; overdue and due
    soon are worked out when shown."""
    return min(
        (
            day
            for milestone in timeline.milestones
            if milestone.ends_when_due
            and milestone.done is None
            and (day := milestone.due_date) is not None
        ),
        default=None,
    )
