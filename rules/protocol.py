"""Loading a protocol file: the pre-birth procedure as data.

A protocol is checked whole when it is loaded. Any mistake (an unknown anchor,
unit or condition, a missing or repeated id, a cycle between milestones) raises
ProtocolError naming the milestone and the field, so a bad file never reaches a
running service.
"""

import datetime as dt
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

PROTOCOLS_DIR = Path(__file__).resolve().parent.parent / "protocols"

CONDITIONS = frozenset(
    {
        "always",
        "referral_made",
        "allocated",
        "significant_harm",
        "pre_proceedings",
        "bla_panel",
        "live_birth",
        "going_home_or_wider_family",
        "going_home",
        "foster",
        "parent_and_child",
        "cp_plan_and_live_birth",
    }
)
FACT_ANCHORS = frozenset(
    {
        "gestation",
        "referral",
        "allocation",
        "strategy_discussion",
        "birth",
        "discharge",
        "placement",
    }
)
UNITS = frozenset({"working_days", "calendar_days", "hours", "weeks"})
DONE_FACTS = frozenset({"referral_date", "allocation_date"})
COMBINES = frozenset({"single", "earliest", "first"})


class ProtocolError(ValueError):
    def __init__(self, message: str, milestone: str | None = None, field: str | None = None):
        where = []
        if milestone is not None:
            where.append(f"milestone {milestone!r}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(": ".join([*where, message]))
        self.milestone = milestone
        self.field = field


@dataclass(frozen=True)
class DueRule:
    """One way of working out a due date: an anchor, an offset and a unit."""

    anchor: str  # a FACT_ANCHOR, "milestone:<id>" or "none"
    weeks: int = 0  # for the gestation anchor: W+D
    days: int = 0
    offset: int = 0
    unit: str = "calendar_days"
    when: str = "always"
    done_by: str | None = None  # a DONE_FACT, "milestone:<id>" or "due_passed"

    @property
    def milestone_anchor(self) -> str | None:
        return (
            self.anchor.removeprefix("milestone:") if self.anchor.startswith("milestone:") else None
        )


@dataclass(frozen=True)
class MilestoneRule:
    id: str
    title: str
    applies_when: str
    due_rules: tuple[DueRule, ...]
    combine: str
    warning: int
    warning_unit: str
    source: str
    window_start: int | None = None
    window_start_unit: str = "weeks"

    def depends_on(self) -> set[str]:
        found = set()
        for rule in self.due_rules:
            if rule.milestone_anchor:
                found.add(rule.milestone_anchor)
            if rule.done_by and rule.done_by.startswith("milestone:"):
                found.add(rule.done_by.removeprefix("milestone:"))
        return found


@dataclass(frozen=True)
class Protocol:
    name: str
    version: str
    date: dt.date
    review_date: dt.date
    bank_holidays: str
    milestones: tuple[MilestoneRule, ...]
    # Milestone ids in an order where every milestone comes after those it depends on.
    evaluation_order: tuple[str, ...]

    def milestone(self, milestone_id: str) -> MilestoneRule:
        for rule in self.milestones:
            if rule.id == milestone_id:
                return rule
        raise KeyError(milestone_id)

    @property
    def milestone_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.milestones)


def _require(table: Mapping[str, Any], key: str, kind: type, milestone: str | None) -> Any:
    if key not in table:
        raise ProtocolError("is missing", milestone, key)
    value = table[key]
    if kind is int and isinstance(value, bool) or not isinstance(value, kind):
        raise ProtocolError(f"must be {kind.__name__}, not {type(value).__name__}", milestone, key)
    return value


def _optional(table: Mapping[str, Any], key: str, kind: type, default: Any, milestone: str) -> Any:
    return _require(table, key, kind, milestone) if key in table else default


def _choice(value: str, allowed: frozenset[str], milestone: str, field: str) -> str:
    if value not in allowed:
        raise ProtocolError(
            f"unknown value {value!r} (expected one of {', '.join(sorted(allowed))})",
            milestone,
            field,
        )
    return value


def _due_rule(table: Mapping[str, Any], milestone: str, prefix: str = "") -> DueRule:
    known = {"anchor", "weeks", "days", "offset", "unit", "when", "done_by"}
    extra = set(table) - known - (_MILESTONE_KEYS if not prefix else set())
    if extra:
        raise ProtocolError("is not a known field", milestone, prefix + sorted(extra)[0])
    anchor = _require(table, "anchor", str, milestone)
    if not (anchor in FACT_ANCHORS or anchor == "none" or anchor.startswith("milestone:")):
        raise ProtocolError(
            f"unknown anchor {anchor!r} (expected one of {', '.join(sorted(FACT_ANCHORS))},"
            " none, or milestone:<id>)",
            milestone,
            prefix + "anchor",
        )
    unit = _choice(
        _optional(table, "unit", str, "calendar_days", milestone), UNITS, milestone, prefix + "unit"
    )
    done_by = _optional(table, "done_by", str, None, milestone)
    if done_by is not None and not (
        done_by in DONE_FACTS or done_by == "due_passed" or done_by.startswith("milestone:")
    ):
        raise ProtocolError(
            f"unknown value {done_by!r} (expected one of {', '.join(sorted(DONE_FACTS))},"
            " due_passed, or milestone:<id>)",
            milestone,
            prefix + "done_by",
        )
    weeks = _optional(table, "weeks", int, 0, milestone)
    if anchor == "gestation" and "weeks" not in table:
        raise ProtocolError("is missing (the gestation anchor needs weeks)", milestone, "weeks")
    if unit == "hours" and anchor not in {"discharge", "placement"}:
        raise ProtocolError("hours can only count from discharge or placement", milestone, "unit")
    return DueRule(
        anchor=anchor,
        weeks=weeks,
        days=_optional(table, "days", int, 0, milestone),
        offset=_optional(table, "offset", int, 0, milestone),
        unit=unit,
        when=_choice(
            _optional(table, "when", str, "always", milestone), CONDITIONS, milestone, "when"
        ),
        done_by=done_by,
    )


_MILESTONE_KEYS = {
    "id",
    "title",
    "applies_when",
    "combine",
    "due",
    "warning",
    "warning_unit",
    "source",
    "window_start",
    "window_start_unit",
}


def _milestone(table: Mapping[str, Any], defaults: Mapping[str, Any], index: int) -> MilestoneRule:
    milestone_id = _require(table, "id", str, f"#{index + 1}")
    if not milestone_id or not milestone_id.replace("_", "").isalnum():
        raise ProtocolError("must be letters, digits and underscores", milestone_id, "id")
    if "due" in table:
        if "anchor" in table:
            raise ProtocolError(
                "give either anchor or [[due]] rules, not both", milestone_id, "due"
            )
        entries = _require(table, "due", list, milestone_id)
        if not entries:
            raise ProtocolError("needs at least one rule", milestone_id, "due")
        due_rules = tuple(
            _due_rule(entry, milestone_id, prefix=f"due[{n}].") for n, entry in enumerate(entries)
        )
        combine = _choice(
            _require(table, "combine", str, milestone_id), COMBINES - {"single"}, milestone_id,
            "combine",
        )  # fmt: skip
    else:
        due_rules = (_due_rule(table, milestone_id),)
        combine = "single"
    warning_unit = _optional(
        table, "warning_unit", str, defaults.get("warning_unit", "working_days"), milestone_id
    )
    warning = _optional(table, "warning", int, defaults.get("warning", 10), milestone_id)
    if warning < 0:
        raise ProtocolError("must not be negative", milestone_id, "warning")
    return MilestoneRule(
        id=milestone_id,
        title=_require(table, "title", str, milestone_id),
        applies_when=_choice(
            _require(table, "applies_when", str, milestone_id),
            CONDITIONS,
            milestone_id,
            "applies_when",
        ),  # fmt: skip
        due_rules=due_rules,
        combine=combine,
        warning=warning,
        warning_unit=_choice(warning_unit, UNITS - {"hours"}, milestone_id, "warning_unit"),
        source=_require(table, "source", str, milestone_id),
        window_start=_optional(table, "window_start", int, None, milestone_id),
        window_start_unit=_choice(
            _optional(table, "window_start_unit", str, "weeks", milestone_id),
            UNITS,
            milestone_id,
            "window_start_unit",
        ),  # fmt: skip
    )


def _evaluation_order(milestones: tuple[MilestoneRule, ...]) -> tuple[str, ...]:
    ids = {rule.id for rule in milestones}
    by_id = {rule.id: rule for rule in milestones}
    for rule in milestones:
        for needed in rule.depends_on():
            if needed not in ids:
                raise ProtocolError(f"refers to unknown milestone {needed!r}", rule.id, "anchor")
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(milestone_id: str, path: list[str]) -> None:
        if state.get(milestone_id) == "done":
            return
        if state.get(milestone_id) == "visiting":
            cycle = " -> ".join([*path[path.index(milestone_id) :], milestone_id])
            raise ProtocolError(f"depends on itself: {cycle}", milestone_id, "anchor")
        state[milestone_id] = "visiting"
        for needed in sorted(by_id[milestone_id].depends_on()):
            visit(needed, [*path, milestone_id])
        state[milestone_id] = "done"
        order.append(milestone_id)

    for rule in milestones:
        visit(rule.id, [])
    return tuple(order)


def parse_protocol(data: Mapping[str, Any]) -> Protocol:
    for key in ("name", "version"):
        _require(data, key, str, None)
    for key in ("date", "review_date"):
        _require(data, key, date, None)
    if data["review_date"] <= data["date"]:
        raise ProtocolError("must be after the protocol's date", None, "review_date")
    defaults = _optional(data, "defaults", dict, {}, "defaults")
    tables = _require(data, "milestones", list, None)
    milestones = tuple(_milestone(table, defaults, n) for n, table in enumerate(tables))
    seen: set[str] = set()
    for rule in milestones:
        if rule.id in seen:
            raise ProtocolError("appears more than once", rule.id, "id")
        seen.add(rule.id)
    return Protocol(
        name=data["name"],
        version=data["version"],
        date=data["date"],
        review_date=data["review_date"],
        bank_holidays=_optional(data, "bank_holidays", str, "ENG", "bank_holidays"),
        milestones=milestones,
        evaluation_order=_evaluation_order(milestones),
    )


def load_protocol(path: Path | str) -> Protocol:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise ProtocolError(f"{path.name} is not valid TOML: {error}") from error
    return parse_protocol(data)


@cache
def named_protocol(name: str) -> Protocol:
    """A protocol shipped in protocols/, by file name without .toml (cached)."""
    return load_protocol(PROTOCOLS_DIR / f"{name}.toml")


def default_protocol() -> Protocol:
    return named_protocol("default")
