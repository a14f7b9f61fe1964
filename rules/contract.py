"""The timeline contract: facts as JSON in, the timeline as JSON out.

The keys are part of the service's interface (see SPEC.md, "The timeline
contract"); other tools depend on them. Bad input raises FactsError naming the
field, so a caller can tell a person exactly what to fix.
"""

from datetime import date, datetime
from typing import Any

from rules.cohort import CohortDecision
from rules.csc import LEVELS
from rules.dates import LONDON, IsoDateError, parse_iso_date, parse_iso_datetime
from rules.facts import fact_problems
from rules.protocol import OWNERS, STEP_KINDS, Protocol, default_protocol
from rules.timeline import (
    OUTCOMES,
    PLACEMENTS,
    CaseFacts,
    NotApplicable,
    RecordedStep,
    Timeline,
)

DATE_KEYS = ("edd", "today", "referral_date", "allocation_date", "strategy_discussion_date",
             "birth_date", "planned_discharge_date", "placement_date")  # fmt: skip
BOOL_KEYS = ("complex", "significant_harm", "pre_proceedings", "bla_panel", "cp_plan")
INPUT_KEYS = frozenset(
    [*DATE_KEYS, *BOOL_KEYS, "pregnancy_outcome", "discharge", "placement", "events", "steps"]
)
STEP_KEYS = frozenset({"kind", "agency", "date"})

# The cohort command's facts: the timeline contract's, and these (both required).
COHORT_KEYS = frozenset({"level_of_csc_input", "meeting_date"})

MAX_NAME_SHOWN = 60


class FactsError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def shown_name(key: str) -> str:
    """A key from the input as it may be printed: control and other unprintable characters
    escaped (\\u001b), and cut short, so an unknown key cannot write to the terminal."""
    shown = "".join(c if c.isprintable() else _escaped(c) for c in key[:MAX_NAME_SHOWN])
    return shown + ("…" if len(key) > MAX_NAME_SHOWN else "")


def _escaped(character: str) -> str:
    code = ord(character)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _date(value: Any, field: str) -> date:
    try:
        return parse_iso_date(value)
    except IsoDateError as error:
        raise FactsError(field, str(error)) from None


def _datetime(value: Any, field: str) -> datetime:
    try:
        moment = parse_iso_datetime(value)
    except IsoDateError as error:
        raise FactsError(field, str(error)) from None
    # The engine counts hours on London wall-clock time, as the service stores them.
    return moment.astimezone(LONDON).replace(tzinfo=None) if moment.tzinfo else moment


def _date_of(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise FactsError(field, "must be true or false")
    return value


def _choice(value: Any, field: str, allowed: frozenset[str]) -> str:
    # The type first: a list or an object cannot be looked up in a set.
    if not isinstance(value, str) or value not in allowed:
        raise FactsError(field, f"must be one of {', '.join(sorted(allowed))}")
    return value


def _events(value: Any, milestone_ids: frozenset[str]) -> dict[str, date | NotApplicable]:
    if not isinstance(value, dict):
        raise FactsError("events", "must be an object of milestone id to date")
    events: dict[str, date | NotApplicable] = {}
    for milestone_id, done in value.items():
        field = f"events.{shown_name(milestone_id)}"
        if milestone_id not in milestone_ids:
            raise FactsError(field, "is not a milestone of this protocol")
        if isinstance(done, dict):
            if (
                set(done) != {"not_applicable"}
                or not isinstance(done["not_applicable"], str)
                or (not done["not_applicable"].strip())
            ):
                raise FactsError(field, 'must be a date or {"not_applicable": "reason"}')
            events[milestone_id] = NotApplicable(done["not_applicable"].strip())
        else:
            events[milestone_id] = _date(done, field)
    return events


def _steps(value: Any) -> tuple[RecordedStep, ...]:
    """The optional `steps`: [{"kind": "visit_home", "agency": "csc", "date": "…"}]."""
    if not isinstance(value, list):
        raise FactsError("steps", "must be a list of recorded steps")
    steps = []
    for n, step in enumerate(value):
        field = f"steps[{n}]"
        if not isinstance(step, dict):
            raise FactsError(field, "must be an object with kind, agency and date")
        unknown = sorted(set(step) - STEP_KEYS)
        if unknown:
            raise FactsError(f"{field}.{shown_name(unknown[0])}", "is not a known key")
        for key in sorted(STEP_KEYS - set(step)):
            raise FactsError(f"{field}.{key}", "is required")
        steps.append(
            RecordedStep(
                kind=_choice(step["kind"], f"{field}.kind", STEP_KINDS),
                agency=_choice(step["agency"], f"{field}.agency", OWNERS),
                on=_date(step["date"], f"{field}.date"),
            )
        )
    return tuple(steps)


def facts_from_json(
    data: Any, protocol: Protocol | None = None, *, default_today: date | datetime
) -> CaseFacts:
    """CaseFacts from the contract's JSON; `default_today` when it gives no `today`.

    `today` is an ISO date, or a date and time when hours matter (then `now` is set,
    on London wall-clock time, and dues counted in hours turn overdue at the hour).
    `default_today` may be either, as naive London wall-clock time.

    Event ids are checked against `protocol` (the default protocol if none is given).
    """
    if protocol is None:
        protocol = default_protocol()
    if not isinstance(data, dict):
        raise FactsError("facts", "must be a JSON object")
    unknown = sorted(set(data) - INPUT_KEYS)
    if unknown:
        raise FactsError(shown_name(unknown[0]), "is not a known fact")
    if data.get("edd") is None:
        raise FactsError("edd", "is required")
    values: dict[str, Any] = {}
    for key in DATE_KEYS:
        if key == "today" and isinstance(data.get(key), str) and len(data[key]) > 10:
            # A date and time: dues counted in hours turn overdue at the hour.
            values["now"] = _datetime(data[key], key)
            values["today"] = values["now"].date()
        elif data.get(key) is not None:
            values[key] = _date(data[key], key)
    for key in BOOL_KEYS:
        if data.get(key) is not None:
            values[key] = _bool(data[key], key)
    if data.get("pregnancy_outcome") is not None:
        values["pregnancy_outcome"] = _choice(data["pregnancy_outcome"], "pregnancy_outcome",
                                              OUTCOMES)  # fmt: skip
    if data.get("placement") is not None:
        values["placement"] = _choice(data["placement"], "placement", PLACEMENTS)
    if data.get("discharge") is not None:
        values["discharge"] = _datetime(data["discharge"], "discharge")
    if data.get("events") is not None:
        values["events"] = _events(data["events"], frozenset(protocol.milestone_ids))
    if data.get("steps") is not None:
        values["steps"] = _steps(data["steps"])
    if "today" not in values:
        if isinstance(default_today, datetime):
            values["now"] = default_today
        values["today"] = _date_of(default_today)
    facts = CaseFacts(**values)
    _check_possible(facts)
    return facts


def cohort_from_json(data: Any, protocol: Protocol | None = None) -> tuple[CaseFacts, str, date]:
    """The facts, the level of CSC input and the meeting's day from the cohort command's
    JSON: the timeline contract's keys, `level_of_csc_input` and `meeting_date`.

    `today`, the day the facts are as of (and checked against), is the meeting's day
    unless given: give it to ask about a meeting before or after the day of the facts.
    """
    if not isinstance(data, dict):
        raise FactsError("facts", "must be a JSON object")
    unknown = sorted(set(data) - INPUT_KEYS - COHORT_KEYS)
    if unknown:
        raise FactsError(shown_name(unknown[0]), "is not a known fact")
    for key in sorted(COHORT_KEYS, reverse=True):
        if data.get(key) is None:
            raise FactsError(key, "is required")
    meeting_date = _date(data["meeting_date"], "meeting_date")
    level = _choice(data["level_of_csc_input"], "level_of_csc_input", frozenset(LEVELS))
    facts = facts_from_json(
        {key: value for key, value in data.items() if key not in COHORT_KEYS},
        protocol,
        default_today=meeting_date,
    )
    return facts, level, meeting_date


def cohort_to_json(decision: CohortDecision) -> dict[str, Any]:
    return {"in_cohort": decision.in_cohort, "reason": decision.reason}


def _check_possible(facts: CaseFacts) -> None:
    problems = fact_problems(facts)
    if problems:
        raise FactsError(problems[0].field, problems[0].message)


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def timeline_to_json(timeline: Timeline) -> dict[str, Any]:
    return {
        "protocol": {"name": timeline.protocol_name, "version": timeline.protocol_version},
        "gestation_today": timeline.gestation_today,
        "team": timeline.team,
        "late_referral_days": timeline.late_referral_days,
        "milestones": [
            {
                "id": result.id,
                "title": result.title,
                "due": _iso(result.due),
                "status": result.status,
                "done": _iso(result.done),
                "days_overdue": result.days_overdue,
            }
            for result in timeline.milestones
        ],
    }


def facts_to_json(facts: CaseFacts) -> dict[str, Any]:
    """The inverse of facts_from_json, for a stored case's facts."""
    today = facts.now if facts.now is not None else facts.today
    data: dict[str, Any] = {"edd": facts.edd.isoformat(), "today": today.isoformat()}
    for key in DATE_KEYS[2:]:
        if getattr(facts, key) is not None:
            data[key] = getattr(facts, key).isoformat()
    for key in BOOL_KEYS:
        if getattr(facts, key):
            data[key] = True
    for key in ("pregnancy_outcome", "placement"):
        if getattr(facts, key) is not None:
            data[key] = getattr(facts, key)
    if facts.discharge is not None:
        data["discharge"] = facts.discharge.isoformat()
    if facts.events:
        data["events"] = {
            key: ({"not_applicable": value.reason} if isinstance(value, NotApplicable)
                  else value.isoformat())
            for key, value in facts.events.items()
        }  # fmt: skip
    if facts.steps:
        data["steps"] = [
            {"kind": step.kind, "agency": step.agency, "date": step.on.isoformat()}
            for step in facts.steps
        ]
    return data
