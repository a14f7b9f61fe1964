"""Retention as data: a closed case's personal data is anonymised some years after it
closed (settings.RETENTION_RULES), keeping what the partnership's figures are made of.

"Closed" is the service's own: no longer tracked (cases.models.STILL_OPEN is false),
because the pregnancy ended in a loss or the case was closed to children's social care.
It closed on the loss's date, or on the day the case last changed while closed to CSC
(the service stores no separate closing date; a case reopened and closed again counts
from the later day). When both, the later.

Anonymising blanks every free-text and identifying field of the case and of every record
about it (ANONYMISED below), deletes its documents' files, and keeps the locality, every
date, every choice made, milestones, outcomes and meeting membership: what the dashboards
and cohort counts read. A mother or partner who is also on a case still kept is
anonymised with that case, not before. Audit rows are never changed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEventType
from audit.services import audit_record
from cases.models import LOSS_OUTCOMES, STILL_OPEN, Case, CscInput, Person

RETENTION_ACTOR = "retention"
APPLIES_TO = frozenset({"closed"})


class RetentionRuleError(ValueError):
    """A rule in settings.RETENTION_RULES is malformed: the message names the field."""


@dataclass(frozen=True)
class RetentionRule:
    name: str
    applies_to: str
    anonymise_after_years: int


def retention_rules(raw=None) -> list[RetentionRule]:
    """settings.RETENTION_RULES checked, each field named when it is wrong."""
    raw = settings.RETENTION_RULES if raw is None else raw
    if not isinstance(raw, list | tuple):
        raise RetentionRuleError("RETENTION_RULES: must be a list of rules")
    rules = []
    for n, item in enumerate(raw):
        where = f"RETENTION_RULES[{n}]"
        if not isinstance(item, dict):
            raise RetentionRuleError(f"{where}: must be a mapping")
        unknown = set(item) - {"name", "applies_to", "anonymise_after_years"}
        if unknown:
            raise RetentionRuleError(f"{where}.{sorted(unknown)[0]}: unknown field")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise RetentionRuleError(f"{where}.name: must be a name")
        if item.get("applies_to") not in APPLIES_TO:
            raise RetentionRuleError(
                f"{where}.applies_to: must be one of {', '.join(sorted(APPLIES_TO))}"
            )
        years = item.get("anonymise_after_years")
        if isinstance(years, bool) or not isinstance(years, int) or years < 1:
            raise RetentionRuleError(
                f"{where}.anonymise_after_years: must be a whole number of years, at least 1"
            )
        rules.append(RetentionRule(name.strip(), item["applies_to"], years))
    return rules


# What anonymising blanks: model -> (its path to the case, {field: the value it becomes}).
# tests/test_retention.py checks every text field of every model that points at a case is
# either here or in KEPT, so a new field cannot be forgotten.
_TEXT = ""
ANONYMISED: dict[str, tuple[str, dict[str, object]]] = {
    "cases.Baby": ("case", {"given_name": _TEXT, "family_name": _TEXT, "nhs_number": _TEXT}),
    "cases.EddRevision": ("case", {"reason": _TEXT}),
    "cases.CaseRestriction": ("case", {"reason": _TEXT}),
    "timeline.CaseMilestone": ("case", {"not_applicable_reason": _TEXT}),
    "timeline.MilestoneEvent": ("case", {"not_applicable_reason": _TEXT, "note": _TEXT}),
    "meetings.Discussion": (
        "case",
        {
            "change_reason": _TEXT,
            "threshold_notes": _TEXT,
            "current_concerns": _TEXT,
            "key_points": _TEXT,
            "other_themes": _TEXT,
        },
    ),
    "meetings.Action": ("case", {"description": _TEXT}),
    "meetings.Addendum": ("discussion__case", {"text": _TEXT, "reason": _TEXT}),
    "referrals.Referral": (
        "case",
        {
            "referrer_name": _TEXT,
            "high_risk_notes": _TEXT,
            "underlying_notes": _TEXT,
            "complexity_notes": _TEXT,
        },
    ),
    "referrals.Allocation": ("case", {"directions": _TEXT}),
    "assessments.Assessment": ("case", {"decision_reason": _TEXT}),
    "assessments.AssessmentArea": ("assessment__case", {"text": _TEXT}),
    "assessments.AgencyView": ("assessment__case", {"text": _TEXT}),
    "checkpoints.Checkpoint": (
        "case",
        {"withdrawn_reason": _TEXT, "reason": _TEXT, "notes": _TEXT},
    ),
    "checkpoints.SpecialistAssessment": (
        "case",
        {"withdrawn_reason": _TEXT, "provider": _TEXT, "outcome": _TEXT},
    ),
    "plans.Decision": ("case", {"withdrawn_reason": _TEXT, "outcome": _TEXT}),
    "plans.BirthPlan": (
        "case",
        {"present_at_birth": _TEXT, "not_to_be_present": _TEXT, "other_arrangements": _TEXT},
    ),
    "postnatal.DischargePlanningMeeting": (
        "case",
        {
            "withdrawn_reason": _TEXT,
            "interventions": _TEXT,
            "chair": _TEXT,
            "recorder": _TEXT,
            "distributor": _TEXT,
        },
    ),
    "postnatal.DischargePlanningAttendee": ("meeting__case", {"name": _TEXT, "role": _TEXT}),
    "postnatal.VisitSchedule": ("case", {"withdrawn_reason": _TEXT, "notes": _TEXT}),
    "postnatal.ScheduledVisit": ("schedule__case", {"who": _TEXT, "notes": _TEXT}),
    "postnatal.ReviewConference": ("case", {"withdrawn_reason": _TEXT, "notes": _TEXT}),
    "postnatal.MidpointReview": ("case", {"withdrawn_reason": _TEXT, "notes": _TEXT}),
    "visits.Visit": (
        "case",
        {
            "withdrawn_reason": _TEXT,
            "seen_other": _TEXT,
            "father_not_seen_reason": _TEXT,
            "note": _TEXT,
        },
    ),
    "visits.CaseNote": ("case", {"withdrawn_reason": _TEXT, "text": _TEXT}),
    "documents.Document": (
        "case",
        {"withdrawn_reason": _TEXT, "title": _TEXT, "original_name": _TEXT},
    ),
}
# Text kept, and why: codes, protocol wording and figures, never a person's words.
KEPT: dict[str, frozenset[str]] = {
    "cases.Case": frozenset({"reference", "protocol_version", "timeline_fingerprint"}),  # the
    # case's id; the rules (and a digest of what its timeline was computed from)
    "timeline.CaseMilestone": frozenset({"milestone_id", "title", "owner"}),  # protocol's
    "timeline.MilestoneEvent": frozenset({"milestone_id"}),
    "timeline.CaseStep": frozenset({"kind", "agency", "source", "source_id"}),  # codes
    "meetings.Discussion": frozenset({"rule_reason", "liaison_list", "level_of_csc_input"}),
    "meetings.Action": frozenset({"owner_agency"}),
    "meetings.Supervision": frozenset({"agency"}),
    "checkpoints.SpecialistAssessment": frozenset({"other_name"}),  # the kind of assessment
    "plans.Decision": frozenset({"fact_changes"}),  # dates and choices the decision set
    "postnatal.ScheduledVisit": frozenset({"frequency"}),
    "visits.Visit": frozenset({"agency", "seen"}),  # who was seen, as codes
    "visits.CaseNote": frozenset({"agency"}),
    "documents.Document": frozenset({"content_type", "sha256", "uploader_agency"}),
}
PERSON_BLANK = {
    "given_name": "",
    "family_name": "Anonymised",
    "date_of_birth": None,  # no figure reads a parent's age: none, not the year
    "nhs_number": "",
    "address": "",
    "postcode": "",
}


@dataclass(frozen=True)
class Due:
    """A case a rule says is to be anonymised."""

    case: Case
    closed_on: date
    rule: RetentionRule


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def closed_on(case: Case) -> date | None:
    """The day the case stopped being tracked (see the module's docstring); None if open."""
    days = []
    if case.outcome in LOSS_OUTCOMES and case.outcome_date:
        days.append(case.outcome_date)
    if case.csc_input == CscInput.CLOSED:
        days.append(timezone.localdate(case.updated_at))
    return max(days, default=None)


def due_cases(*, today: date, rules: Iterable[RetentionRule] | None = None) -> list[Due]:
    """Cases not yet anonymised that a rule says are due on `today`, oldest closure first.
    One query per rule."""
    due: dict = {}
    for rule in retention_rules() if rules is None else rules:
        cutoff = _years_before(today, rule.anonymise_after_years)
        # updated_at is a datetime: closed to CSC on or before the cutoff's day.
        end_of_cutoff = timezone.make_aware(datetime.combine(cutoff + timedelta(days=1), time()))
        candidates = (
            Case.objects.filter(~STILL_OPEN, anonymised_at__isnull=True)
            .filter(~Q(outcome__in=LOSS_OUTCOMES) | Q(outcome_date__lte=cutoff))
            .filter(~Q(csc_input=CscInput.CLOSED) | Q(updated_at__lt=end_of_cutoff))
            .select_related("locality")
        )
        for case in candidates:
            closed = closed_on(case)
            if closed is not None and closed <= cutoff and case.pk not in due:
                due[case.pk] = Due(case, closed, rule)
    return sorted(due.values(), key=lambda d: (d.closed_on, d.case.reference))


def _delete_files(document_ids: list) -> None:
    """After the commit: a rollback must not leave rows whose files are gone. A crash
    before this runs leaves files that sweep_documents lists as having no document."""
    from documents import storage  # documents builds on cases, not the other way round

    for document_id in document_ids:
        storage.path_of(document_id).unlink(missing_ok=True)
        storage.pending_path_of(document_id).unlink(missing_ok=True)


def _people_of(case: Case) -> set[int]:
    partners = apps.get_model("cases", "Partner").objects.filter(case=case)
    return {case.mother_id, *partners.values_list("person_id", flat=True)}


def _still_kept(person_ids: set[int]) -> set[int]:
    """Of these people, those on a case not (yet) anonymised."""
    kept = Case.objects.filter(anonymised_at__isnull=True)
    on_kept = set(kept.filter(mother_id__in=person_ids).values_list("mother_id", flat=True))
    on_kept |= set(
        apps.get_model("cases", "Partner")
        .objects.filter(person_id__in=person_ids, case__in=kept)
        .values_list("person_id", flat=True)
    )
    return on_kept


@transaction.atomic
def case_anonymise(*, due: Due, now: datetime) -> dict[str, int]:
    """Anonymise one due case (see the module's docstring) and audit it, in one
    transaction; the documents' files are deleted once it has committed. Returns the rows
    changed per model. A case already anonymised is left alone."""
    case = Case.objects.select_for_update().get(pk=due.case.pk)
    if case.anonymised_at is not None:
        return {}
    changed: dict[str, int] = {}
    for label, (path, blanks) in ANONYMISED.items():
        model = apps.get_model(label)
        count = model.objects.filter(**{path: case}).update(**blanks)
        if count:
            changed[label] = count
    Case.objects.filter(pk=case.pk).update(anonymised_at=now)
    people = _people_of(case)
    anonymised_people = people - _still_kept(people)
    Person.objects.filter(pk__in=anonymised_people).update(**PERSON_BLANK)
    changed["cases.Person"] = len(anonymised_people)
    document_ids = list(case.documents.values_list("pk", flat=True))
    transaction.on_commit(lambda: _delete_files(document_ids))
    changed["files_deleted"] = len(document_ids)
    audit_record(
        actor=None,
        actor_username=RETENTION_ACTOR,
        event_type=AuditEventType.CASE_ANONYMISED,
        case=case,
        extra_data={
            "rule": due.rule.name,
            "anonymise_after_years": due.rule.anonymise_after_years,
            "closed_on": due.closed_on.isoformat(),
            "people_kept_for_other_cases": len(people) - len(anonymised_people),
            "changed": changed,
        },
    )
    return changed
