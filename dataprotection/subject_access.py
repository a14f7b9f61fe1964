"""Everything the service holds about a family, for a subject access request: the case's
facts (mother, fathers or partners, babies, dates, milestones), its case notes and visits,
the tracking meetings that discussed the family (discussions, actions, addenda) and the
list of its documents (name, kind, date: not the files, which someone who can see the
case downloads if the request needs them). As JSON and as PDF, each download audited.

Every other record about the case (the referral, allocation, assessment, checkpoints,
decisions, birth plan, postnatal records: cases.retention's list of them) is given as
stored, by kind. An anonymised case is given as it is now: what retention removed is not
held any more. Withdrawn records are included, marked withdrawn, with why: they are
still held.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.permissions import agency_name
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from cases.models import Case
from cases.retention import ANONYMISED
from dataprotection.selectors import case_for_officer
from documents.models import Document
from meetings.exports import pdf_from_html
from meetings.models import Action, Addendum, Discussion
from rules.dates import format_date, format_datetime
from rules.nhs_number import format_nhs_number
from timeline.models import CaseMilestone
from visits.models import CaseNote, Visit


@dataclass(frozen=True)
class SubjectAccessFile:
    filename: str
    content_type: str
    content: bytes


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return (timezone.localtime(value) if timezone.is_aware(value) else value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _person(person) -> dict[str, Any]:
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth": _value(person.date_of_birth),
        "nhs_number": person.nhs_number,
        "address": person.address,
        "postcode": person.postcode,
    }


def _user(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _withdrawn(record) -> dict[str, Any]:
    if record.withdrawn_at is None:
        return {}
    return {
        "withdrawn_at": _value(record.withdrawn_at),
        "withdrawn_by": _user(record.withdrawn_by),
        "withdrawn_reason": record.withdrawn_reason,
    }


# The records about a case given above in their own sections; every other kind that
# retention knows (cases.retention.ANONYMISED: every record about a case, a test keeps
# it whole) is given as it is stored, in "other_records". The restriction is left out:
# that one exists is in the case's facts; why, and who may see the case, are not the
# family's data but the service's protection of it.
OWN_SECTIONS = frozenset(
    {
        "cases.Baby",
        "cases.EddRevision",
        "cases.CaseRestriction",
        "timeline.CaseMilestone",
        "meetings.Discussion",
        "meetings.Action",
        "meetings.Addendum",
        "visits.Visit",
        "visits.CaseNote",
        "documents.Document",
    }
)


def _field_value(record, field) -> Any:
    if field.is_relation:
        related = getattr(record, field.name)
        if related is None:
            return None
        if isinstance(related, AbstractBaseUser):
            return _user(related)
        return None  # the case, a meeting, an assessment: the record's place, not data
    if field.choices:
        return getattr(record, f"get_{field.name}_display")()
    return _value(getattr(record, field.attname))


def _other_records(case: Case) -> dict[str, list[dict[str, Any]]]:
    """Every other record about the case, by kind, each field as stored (choices in
    words, people by name), oldest first."""
    records = {}
    for label, (path, _) in sorted(ANONYMISED.items()):
        if label in OWN_SECTIONS:
            continue
        model = apps.get_model(label)
        fields = [
            f
            for f in model._meta.concrete_fields
            if not f.primary_key and (not f.is_relation or f.related_model is User)
        ]
        users = [f.name for f in fields if f.is_relation]
        rows = model.objects.filter(**{path: case}).select_related(*users).order_by("pk")
        found = [{f.name: _field_value(row, f) for f in fields} for row in rows]
        if found:
            records[str(model._meta.verbose_name_plural).capitalize()] = found
    return records


def subject_access_data(case: Case) -> dict[str, Any]:
    """Everything held about the case's family, as plain data (the JSON's shape)."""
    facts = {
        "reference": case.reference,
        "locality": case.locality.name,
        "expected_due_date": _value(case.edd),
        "identified_date": _value(case.identified_date),
        "identified_source": case.get_identified_source_display(),
        "level_of_csc_input": case.get_csc_input_display(),
        "named_social_worker": _user(case.named_social_worker),
        "named_midwife": _user(case.named_midwife),
        "named_health_visitor": _user(case.named_health_visitor),
        "referral_date": _value(case.referral_date),
        "allocation_date": _value(case.allocation_date),
        "strategy_discussion_date": _value(case.strategy_discussion_date),
        "placement": case.get_placement_display(),
        "placement_date": _value(case.placement_date),
        "outcome": case.get_outcome_display(),
        "outcome_date": _value(case.outcome_date),
        "birth_date": _value(case.birth_date),
        "discharge": _value(case.discharge),
        "registered_at": _value(case.created_at),
        "registered_by": _user(case.created_by),
        "anonymised_at": _value(case.anonymised_at),
        "restricted": bool(getattr(case, "is_restricted", False)),
    }
    discussions = (
        Discussion.objects.filter(case=case)
        .select_related("meeting__locality")
        .prefetch_related("themes")
        .order_by("meeting__date", "pk")
    )
    actions = (
        Action.objects.filter(case=case)
        .select_related("meeting", "owner")
        .order_by("meeting__date", "due_date", "pk")
    )
    addenda = Addendum.objects.filter(discussion__case=case).select_related(
        "meeting", "recorded_by"
    )
    return {
        "case": facts,
        "mother": _person(case.mother),
        "fathers_or_partners": [
            {"relationship": partner.get_relationship_display(), **_person(partner.person)}
            for partner in case.partners.select_related("person").order_by("added_at", "pk")
        ],
        "babies": [
            {
                "birth_order": baby.birth_order,
                "given_name": baby.given_name,
                "family_name": baby.family_name,
                "born_at": _value(baby.born_at),
                "sex": baby.get_sex_display(),
                "nhs_number": baby.nhs_number,
                "birth_weight_grams": baby.birth_weight_grams,
                "died_on": _value(baby.died_on),
            }
            for baby in case.babies.order_by("birth_order")
        ],
        "edd_revisions": [
            {
                "edd": _value(revision.edd),
                "previous_edd": _value(revision.previous_edd),
                "reason": revision.reason,
                "recorded_at": _value(revision.recorded_at),
                "recorded_by": _user(revision.recorded_by),
            }
            for revision in case.edd_revisions.select_related("recorded_by").order_by(
                "recorded_at", "pk"
            )
        ],
        "milestones": [
            {
                "title": milestone.title,
                "owner": agency_name(milestone.owner) if milestone.owner else "",
                "state": milestone.get_state_display(),
                "due_date": _value(milestone.due_date),
                "done_date": _value(milestone.done_date),
                "not_applicable_reason": milestone.not_applicable_reason,
            }
            for milestone in CaseMilestone.objects.filter(case=case).order_by("position")
        ],
        "case_notes": [
            {
                "kind": note.get_kind_display(),
                "written_at": _value(note.written_at),
                "on": _value(note.on),
                "author": _user(note.author),
                "agency": agency_name(note.agency),
                "text": note.text,
                **_withdrawn(note),
            }
            for note in CaseNote.objects.filter(case=case)
            .select_related("author", "withdrawn_by")
            .order_by("written_at", "pk")
        ],
        "visits": [
            {
                "visited_at": _value(visit.visited_at),
                "type": visit.get_type_display(),
                "agency": agency_name(visit.agency),
                "recorded_by": _user(visit.recorded_by),
                "seen": list(visit.seen),
                "seen_other": visit.seen_other,
                "baby_seen": visit.get_baby_seen_display(),
                "father_not_seen_reason": visit.father_not_seen_reason,
                "note": visit.note,
                **_withdrawn(visit),
            }
            for visit in Visit.objects.filter(case=case)
            .select_related("recorded_by", "withdrawn_by")
            .order_by("visited_at", "pk")
        ],
        "meetings": [
            {
                "meeting": discussion.meeting.get_kind_display(),
                "date": _value(discussion.meeting.date),
                "locality": discussion.meeting.locality.name,
                "threshold_notes": discussion.threshold_notes,
                "current_concerns": discussion.current_concerns,
                "key_points": discussion.key_points,
                "level_of_csc_input": discussion.level_of_csc_input,
                "themes": sorted(theme.name for theme in discussion.themes.all()),
                "other_themes": discussion.other_themes,
            }
            for discussion in discussions
        ],
        "meeting_actions": [
            {
                "meeting_date": _value(action.meeting.date),
                "description": action.description,
                "owner": _user(action.owner),
                "owner_agency": agency_name(action.owner_agency),
                "due_date": _value(action.due_date),
                "status": action.get_status_display(),
                "completed_on": _value(action.completed_on),
            }
            for action in actions
        ],
        "meeting_addenda": [
            {
                "meeting_date": _value(addendum.meeting.date),
                "text": addendum.text,
                "reason": addendum.reason,
                "recorded_at": _value(addendum.recorded_at),
                "recorded_by": _user(addendum.recorded_by),
            }
            for addendum in addenda
        ],
        "documents": [
            {
                "title": document.title,
                "kind": document.get_kind_display(),
                "file_name": document.original_name,
                "uploaded_at": _value(document.uploaded_at),
                "uploaded_by": _user(document.uploaded_by),
                "agency": agency_name(document.uploader_agency),
                **_withdrawn(document),
            }
            for document in Document.objects.filter(case=case)
            .select_related("uploaded_by", "withdrawn_by")
            .order_by("uploaded_at", "pk")
        ],
        "other_records": _other_records(case),
    }


def _audited(actor, context, case: Case, data: dict, export_format: str) -> None:
    audit_record(
        actor=actor,
        event_type=AuditEventType.SUBJECT_ACCESS_EXPORTED,
        case=case,
        context=context,
        extra_data={
            "format": export_format,
            "counts": {
                **{key: len(value) for key, value in data.items() if isinstance(value, list)},
                **{key: len(value) for key, value in data["other_records"].items()},
            },
        },
    )


def subject_access_json(*, actor, context: AuditContext | None, case_id) -> SubjectAccessFile:
    case = case_for_officer(actor, case_id)
    data = subject_access_data(case)
    content = json.dumps(
        {
            "service": settings.SERVICE_NAME,
            "protective_marking": settings.PROTECTIVE_MARKING,
            "exported_at": _value(timezone.now()),
            "exported_by": _user(actor),
            **data,
        },
        indent=2,
        ensure_ascii=False,
    ).encode()
    _audited(actor, context, case, data, "json")
    return SubjectAccessFile(
        f"subject-access-{case.reference}.json", "application/json", content + b"\n"
    )


# The PDF's sections: the data's key, its heading, and each field's label.
SECTIONS = [
    ("fathers_or_partners", "Fathers or partners"),
    ("babies", "Babies"),
    ("edd_revisions", "Expected due date revisions"),
    ("milestones", "Milestones"),
    ("case_notes", "Case notes"),
    ("visits", "Visits"),
    ("meetings", "Tracking meetings that discussed the family"),
    ("meeting_actions", "Meeting actions"),
    ("meeting_addenda", "Addenda to meeting records"),
    ("documents", "Documents (the list; not their contents)"),
]


# Words of a field's name written as the service writes them.
_ACRONYMS = {"nhs": "NHS", "edd": "EDD", "csc": "CSC", "phn": "PHN", "icpc": "ICPC",
             "plo": "PLO", "bla": "BLA", "gp": "GP", "cp": "CP", "rcpc": "RCPC"}  # fmt: skip


def _label(key: str) -> str:
    """A field's name in words: "level_of_csc_input" → "Level of CSC input"."""
    words = [_ACRONYMS.get(word, word) for word in key.split("_")]
    return " ".join(words)[:1].upper() + " ".join(words)[1:]


_ISO = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9:.]+([+-][0-9:]+|Z)?)?")


def _shown(value: Any) -> str:
    """A value of the JSON as the PDF shows it: dates as "10 June 2027"."""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, str) and _ISO.fullmatch(value):
        parsed = datetime.fromisoformat(value)
        return format_date(parsed.date()) if len(value) == 10 else format_datetime(parsed)
    return "" if value is None else str(value)


def _rows(record: dict) -> list[tuple[str, str]]:
    shown = [(key, _shown(value)) for key, value in record.items()]
    return [
        (_label(key), format_nhs_number(text) if key == "nhs_number" else text)
        for key, text in shown
        if text
    ]


def subject_access_pdf(*, actor, context: AuditContext | None, case_id) -> SubjectAccessFile:
    case = case_for_officer(actor, case_id)
    data = subject_access_data(case)
    now = timezone.now()
    marking = f"{settings.PROTECTIVE_MARKING} – {case.reference}"
    html = render_to_string(
        "dataprotection/subject_access_pdf.html",
        {
            "case": case,
            "facts": _rows(data["case"]),
            "mother": _rows(data["mother"]),
            "sections": [
                *((heading, [_rows(record) for record in data[key]]) for key, heading in SECTIONS),
                *(
                    (heading, [_rows(record) for record in records])
                    for heading, records in data["other_records"].items()
                ),
            ],
            "marking": marking,
            "footer": f"{marking} – printed {format_datetime(now)} by {_user(actor)}",
            "orientation": "portrait",
        },
    )
    content = pdf_from_html(html)
    _audited(actor, context, case, data, "pdf")
    return SubjectAccessFile(f"subject-access-{case.reference}.pdf", "application/pdf", content)
