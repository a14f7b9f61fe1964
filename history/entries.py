"""What each audit row of a case says in its history: its category, the day it
happened, and a sentence a person reads.

The case history is read from the audit log (audit.AuditEvent), which every change in
the service writes in the same transaction as the change. Rows written since issue 9
carry their own sentence (`extra_data["summary"]`, with `"on"`, `"record"` and
`"changes"`); older kinds of row are described here from what their services
(cases/services.py, timeline/services.py, meetings/services.py) put in `extra_data`.

The one home of "which kinds of audit row are history, and in which category":
EVENT_CATEGORIES, with WORK_* rows placed by the app of their `record` and the
"referral, decisions and birth" facts by the fields they changed. Reads (READS) are not
history: they stay on the case's audit page, for managers.
"""

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache, cached_property
from typing import Any

from django.utils import timezone
from django.utils.text import capfirst

from accounts.models import AgencyCode
from audit.models import AuditEvent, AuditEventType
from audit.services import ACTOR_ROLE
from cases.models import (
    Case,
    CscInput,
    IdentificationSource,
    Placement,
    PregnancyOutcome,
    Relationship,
)
from meetings.models import Action, ActionStatus, Meeting, MeetingKind, Theme
from rules.history import (
    NOTHING,
    describe_changes,
    field_label,
    listed,
    one_line,
    value_text,
)
from timeline.services import active_protocol

E = AuditEventType

# Categories, in the order the filter lists them.
REFERRAL = "referral"
ASSESSMENT = "assessment"
DECISIONS = "decisions"
VISITS = "visits"
DOCUMENTS = "documents"
BIRTH = "birth"
MEETINGS = "meetings"
CASE = "case"
CATEGORIES = {
    REFERRAL: "Referral and allocation",
    ASSESSMENT: "Assessment and checkpoints",
    DECISIONS: "Decisions and plans",
    VISITS: "Visits and notes",
    DOCUMENTS: "Documents",
    BIRTH: "Birth and after",
    MEETINGS: "Meetings",
    CASE: "Case details and milestones",
}

WORK_EVENTS = frozenset({E.WORK_RECORDED, E.WORK_CHANGED, E.WORK_WITHDRAWN})
# A WORK_* row's category comes from the app that keeps its record ("plans.birthplan").
RECORD_APP_CATEGORIES = {
    "referrals": REFERRAL,
    "assessments": ASSESSMENT,
    "checkpoints": ASSESSMENT,
    "plans": DECISIONS,
    "postnatal": BIRTH,
    "visits": VISITS,
    "documents": DOCUMENTS,
}
# The "referral, decisions and birth" facts (cases.services.FACT_FIELDS) by category.
FACT_CATEGORIES = {
    "referral_date": REFERRAL,
    "complex": REFERRAL,
    "allocation_date": REFERRAL,
    "significant_harm": DECISIONS,
    "strategy_discussion_date": DECISIONS,
    "bla_panel": DECISIONS,
    "csc_input": DECISIONS,
    "planned_discharge_date": BIRTH,
    "discharge": BIRTH,
    "placement": BIRTH,
    "placement_date": BIRTH,
}
# Every kind of audit row that is history, and its category. WORK_* and FACTS_CHANGED
# rows are placed by what they hold (above); this is where they go otherwise.
EVENT_CATEGORIES = {
    E.CASE_CREATED: CASE,
    E.CASE_CHANGED: CASE,
    E.EDD_REVISED: CASE,
    E.PARTNER_ADDED: CASE,
    E.FACTS_CHANGED: CASE,
    E.MILESTONE_DONE: CASE,
    E.MILESTONE_NOT_APPLICABLE: CASE,
    E.MILESTONE_UNDONE: CASE,
    E.OUTCOME_RECORDED: BIRTH,
    E.BABY_DEATH_RECORDED: BIRTH,
    E.BABY_DEATH_WITHDRAWN: BIRTH,
    E.MEETING_SCHEDULED: MEETINGS,
    E.MEETING_CHANGED: MEETINGS,
    E.INVITATIONS_SENT: MEETINGS,
    E.COHORT_CHANGED: MEETINGS,
    E.DISCUSSION_RECORDED: MEETINGS,
    E.ACTION_CHANGED: MEETINGS,
    E.SUPERVISION_RECORDED: MEETINGS,
    E.MEETING_FINALISED: MEETINGS,
    E.ADDENDUM_ADDED: MEETINGS,
    E.REFERRAL_RECORDED: REFERRAL,
    E.CASE_ALLOCATED: REFERRAL,
    E.WORK_RECORDED: DECISIONS,
    E.WORK_CHANGED: DECISIONS,
    E.WORK_WITHDRAWN: DECISIONS,
    E.ASSESSMENT_SUBMITTED: ASSESSMENT,
    E.ASSESSMENT_DECIDED: ASSESSMENT,
    E.VISIT_RECORDED: VISITS,
    E.VISIT_WITHDRAWN: VISITS,
    E.NOTE_ADDED: VISITS,
    E.NOTE_WITHDRAWN: VISITS,
    E.DOCUMENT_UPLOADED: DOCUMENTS,
    E.DOCUMENT_WITHDRAWN: DOCUMENTS,
}
# Reading, exporting, signing in, a refused upload or page, and the oversight of a case
# (who may see it, its anonymising under the retention rules): on the audit page, never
# in the history, which the case's own workers read.
READS = frozenset(
    {
        E.CASE_VIEWED,
        E.TIMELINE_VIEWED,
        E.AUDIT_VIEWED,
        E.CASE_LIST_VIEWED,
        E.POSSIBLE_DUPLICATE_ELSEWHERE,
        E.MEETING_VIEWED,
        E.MEETING_EXPORTED,
        E.DOCUMENT_DOWNLOADED,
        E.DOCUMENT_VIRUS_FOUND,
        E.HISTORY_VIEWED,
        E.HISTORY_EXPORTED,
        E.SIGNED_IN,
        E.SIGN_IN_FAILED,
        E.SIGNED_OUT,
        E.PASSWORD_CHANGED,
        E.TWO_FACTOR_ENROLLED,
        E.TWO_FACTOR_VERIFIED,
        E.TWO_FACTOR_FAILED,
        E.RECOVERY_CODE_USED,
        E.RECOVERY_CODES_REPLACED,
        E.TWO_FACTOR_RESET,
        E.ADMIN_CHANGED,
        E.ADMIN_PASSWORD_SET,
        E.SESSION_ENDED,
        E.ACCESS_REFUSED,
        E.CASE_RESTRICTED,
        E.RESTRICTION_CHANGED,
        E.CASE_ANONYMISED,
        E.BACKUP_MADE,
        E.BACKUP_RESTORED,
        E.TIMELINES_RECOMPUTED,
        # The data protection officer's reads (dataprotection/).
        E.DPO_SEARCHED,
        E.RESTRICTIONS_VIEWED,
        E.ACCESS_LOG_VIEWED,
        E.ACCESS_LOG_EXPORTED,
        E.SUBJECT_ACCESS_EXPORTED,
    }
)
HISTORY_EVENTS = frozenset(EVENT_CATEGORIES)
MEETING_EVENTS = frozenset(e for e, category in EVENT_CATEGORIES.items() if category == MEETINGS)


def event_types_for(kinds: Iterable[str] = ()) -> frozenset[str]:
    """The kinds of audit row that may be in these categories (all history when none)."""
    kinds = set(kinds)
    if not kinds:
        return HISTORY_EVENTS
    types = {event for event, category in EVENT_CATEGORIES.items() if category in kinds}
    if kinds & set(RECORD_APP_CATEGORIES.values()):
        types |= WORK_EVENTS
    if kinds & set(FACT_CATEGORIES.values()):
        types.add(E.FACTS_CHANGED)
    return frozenset(types)


def _changes(extra: Mapping) -> Mapping:
    """The row's field changes in a fixed order (PostgreSQL's JSON keeps no key order):
    the case's fields in the model's order, then the others by name."""
    changes = extra.get("changes")
    if not isinstance(changes, Mapping):
        return {}
    order = _field_order()
    return dict(
        sorted(changes.items(), key=lambda item: (order.get(str(item[0]), len(order)),
                                                  str(item[0])))
    )  # fmt: skip


@cache
def _field_order() -> dict[str, int]:
    return {name: position for position, name in enumerate(field_labels())}


def categories_of(event_type: str, extra: Mapping) -> tuple[str, ...]:
    """The categories an entry belongs to, its main one first."""
    if event_type in WORK_EVENTS:
        app = str(extra.get("record") or "").split(".", 1)[0]
        return (RECORD_APP_CATEGORIES.get(app, EVENT_CATEGORIES[event_type]),)
    if event_type == E.FACTS_CHANGED:
        found = []
        for name in _changes(extra):
            category = FACT_CATEGORIES.get(name)
            if category and category not in found:
                found.append(category)
        return tuple(found) or (CASE,)
    return (EVENT_CATEGORIES.get(event_type, CASE),)


# The day it happened.


def _a_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _after(extra: Mapping, name: str) -> Any:
    change = _changes(extra).get(name)
    return change.get("after") if isinstance(change, Mapping) else None


# Facts that are the day something happened (not a plan, like a planned discharge).
HAPPENED_FACTS = ("referral_date", "allocation_date", "strategy_discussion_date", "discharge",
                  "placement_date")  # fmt: skip


def happened_on(event_type: str, extra: Mapping, recorded_at: datetime) -> date:
    """The day it happened: the row's own `on`; for older kinds of row the day they
    name (the day a milestone was done, the meeting's, the birth's); else the day it
    was recorded."""
    day = _a_date(extra.get("on"))
    if day is None:
        day = _older_row_day(event_type, extra)
    return day or timezone.localdate(recorded_at)


def _older_row_day(event_type: str, extra: Mapping) -> date | None:
    if event_type == E.CASE_CREATED:
        return _a_date(_after(extra, "identified_date"))
    if event_type == E.OUTCOME_RECORDED:
        return _a_date(_after(extra, "outcome_date"))
    if event_type == E.BABY_DEATH_RECORDED:
        days = [
            _a_date(_after(extra, name)) for name in _changes(extra) if name.endswith("died_on")
        ]
        return min((day for day in days if day), default=None)
    if event_type == E.MILESTONE_DONE:
        return _a_date(_after(extra, "done_date"))
    if event_type == E.FACTS_CHANGED:
        days = [_a_date(_after(extra, name)) for name in HAPPENED_FACTS]
        return min((day for day in days if day), default=None)
    if event_type in (E.DISCUSSION_RECORDED,) or (
        event_type == E.ACTION_CHANGED and "added" in extra
    ):
        return _a_date(extra.get("meeting_date"))
    if event_type == E.SUPERVISION_RECORDED:
        return _a_date(extra.get("supervised_on"))
    return None


# Words for fields and values.


@cache
def field_labels() -> dict[str, str]:
    """The label of every field a change names: the case's own verbose names, the
    mother's and partners' details, and what other services record."""
    labels = {
        field.name: capfirst(str(field.verbose_name))
        for field in Case._meta.get_fields()
        if hasattr(field, "verbose_name")
    }
    labels.update(
        {
            "edd": "Expected due date",
            "csc_input": "Level of CSC input",
            "level_of_csc_input": "Level of CSC input",
            "named_social_worker": "Named social worker",
            "named_midwife": "Named midwife",
            "named_health_visitor": "Named health visitor",
            "identified_date": "Date the pregnancy was identified",
            "identified_source": "Where the pregnancy was identified",
            "done_date": "Date done",
            "babies": "Babies",
            "due_date": "Due date",
            "current_concerns": "Current concerns",
            "key_points": "Key points",
            "other_themes": "Other themes",
            "threshold_notes": "Threshold notes",
        }
    )
    for who, title in (("mother", "Mother"), ("partner", "Father or partner")):
        for name, label in (
            ("given_name", "given name"),
            ("family_name", "family name"),
            ("date_of_birth", "date of birth"),
            ("nhs_number", "NHS number"),
            ("address", "address"),
            ("postcode", "postcode"),
            ("relationship", "relationship"),
        ):
            labels[f"{who}.{name}"] = f"{title}'s {label}"
    return labels


@cache
def value_choices() -> dict[str, dict[str, str]]:
    """The label of a stored choice, by the field that holds it."""
    levels = dict(CscInput.choices)
    return {
        "csc_input": levels,
        "level_of_csc_input": levels,
        "identified_source": dict(IdentificationSource.choices),
        "placement": dict(Placement.choices),
        "outcome": dict(PregnancyOutcome.choices),
        "partner.relationship": dict(Relationship.choices),
        "status": dict(ActionStatus.choices),
    }


def _text(value: Any, field: str = "") -> str:
    return value_text(value, value_choices().get(field))


def _lower_first(text: str) -> str:
    """ "Level of CSC input" -> "level of CSC input"; "NHS number" stays."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


def _label(name: str) -> str:
    return field_label(name, field_labels())


class Lookups:
    """What some descriptions need from elsewhere, for the entries shown: milestone
    titles (the protocol, in memory); meeting kinds, action descriptions and theme
    names, each read in one query the first time an entry asks (never per entry).
    `details=False` (the case page, which shows no details) never reads the themes."""

    def __init__(self, events: Iterable[AuditEvent], *, details: bool = True):
        events = list(events)
        self._action_ids = [
            value
            for value in {str(e.extra_data.get("action")) for e in events
                          if e.event_type == E.ACTION_CHANGED}
            if _is_uuid(value)
        ]  # fmt: skip
        self._meeting_ids = [
            value
            for value in {str(e.extra_data.get("meeting")) for e in events
                          if e.event_type in MEETING_EVENTS}
            if _is_uuid(value)
        ]  # fmt: skip
        self._details = details

    @cached_property
    def actions(self) -> dict[str, str]:
        if not self._action_ids:
            return {}
        rows = Action.objects.filter(pk__in=self._action_ids).values_list("pk", "description")
        return {str(pk): description for pk, description in rows}

    @cached_property
    def meeting_kinds(self) -> dict[str, str]:
        if not self._meeting_ids:
            return {}
        rows = Meeting.objects.filter(pk__in=self._meeting_ids).values_list("pk", "kind")
        return {str(pk): kind for pk, kind in rows}

    @cached_property
    def _themes(self) -> dict[str, str]:
        if not self._details:
            return {}
        return {str(pk): name for pk, name in Theme.objects.values_list("pk", "name")}

    def milestone_title(self, milestone_id: Any) -> str:
        protocol = active_protocol()
        if isinstance(milestone_id, str) and milestone_id in protocol.milestone_ids:
            return protocol.milestone(milestone_id).title
        return capfirst(one_line(str(milestone_id or "a milestone")).replace("_", " "))

    def theme_names(self, value: Any) -> str:
        """Themes are audited as the text of a list of ids ("[1, 3]")."""
        ids = [part.strip(" []'\"") for part in str(value or "").split(",")]
        names = [self._themes.get(pk, f"theme {pk}") for pk in ids if pk]
        return ", ".join(names) or NOTHING


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# Descriptions.


@dataclass(frozen=True)
class Described:
    summary: str
    details: tuple[str, ...] = ()


def _change_lines(extra: Mapping, skip: Iterable[str] = ()) -> list[str]:
    changes = {k: v for k, v in _changes(extra).items() if k not in set(skip)}
    return describe_changes(changes, labels=field_labels(), choices=value_choices())


def _extra_lines(extra: Mapping) -> list[str]:
    lines = []
    for key, label in (("reason", "Reason"), ("note", "Note")):
        if extra.get(key):
            lines.append(f"{label}: {one_line(str(extra[key]))}")
    return lines


def _case_created(extra: Mapping, lookups: Lookups) -> Described:
    mother = " ".join(
        value for value in (
            one_line(str(_after(extra, "mother.given_name") or "")),
            one_line(str(_after(extra, "mother.family_name") or "")),
        ) if value
    )  # fmt: skip
    parts = ["Registered the case"]
    if mother:
        parts.append(f"of {mother}'s pregnancy")
    identified = _after(extra, "identified_date")
    source = _after(extra, "identified_source")
    summary = " ".join(parts)
    if identified:
        summary += f", identified on {_text(identified)}"
        if source:
            summary += f" ({_lower_first(_text(source, 'identified_source'))})"
    if _after(extra, "edd"):
        summary += f"; expected due date {_text(_after(extra, 'edd'))}"
    details = _change_lines(extra)
    if extra.get("possible_duplicates"):
        details.append(
            "Registered although it may match another open case. Reason: "
            + one_line(str(extra.get("reason") or ""))
        )
    return Described(summary, tuple(details))


def _case_changed(extra: Mapping, lookups: Lookups) -> Described:
    names = [_lower_first(_label(name)) for name in _changes(extra)]
    summary = f"Changed the {listed(names)}" if names else "Changed the case's details"
    return Described(summary, tuple(_change_lines(extra)))


def _edd_revised(extra: Mapping, lookups: Lookups) -> Described:
    change = _changes(extra).get("edd")
    after = change.get("after") if isinstance(change, Mapping) else None
    before = change.get("before") if isinstance(change, Mapping) else None
    summary = f"Expected due date revised to {_text(after)}"
    if before:
        summary += f" (was {_text(before)})"
    if extra.get("reason"):
        summary += f": {one_line(str(extra['reason']))}"
    return Described(summary)


def _partner_added(extra: Mapping, lookups: Lookups) -> Described:
    name = " ".join(
        one_line(str(_after(extra, f"partner.{part}") or "")) for part in ("given_name",
                                                                           "family_name")
    ).strip()  # fmt: skip
    relationship = _after(extra, "partner.relationship")
    summary = f"Added {name or 'a father or partner'}"
    if relationship:
        summary += f" as {_lower_first(_text(relationship, 'partner.relationship'))}"
    return Described(summary, tuple(_change_lines(extra)))


def _outcome_recorded(extra: Mapping, lookups: Lookups) -> Described:
    outcome = _after(extra, "outcome")
    summary = f"Pregnancy outcome recorded: {_lower_first(_text(outcome, 'outcome'))}"
    if _after(extra, "outcome_date"):
        summary += f" on {_text(_after(extra, 'outcome_date'))}"
    babies = _after(extra, "babies")
    if isinstance(babies, int) and babies > 0:
        summary += f" ({babies} {'baby' if babies == 1 else 'babies'})"
    return Described(summary, tuple(_change_lines(extra, skip=("babies",))))


def _baby_number(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) == 3 and parts[1].isdigit() else ""


def _baby_death(extra: Mapping, lookups: Lookups, *, withdrawn: bool) -> Described:
    deaths = [name for name in _changes(extra) if name.endswith("died_on")]
    which = listed([f"baby {_baby_number(name)}".strip() for name in deaths]) or "a baby"
    if withdrawn:
        summary = f"Withdrew the record of the death of {which}, recorded in error"
        if extra.get("reason"):
            summary += f": {one_line(str(extra['reason']))}"
        return Described(summary, tuple(_change_lines(extra)))
    day = _a_date(_after(extra, deaths[0])) if deaths else None
    summary = f"Recorded the death of {which}" + (f" on {_text(day.isoformat())}" if day else "")
    if _after(extra, "outcome"):
        summary += f"; the pregnancy outcome is now {_lower_first(_text(_after(extra, 'outcome'), 'outcome'))}"  # noqa: E501
    return Described(summary, tuple(_change_lines(extra)))


# A phrase for each fact set, or cleared.
FACT_PHRASES: dict[str, Callable[[Any], str]] = {
    "referral_date": lambda v: f"referred to children's social care on {_text(v)}",
    "allocation_date": lambda v: f"allocated on {_text(v)}",
    "strategy_discussion_date": lambda v: f"strategy discussion on {_text(v)}",
    "complex": lambda v: "complex case" if v else "not a complex case",
    "significant_harm": lambda v: (
        "risk of significant harm identified" if v else "no risk of significant harm recorded"
    ),
    "bla_panel": lambda v: (
        "Becoming Looked After panel needed" if v else "Becoming Looked After panel not needed"
    ),
    "planned_discharge_date": lambda v: f"discharge from hospital planned for {_text(v)}",
    "discharge": lambda v: f"discharged from hospital on {_text(v)}",
    "placement": lambda v: f"placement: {_lower_first(_text(v, 'placement'))}",
    "placement_date": lambda v: f"placed on {_text(v)}",
    "csc_input": lambda v: f"level of CSC input: {_lower_first(_text(v, 'csc_input'))}",
}


def _facts_changed(extra: Mapping, lookups: Lookups) -> Described:
    phrases = []
    for name, change in _changes(extra).items():
        after = change.get("after") if isinstance(change, Mapping) else change
        phrase = FACT_PHRASES.get(name)
        if isinstance(after, bool) or (after not in (None, "") and phrase is not None):
            phrases.append(phrase(after) if phrase else f"{_lower_first(_label(name))}: "
                           f"{_text(after, name)}")  # fmt: skip
        else:
            phrases.append(f"{_lower_first(_label(name))} removed")
    summary = (
        capfirst("; ".join(phrases)) if phrases else "Changed the referral, decisions or birth"
    )
    return Described(summary, tuple(_change_lines(extra)))


def _milestone_done(extra: Mapping, lookups: Lookups) -> Described:
    title = lookups.milestone_title(extra.get("milestone"))
    day = _after(extra, "done_date")
    summary = f"{title}: recorded as done" + (f" on {_text(day)}" if day else "")
    return Described(summary, tuple(_extra_lines(extra)))


def _milestone_not_applicable(extra: Mapping, lookups: Lookups) -> Described:
    title = lookups.milestone_title(extra.get("milestone"))
    summary = f"{title}: marked not applicable"
    if extra.get("reason"):
        summary += f" ({one_line(str(extra['reason']))})"
    return Described(summary)


def _milestone_undone(extra: Mapping, lookups: Lookups) -> Described:
    title = lookups.milestone_title(extra.get("milestone"))
    change = _changes(extra).get("recorded")
    before = change.get("before") if isinstance(change, Mapping) else None
    summary = f"{title}: what was recorded was undone"
    if before:
        summary += f" (it was {'done on ' if _a_date(before) else ''}{_text(before)})"
    return Described(summary)


MEETING_NAMES = {MeetingKind.TRACKING: "tracking meeting", MeetingKind.LIAISON: "liaison meeting"}


def _meeting_day(extra: Mapping, lookups: Lookups) -> str:
    """ "the tracking meeting on 10 June 2027"."""
    kind = lookups.meeting_kinds.get(str(extra.get("meeting")), "")
    name = MEETING_NAMES.get(kind, "meeting")
    day = _a_date(extra.get("meeting_date"))
    return f"the {name} on {_text(day.isoformat())}" if day else f"a {name}"


def _discussion_recorded(extra: Mapping, lookups: Lookups) -> Described:
    names = [_lower_first(_label(name)) for name in _changes(extra)]
    summary = f"Discussed at {_meeting_day(extra, lookups)}"
    if names:
        summary += f": {listed(names)} recorded"
    details = _change_lines(extra, skip=("themes",))
    themes = _changes(extra).get("themes")
    if isinstance(themes, Mapping):
        line = f"Themes: {lookups.theme_names(themes.get('after'))}"
        if themes.get("before") not in (None, "", "[]"):
            line += f" (was {lookups.theme_names(themes.get('before'))})"
        details.append(line)
    return Described(summary, tuple(details))


def _action_changed(extra: Mapping, lookups: Lookups) -> Described:
    added = extra.get("added")
    if isinstance(added, Mapping):
        who = [one_line(str(added.get("owner") or ""))]
        agency = added.get("owner_agency")
        if agency in AgencyCode.values:
            who.append(str(AgencyCode(agency).label))
        summary = f"Action agreed at {_meeting_day(extra, lookups)}: {one_line(str(added.get('description') or ''))}"  # noqa: E501
        owner = ", ".join(part for part in who if part)
        if owner:
            summary += f" – {owner}"
        if added.get("due_date"):
            summary += f" – by {_text(added.get('due_date'))}"
        return Described(summary)
    description = lookups.actions.get(str(extra.get("action")), "")
    summary = "Updated the action" + (
        f" \u201c{one_line(description)}\u201d" if description else ""
    )
    summary += f" from {_meeting_day(extra, lookups)}"
    return Described(summary, tuple(_change_lines(extra)))


def _cohort_changed(extra: Mapping, lookups: Lookups) -> Described:
    if extra.get("change") == "removed":
        summary = f"Taken off the list of families for {_meeting_day(extra, lookups)}"
    else:
        summary = f"Added to the list of families for {_meeting_day(extra, lookups)}"
    if extra.get("reason"):
        summary += f": {one_line(str(extra['reason']))}"
    return Described(summary)


def _supervision_recorded(extra: Mapping, lookups: Lookups) -> Described:
    agency = extra.get("agency")
    who = (
        str(AgencyCode(agency).label).lower() if agency in AgencyCode.values else "the practitioner"
    )
    day = _a_date(extra.get("supervised_on"))
    summary = f"Supervision in {who}" + (f" on {_text(day.isoformat())}" if day else "")
    return Described(summary + f", recorded at {_meeting_day(extra, lookups)}")


def _addendum_added(extra: Mapping, lookups: Lookups) -> Described:
    summary = f"Addendum added to the record of {_meeting_day(extra, lookups)}"
    if extra.get("text"):
        summary += f": {one_line(str(extra['text']))}"
    return Described(summary, tuple(_extra_lines(extra)))


DESCRIBERS: dict[str, Callable[[Mapping, Lookups], Described]] = {
    E.CASE_CREATED: _case_created,
    E.CASE_CHANGED: _case_changed,
    E.EDD_REVISED: _edd_revised,
    E.PARTNER_ADDED: _partner_added,
    E.OUTCOME_RECORDED: _outcome_recorded,
    E.BABY_DEATH_RECORDED: lambda extra, lookups: _baby_death(extra, lookups, withdrawn=False),
    E.BABY_DEATH_WITHDRAWN: lambda extra, lookups: _baby_death(extra, lookups, withdrawn=True),
    E.FACTS_CHANGED: _facts_changed,
    E.MILESTONE_DONE: _milestone_done,
    E.MILESTONE_NOT_APPLICABLE: _milestone_not_applicable,
    E.MILESTONE_UNDONE: _milestone_undone,
    E.DISCUSSION_RECORDED: _discussion_recorded,
    E.ACTION_CHANGED: _action_changed,
    E.COHORT_CHANGED: _cohort_changed,
    E.SUPERVISION_RECORDED: _supervision_recorded,
    E.ADDENDUM_ADDED: _addendum_added,
}


def _with_summary(event_type: str, extra: Mapping, lookups: Lookups) -> Described:
    """A row that says what it was (every kind since issue 9): its own sentence, its
    field changes and any reason or note."""
    summary = one_line(str(extra.get("summary") or "")) or str(E(event_type).label)
    return Described(summary, tuple(_change_lines(extra) + _extra_lines(extra)))


def describe(event_type: str, extra: Any, lookups: Lookups) -> Described:
    """What an audit row says, in words. Never fails on a row of an unexpected shape:
    the row's own kind is said instead."""
    extra = extra if isinstance(extra, Mapping) else {}
    try:
        describer = DESCRIBERS.get(event_type)
        if describer is None or extra.get("summary"):
            return _with_summary(event_type, extra, lookups)
        described = describer(extra, lookups)
        return Described(one_line(described.summary), tuple(one_line(d) for d in described.details))
    except Exception:  # noqa: BLE001 – an old row of an odd shape still shows
        label = E(event_type).label if event_type in E.values else event_type
        return Described(one_line(str(label)))


# Who.


def who(event: AuditEvent) -> tuple[str, str]:
    """The person's name, and their role and agency when they acted ("Social worker,
    Children's Social Care"), as the row recorded it; rows from before that was recorded
    say the current one (the caller prefetches the actor's roles)."""
    actor = event.actor
    if actor is None:
        return (event.actor_username or "The service", "")
    name = actor.get_full_name() or actor.username
    extra = event.extra_data if isinstance(event.extra_data, Mapping) else {}
    recorded = extra.get(ACTOR_ROLE)
    if isinstance(recorded, str) and recorded:
        return name, one_line(recorded)
    return name, actor.role_description()
