"""Loading a protocol file: the pre-birth procedure as data.

A protocol is checked whole when it is loaded. Any mistake (an unknown anchor,
unit or condition, a missing or repeated id, a cycle between milestones) raises
ProtocolError naming the milestone and the field, so a bad file never reaches a
running service.
"""

import datetime as dt
import os
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache, cached_property
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
        "planned_discharge",
        "discharge",
        "placement",
    }
)
UNITS = frozenset({"working_days", "calendar_days", "hours", "weeks"})
# Hours only make sense from a moment with a time of day.
HOUR_ANCHORS = frozenset({"discharge", "placement"})
DONE_FACTS = frozenset({"referral_date", "allocation_date"})
# The steps of the work recorded in the service (a visit, a checkpoint, an authorised
# assessment, a plan): `done_by = "record:<kind>"` makes the milestone done by the
# earliest such record of its owner's agency (docs/protocol.md). The services that keep
# each record say which of these it establishes (timeline.services.steps_sync).
STEP_KINDS = frozenset(
    {
        "visit_introductory",
        "visit_home",
        "visit_foster",
        "agencies_informed",
        "checkpoint_10_day",
        "multi_agency_meeting",
        "checkpoint_30_day",
        "document_genogram",
        "document_chronology",
        "family_network",
        "assessment_opened",
        "assessment_authorised",
        "icpc",
        "birth_plan",
        "legal_planning_meeting",
        "plo_letter",
        "initial_plo_meeting",
        "bla_panel",
        "discharge_planning_meeting",
        "visit_schedule",
        "cp_review_conference",
        "pc_midpoint_review",
    }
)
# A visit answers an event (the allocation, the discharge, the placement): one made
# before its milestone's anchor happened is some other visit, and does not do it.
VISIT_STEP_KINDS = frozenset({"visit_introductory", "visit_home", "visit_foster"})
COMBINES = frozenset({"single", "earliest", "first"})
# The agencies that own milestones: who records one done (accounts.AgencyCode's codes).
OWNERS = frozenset({"csc", "midwifery", "phn"})
# The `holidays` package's subdivisions of the UK: whose bank holidays are not working days.
REGIONS = frozenset({"ENG", "NIR", "SCT", "WLS"})
# A pregnancy is over by 42 weeks; 44 leaves room for a late-recorded outcome.
MAX_GESTATION_WEEKS = 44
# The end of tracking. Its rule counted from the birth is how long a baby born into the
# community stays in the tracking meeting's cohort (the Terms of Reference's 28 days):
# one number, in the protocol file, for the milestone and the cohort alike.
TRACKING_END = "tracking_end"
COMMUNITY_TRACKING_DAYS = 28  # for a protocol without that rule
_DAYS_IN = {"calendar_days": 1, "weeks": 7}

_TOP_LEVEL_KEYS = frozenset(
    {
        "name",
        "version",
        "date",
        "review_date",
        "bank_holidays",
        "team_routing",
        "tracking_meeting",
        "defaults",
        "milestones",
    }
)
_TEAM_ROUTING_KEYS = frozenset({"duty_and_assessment_from_weeks", "duty_and_assessment_from_days"})
_DEFAULTS_KEYS = frozenset({"warning", "warning_unit"})
_TRACKING_MEETING_KEYS = frozenset({"supervision_interval_weeks"})
# Terms of Reference 3.6: supervision on the baby older than this is flagged (weeks).
SUPERVISION_INTERVAL_WEEKS = 4
_DUE_KEYS = frozenset({"anchor", "weeks", "days", "offset", "unit", "when", "done_by", "fallback"})
_MILESTONE_KEYS = frozenset(
    {
        "id",
        "title",
        "owner",
        "applies_when",
        "combine",
        "due",
        "warning",
        "warning_unit",
        "source",
        "window_start",
        "window_start_unit",
        "interpretation",
    }
)
_ID = re.compile(r"[a-z][a-z0-9_]*")
_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]*")


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
    done_by: str | None = None  # a DONE_FACT, "milestone:<id>", "record:<kind>" or "due_passed"
    # Combining the earliest: used only when none of the other rules gives a date.
    fallback: bool = False

    @property
    def milestone_anchor(self) -> str | None:
        return (
            self.anchor.removeprefix("milestone:") if self.anchor.startswith("milestone:") else None
        )

    @property
    def done_by_step(self) -> str | None:
        """The kind of recorded step that does this milestone, if one does."""
        if self.done_by is not None and self.done_by.startswith("record:"):
            return self.done_by.removeprefix("record:")
        return None


@dataclass(frozen=True)
class MilestoneRule:
    id: str
    title: str
    owner: str  # the agency that does it and records it: one of OWNERS
    applies_when: str
    due_rules: tuple[DueRule, ...]
    combine: str
    warning: int
    warning_unit: str
    source: str
    window_start: int | None = None
    window_start_unit: str = "weeks"
    # Where the date is not the source's own words: the other basis, and the reading taken.
    interpretation: str = ""

    def references(self) -> Iterator[tuple[str, str]]:
        """(milestone id, field) for every other milestone this one refers to."""
        for n, rule in enumerate(self.due_rules):
            prefix = f"due[{n}]." if self.combine != "single" else ""
            if rule.milestone_anchor is not None:
                yield rule.milestone_anchor, prefix + "anchor"
            if rule.done_by and rule.done_by.startswith("milestone:"):
                yield rule.done_by.removeprefix("milestone:"), prefix + "done_by"

    def depends_on(self) -> set[str]:
        return {milestone_id for milestone_id, _ in self.references()}


@dataclass(frozen=True)
class TeamRouting:
    """Which CSC team takes a referral. Referred at this gestation (W+D) or later: the
    Duty and Assessment Team keeps it; earlier, a complex case goes to the Safeguarding
    Children's Team and any other stays with Duty and Assessment."""

    duty_and_assessment_from_weeks: int
    duty_and_assessment_from_days: int = 0


@dataclass(frozen=True)
class Protocol:
    name: str
    version: str
    date: dt.date
    review_date: dt.date
    bank_holidays: str
    team_routing: TeamRouting
    milestones: tuple[MilestoneRule, ...]
    # Milestone ids in an order where every milestone comes after those it depends on.
    evaluation_order: tuple[str, ...]
    # A practitioner's last supervision on the baby older than this is flagged at the
    # tracking meeting (Terms of Reference 3.6).
    supervision_interval_weeks: int = SUPERVISION_INTERVAL_WEEKS

    def milestone(self, milestone_id: str) -> MilestoneRule:
        for rule in self.milestones:
            if rule.id == milestone_id:
                return rule
        raise KeyError(milestone_id)

    @cached_property
    def milestone_ids(self) -> tuple[str, ...]:
        return tuple(rule.id for rule in self.milestones)

    @cached_property
    def rules_in_evaluation_order(self) -> tuple[MilestoneRule, ...]:
        by_id = {rule.id: rule for rule in self.milestones}
        return tuple(by_id[milestone_id] for milestone_id in self.evaluation_order)

    @cached_property
    def community_tracking_days(self) -> int:
        """Days after the birth a baby in the community is tracked (and in the cohort):
        the end of tracking's rule counted from the birth, else 28."""
        rule = _community_rule(self.milestones)
        if rule is None:
            return COMMUNITY_TRACKING_DAYS
        return rule[1].offset * _DAYS_IN[rule[1].unit]

    @cached_property
    def depended_on(self) -> frozenset[str]:
        """Milestones another milestone's date or completion is worked out from."""
        return frozenset(needed for rule in self.milestones for needed in rule.depends_on())


def _community_rule(milestones: tuple[MilestoneRule, ...]) -> tuple[str, DueRule] | None:
    """The end of tracking's first rule counted from the birth, and its field prefix."""
    for rule in milestones:
        if rule.id == TRACKING_END:
            for n, due_rule in enumerate(rule.due_rules):
                if due_rule.anchor == "birth":
                    return (f"due[{n}]." if rule.combine != "single" else ""), due_rule
    return None


def _check_community_rule(milestones: tuple[MilestoneRule, ...]) -> None:
    found = _community_rule(milestones)
    if found is not None and found[1].unit not in _DAYS_IN:
        raise ProtocolError(
            "counted from the birth, it is also how long a baby stays in the tracking"
            " meeting's cohort, in days: use calendar_days or weeks",
            TRACKING_END,
            found[0] + "unit",
        )


def _type_error(value: Any, kind: type) -> str | None:
    # bool is an int and a TOML date-time is a date, to Python: neither is what was meant.
    if kind is int and isinstance(value, bool):
        return "must be int, not bool"
    if kind is dt.date and isinstance(value, dt.datetime):
        return "must be a date like 2027-06-10, without a time"
    if not isinstance(value, kind):
        return f"must be {kind.__name__}, not {type(value).__name__}"
    return None


def _require(
    table: Mapping[str, Any], key: str, kind: type, milestone: str | None, field: str | None = None
) -> Any:
    field = field or key
    if key not in table:
        raise ProtocolError("is missing", milestone, field)
    value = table[key]
    problem = _type_error(value, kind)
    if problem:
        raise ProtocolError(problem, milestone, field)
    if kind is str and not value.strip():
        raise ProtocolError("must not be empty", milestone, field)
    return value


def _optional(
    table: Mapping[str, Any],
    key: str,
    kind: type,
    default: Any,
    milestone: str | None,
    field: str | None = None,
) -> Any:
    return _require(table, key, kind, milestone, field) if key in table else default


def _choice(value: str, allowed: frozenset[str], milestone: str | None, field: str) -> str:
    if value not in allowed:
        raise ProtocolError(
            f"unknown value {value!r} (expected one of {', '.join(sorted(allowed))})",
            milestone,
            field,
        )
    return value


def _no_unknown_keys(
    table: Mapping[str, Any], known: frozenset[str], milestone: str | None, prefix: str = ""
) -> None:
    extra = sorted(set(table) - known)
    if extra:
        raise ProtocolError("is not a known field", milestone, prefix + extra[0])


def _in_range(value: int, low: int, high: int | None, milestone: str | None, field: str) -> int:
    if value < low or (high is not None and value > high):
        expected = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise ProtocolError(f"must be {expected}, not {value}", milestone, field)
    return value


def _due_rule(table: Mapping[str, Any], milestone: str, prefix: str = "") -> DueRule:
    if prefix:
        _no_unknown_keys(table, _DUE_KEYS, milestone, prefix)

    def field(key: str) -> str:
        return prefix + key

    anchor = _require(table, "anchor", str, milestone, field("anchor"))
    if not (anchor in FACT_ANCHORS or anchor == "none" or anchor.startswith("milestone:")):
        raise ProtocolError(
            f"unknown anchor {anchor!r} (expected one of {', '.join(sorted(FACT_ANCHORS))},"
            " none, or milestone:<id>)",
            milestone,
            field("anchor"),
        )
    unit = _choice(
        _optional(table, "unit", str, "calendar_days", milestone, field("unit")),
        UNITS,
        milestone,
        field("unit"),
    )
    offset = _in_range(
        _optional(table, "offset", int, 0, milestone, field("offset")),
        0,
        None,
        milestone,
        field("offset"),
    )
    done_by = _optional(table, "done_by", str, None, milestone, field("done_by"))
    if done_by is not None and done_by.startswith("record:"):
        if done_by.removeprefix("record:") not in STEP_KINDS:
            raise ProtocolError(
                f"unknown recorded step {done_by!r} (expected record: and one of"
                f" {', '.join(sorted(STEP_KINDS))})",
                milestone,
                field("done_by"),
            )
    elif done_by is not None and not (
        done_by in DONE_FACTS or done_by == "due_passed" or done_by.startswith("milestone:")
    ):
        raise ProtocolError(
            f"unknown value {done_by!r} (expected one of {', '.join(sorted(DONE_FACTS))},"
            " due_passed, milestone:<id> or record:<kind>)",
            milestone,
            field("done_by"),
        )
    if anchor == "gestation":
        if "weeks" not in table:
            raise ProtocolError(
                "is missing (the gestation anchor needs weeks)", milestone, field("weeks")
            )
        weeks = _in_range(
            _require(table, "weeks", int, milestone, field("weeks")),
            0,
            MAX_GESTATION_WEEKS,
            milestone,
            field("weeks"),
        )
        days = _in_range(
            _optional(table, "days", int, 0, milestone, field("days")),
            0,
            6,
            milestone,
            field("days"),
        )
    else:
        for key in ("weeks", "days"):
            if key in table:
                raise ProtocolError(
                    "only the gestation anchor takes weeks and days; use offset and unit",
                    milestone,
                    field(key),
                )
        weeks = days = 0
    if unit == "hours" and anchor not in HOUR_ANCHORS:
        raise ProtocolError(
            "hours can only count from discharge or placement", milestone, field("unit")
        )
    if anchor == "none" and ("offset" in table or "unit" in table):
        raise ProtocolError(
            "anchor 'none' has no date to count from, so it takes no offset or unit",
            milestone,
            field("offset" if "offset" in table else "unit"),
        )
    fallback = _optional(table, "fallback", bool, False, milestone, field("fallback"))
    if fallback and not prefix:
        raise ProtocolError(
            "only a [[milestones.due]] rule of a milestone that combines the earliest can be"
            " a fallback",
            milestone,
            field("fallback"),
        )
    return DueRule(
        anchor=anchor,
        weeks=weeks,
        days=days,
        offset=offset,
        unit=unit,
        when=_choice(
            _optional(table, "when", str, "always", milestone, field("when")),
            CONDITIONS,
            milestone,
            field("when"),
        ),
        done_by=done_by,
        fallback=fallback,
    )


def _milestone(table: Any, defaults: Mapping[str, Any], index: int) -> MilestoneRule:
    if not isinstance(table, dict):
        raise ProtocolError("must be a table ([[milestones]])", f"#{index + 1}")
    milestone_id = _require(table, "id", str, f"#{index + 1}")
    if not _ID.fullmatch(milestone_id):
        raise ProtocolError(
            "must be lower-case letters, digits and underscores, starting with a letter",
            milestone_id,
            "id",
        )
    if "due" in table:
        for key in sorted(_DUE_KEYS & set(table)):
            raise ProtocolError(
                "give either due rules on the milestone or [[milestones.due]] tables, not both",
                milestone_id,
                key,
            )
        _no_unknown_keys(table, _MILESTONE_KEYS, milestone_id)
        entries = _require(table, "due", list, milestone_id)
        if not entries:
            raise ProtocolError("needs at least one rule", milestone_id, "due")
        for n, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise ProtocolError(
                    "must be a table ([[milestones.due]])", milestone_id, f"due[{n}]"
                )
        due_rules = tuple(
            _due_rule(entry, milestone_id, prefix=f"due[{n}].") for n, entry in enumerate(entries)
        )
        combine = _choice(
            _require(table, "combine", str, milestone_id),
            COMBINES - {"single"},
            milestone_id,
            "combine",
        )
        fallbacks = [n for n, rule in enumerate(due_rules) if rule.fallback]
        if fallbacks and combine != "earliest":
            raise ProtocolError(
                'a fallback is only for combine = "earliest"',
                milestone_id,
                f"due[{fallbacks[0]}].fallback",
            )
        if len(fallbacks) > 1:
            raise ProtocolError("only one rule can be the fallback", milestone_id,
                                f"due[{fallbacks[1]}].fallback")  # fmt: skip
        if fallbacks and len(due_rules) == 1:
            raise ProtocolError("a fallback needs other rules to fall back from", milestone_id,
                                f"due[{fallbacks[0]}].fallback")  # fmt: skip
    else:
        _no_unknown_keys(table, _MILESTONE_KEYS | _DUE_KEYS, milestone_id)
        if "combine" in table:
            raise ProtocolError(
                "only a milestone with [[milestones.due]] rules combines them",
                milestone_id,
                "combine",
            )
        due_rules = (_due_rule(table, milestone_id),)
        combine = "single"
    warning_unit = _choice(
        _optional(
            table, "warning_unit", str, defaults.get("warning_unit", "working_days"), milestone_id
        ),
        UNITS - {"hours"},
        milestone_id,
        "warning_unit",
    )
    warning = _in_range(
        _optional(table, "warning", int, defaults.get("warning", 10), milestone_id),
        0,
        None,
        milestone_id,
        "warning",
    )
    window_start = _optional(table, "window_start", int, None, milestone_id)
    window_start_unit = _choice(
        _optional(table, "window_start_unit", str, "weeks", milestone_id),
        UNITS - {"hours"},
        milestone_id,
        "window_start_unit",
    )
    if window_start is not None:
        if combine != "single":
            raise ProtocolError(
                "a window needs a single due rule to open from", milestone_id, "window_start"
            )
        due = due_rules[0]
        limit = due.offset if due.unit == window_start_unit else None
        _in_range(window_start, 0, limit, milestone_id, "window_start")
    elif "window_start_unit" in table:
        raise ProtocolError("is missing (window_start_unit needs it)", milestone_id, "window_start")
    return MilestoneRule(
        id=milestone_id,
        title=_require(table, "title", str, milestone_id),
        owner=_choice(_require(table, "owner", str, milestone_id), OWNERS, milestone_id, "owner"),
        applies_when=_choice(
            _require(table, "applies_when", str, milestone_id),
            CONDITIONS,
            milestone_id,
            "applies_when",
        ),
        due_rules=due_rules,
        combine=combine,
        warning=warning,
        warning_unit=warning_unit,
        source=_require(table, "source", str, milestone_id),
        window_start=window_start,
        window_start_unit=window_start_unit,
        interpretation=_optional(table, "interpretation", str, "", milestone_id),
    )


def _evaluation_order(milestones: tuple[MilestoneRule, ...]) -> tuple[str, ...]:
    ids = {rule.id for rule in milestones}
    by_id = {rule.id: rule for rule in milestones}
    for rule in milestones:
        for needed, field in rule.references():
            if needed not in ids:
                raise ProtocolError(f"refers to unknown milestone {needed!r}", rule.id, field)
    order: list[str] = []
    state: dict[str, str] = {}

    def visit(milestone_id: str, path: list[str]) -> None:
        if state.get(milestone_id) == "done":
            return
        if state.get(milestone_id) == "visiting":
            cycle = " -> ".join([*path[path.index(milestone_id) :], milestone_id])
            field = next(
                (f for needed, f in by_id[path[-1]].references() if needed == milestone_id),
                "anchor",
            )
            raise ProtocolError(f"depends on itself: {cycle}", path[-1], field)
        state[milestone_id] = "visiting"
        for needed in sorted(by_id[milestone_id].depends_on()):
            visit(needed, [*path, milestone_id])
        state[milestone_id] = "done"
        order.append(milestone_id)

    for rule in milestones:
        visit(rule.id, [])
    return tuple(order)


def _defaults(data: Mapping[str, Any]) -> Mapping[str, Any]:
    defaults: Mapping[str, Any] = _optional(data, "defaults", dict, {}, None)
    _no_unknown_keys(defaults, _DEFAULTS_KEYS, None, "defaults.")
    if "warning" in defaults:
        _in_range(
            _require(defaults, "warning", int, None, "defaults.warning"),
            0,
            None,
            None,
            "defaults.warning",
        )
    if "warning_unit" in defaults:
        _choice(
            _require(defaults, "warning_unit", str, None, "defaults.warning_unit"),
            UNITS - {"hours"},
            None,
            "defaults.warning_unit",
        )
    return defaults


def _team_routing(data: Mapping[str, Any]) -> TeamRouting:
    table = _require(data, "team_routing", dict, None)
    _no_unknown_keys(table, _TEAM_ROUTING_KEYS, None, "team_routing.")
    weeks = _in_range(
        _require(table, "duty_and_assessment_from_weeks", int, None,
                 "team_routing.duty_and_assessment_from_weeks"),
        0, MAX_GESTATION_WEEKS, None, "team_routing.duty_and_assessment_from_weeks",
    )  # fmt: skip
    days = _in_range(
        _optional(table, "duty_and_assessment_from_days", int, 0, None,
                  "team_routing.duty_and_assessment_from_days"),
        0, 6, None, "team_routing.duty_and_assessment_from_days",
    )  # fmt: skip
    return TeamRouting(weeks, days)


def _supervision_interval_weeks(data: Mapping[str, Any]) -> int:
    table: Mapping[str, Any] = _optional(data, "tracking_meeting", dict, {}, None)
    _no_unknown_keys(table, _TRACKING_MEETING_KEYS, None, "tracking_meeting.")
    field = "tracking_meeting.supervision_interval_weeks"
    weeks = _optional(
        table, "supervision_interval_weeks", int, SUPERVISION_INTERVAL_WEEKS, None, field
    )
    return _in_range(weeks, 1, 52, None, field)


def parse_protocol(data: Mapping[str, Any]) -> Protocol:
    _no_unknown_keys(data, _TOP_LEVEL_KEYS, None)
    name = _require(data, "name", str, None)
    version = _require(data, "version", str, None)
    if not _VERSION.fullmatch(version):
        raise ProtocolError(
            f"{version!r} is not a version (letters, digits, '.', '-' or '+', like 1.2.0)",
            None,
            "version",
        )
    protocol_date = _require(data, "date", dt.date, None)
    review_date = _require(data, "review_date", dt.date, None)
    if review_date <= protocol_date:
        raise ProtocolError("must be after the protocol's date", None, "review_date")
    bank_holidays = _choice(
        _optional(data, "bank_holidays", str, "ENG", None), REGIONS, None, "bank_holidays"
    )
    team_routing = _team_routing(data)
    supervision_interval_weeks = _supervision_interval_weeks(data)
    defaults = _defaults(data)
    tables = _require(data, "milestones", list, None)
    if not tables:
        raise ProtocolError("needs at least one [[milestones]] table", None, "milestones")
    milestones = tuple(_milestone(table, defaults, n) for n, table in enumerate(tables))
    seen: set[str] = set()
    for rule in milestones:
        if rule.id in seen:
            raise ProtocolError("appears more than once", rule.id, "id")
        seen.add(rule.id)
    _check_community_rule(milestones)
    return Protocol(
        name=name,
        version=version,
        date=protocol_date,
        review_date=review_date,
        bank_holidays=bank_holidays,
        team_routing=team_routing,
        milestones=milestones,
        evaluation_order=_evaluation_order(milestones),
        supervision_interval_weeks=supervision_interval_weeks,
    )


def load_protocol(path: Path | str) -> Protocol:
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ProtocolError(f"cannot read {path}: {error.strerror}") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ProtocolError(f"{path.name} is not valid TOML: {error}") from error
    return parse_protocol(data)


# Protocol files loaded by path: (modification time, size) and what was loaded.
_FILES: dict[str, tuple[tuple[int, int], Protocol]] = {}


def protocol_file(path: Path | str) -> Protocol:
    """A protocol file, loaded once and again only when it changes: a deployment that
    points at a path reads it once, not per request, and picks up an edit without a
    restart. Changed means a new modification time or size (one stat per call)."""
    key = str(path)
    try:
        status = os.stat(key)
    except OSError:
        return load_protocol(path)  # raises ProtocolError, naming the file
    stamp = (status.st_mtime_ns, status.st_size)
    cached = _FILES.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    protocol = load_protocol(path)
    _FILES[key] = (stamp, protocol)
    return protocol


@cache
def named_protocol(name: str) -> Protocol:
    """A protocol shipped in protocols/, by file name without .toml (cached)."""
    return load_protocol(PROTOCOLS_DIR / f"{name}.toml")


def default_protocol() -> Protocol:
    return named_protocol("default")
