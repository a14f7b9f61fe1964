"""Every change to a tracking meeting, one function per use case.

As in cases/services.py: keyword-only, one transaction, the actor's right checked, the
change saved and audited in the same transaction. The record of a finalised meeting is
locked: corrections are addenda. Actions outlive their meeting and stay changeable.
"""

import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import AgencyCode, Locality, RoleCode
from accounts.permissions import (
    agency_code,
    can_chair_meetings,
    can_record_meetings,
)
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record, field_changes
from cases.models import LOSS_OUTCOMES, OPEN_TO_CSC, STILL_OPEN, Case, IdentificationSource
from cases.restrictions import restricted
from meetings.models import (
    Action,
    ActionStatus,
    Addendum,
    CohortChange,
    Discussion,
    Meeting,
    MeetingKind,
    MeetingMember,
    MeetingStatus,
    MemberRole,
    Supervision,
    Theme,
)
from rules import series
from rules.cohort import cohort_decision
from rules.liaison import LIST_ORDER, LiaisonFacts, liaison_item
from rules.text import clean_text
from timeline.models import CaseMilestone, overdue_on
from timeline.services import active_protocol, case_facts

RECORD_LOCKED = "This meeting's record is finalised: add an addendum to correct it"


class ChangedMeanwhile(Exception):
    """Someone else saved this family's discussion (or this action) after the form was
    shown. Nothing was saved: the caller shows both so the person can merge."""

    def __init__(self, current):
        super().__init__("Changed by someone else meanwhile")
        self.current = current


def _in_locality(actor, locality_id: int) -> None:
    if locality_id not in actor.locality_ids:
        raise PermissionDenied("You can only work on meetings in your own localities")


def require_chair(actor, meeting: Meeting) -> None:
    if not can_chair_meetings(actor):
        raise PermissionDenied("Only the Named Midwife for Safeguarding or deputy chairs meetings")
    _in_locality(actor, meeting.locality_id)


def _require_recorder(actor, meeting: Meeting) -> None:
    if not can_record_meetings(actor):
        raise PermissionDenied("Only the meeting's members record what it agreed")
    _in_locality(actor, meeting.locality_id)


def _require_open(meeting: Meeting) -> None:
    if meeting.status != MeetingStatus.SCHEDULED:
        raise PermissionDenied(RECORD_LOCKED)


def _audit(actor, context, event, *, meeting: Meeting, case=None, **extra: Any) -> None:
    audit_record(
        actor=actor,
        event_type=event,
        case=case,
        context=context,
        # Dates as ISO text, as the JSON column stores them.
        extra_data=json.loads(
            json.dumps(
                {"meeting": str(meeting.id), "meeting_date": meeting.date, **extra},
                cls=DjangoJSONEncoder,
            )
        ),
    )


def _member_role(user) -> str:
    for role in (RoleCode.OPERATIONS_MANAGER, RoleCode.NAMED_PHN, RoleCode.NAMED_MIDWIFE):
        if user.has_role(role):
            return MemberRole(role)
    return MemberRole.GUEST


@dataclass(frozen=True)
class MeetingDetails:
    date: date
    start_time: time
    end_time: time
    chair: Any
    venue: str = ""
    online_link: str = ""


@transaction.atomic
def meeting_schedule(
    *,
    actor,
    context: AuditContext | None,
    locality: Locality,
    details: MeetingDetails,
    members: Sequence[Any] = (),
    repeat: int = 1,
    kind: str = MeetingKind.TRACKING,
) -> list[Meeting]:
    """One meeting, or a monthly series of `repeat` on the same weekday of the month; each
    with the chair and `members` (users) invited and its cohort proposed by rule."""
    if not can_chair_meetings(actor):
        raise PermissionDenied("Only the Named Midwife for Safeguarding or deputy chairs meetings")
    _in_locality(actor, locality.id)
    if not (details.venue.strip() or details.online_link.strip()):
        raise ValidationError("Enter a venue or an online meeting link", code="where")
    series_id = uuid.uuid4() if repeat > 1 else None
    meetings = []
    for day in series.monthly_dates(details.date, repeat):
        meeting = Meeting.objects.create(
            kind=kind,
            locality=locality,
            series=series_id,
            date=day,
            start_time=details.start_time,
            end_time=details.end_time,
            venue=clean_text(details.venue),
            online_link=details.online_link.strip(),
            chair=details.chair,
            created_by=actor,
        )
        invited = {details.chair.pk: details.chair}
        invited.update({user.pk: user for user in members})
        MeetingMember.objects.bulk_create(
            MeetingMember(
                meeting=meeting,
                user=user,
                role=MemberRole.CHAIR if user.pk == details.chair.pk else _member_role(user),
                agency=agency_code(user) or "",
            )
            for user in invited.values()
        )
        _audit(
            actor,
            context,
            AuditEventType.MEETING_SCHEDULED,
            meeting=meeting,
            members=sorted(str(user) for user in invited.values()),
        )
        meetings.append(meeting)
    # Only the first: a later meeting's families are proposed nearer its day.
    cohort_propose(actor=actor, context=context, meeting=meetings[0])
    return meetings


def cohort_candidates(meeting: Meeting):
    """The locality's cases that could be in a cohort on the meeting's day: open to CSC and
    not ended in a loss, born no more than a placement review's reach before it. The rule
    (rules.cohort) decides on each."""
    return (
        Case.objects.filter(
            ~restricted(), locality_id=meeting.locality_id, csc_input__in=OPEN_TO_CSC
        )
        .exclude(outcome__in=LOSS_OUTCOMES)
        .select_related("mother")
        .prefetch_related("events", "steps")
    )


def liaison_period_start(meeting: Meeting) -> date:
    """A liaison meeting's late referrals are those since the locality's previous liaison
    meeting (its day included: better listed twice than missed), or in the 4 weeks before
    the first."""
    previous = (
        Meeting.objects.filter(
            locality_id=meeting.locality_id, kind=MeetingKind.LIAISON, date__lt=meeting.date
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return previous or meeting.date - timedelta(weeks=4)


def _count(queryset) -> Coalesce:
    return Coalesce(
        Subquery(queryset.order_by().values("case").annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


def liaison_candidates(meeting: Meeting, since: date):
    """The locality's still-open cases that could be on a liaison meeting's lists (not
    referred, referred in the period, or with something overdue on its day), with their
    overdue milestones and actions counted. rules.liaison decides on each."""
    on = meeting.date
    return (
        Case.objects.filter(STILL_OPEN, ~restricted(), locality_id=meeting.locality_id)
        .annotate(
            overdue_milestones=_count(
                CaseMilestone.objects.filter(overdue_on(on), case=OuterRef("pk"))
            ),
            overdue_actions=_count(
                Action.objects.filter(
                    case=OuterRef("pk"), status=ActionStatus.OPEN, due_date__lt=on
                )
            ),
        )
        .filter(
            Q(referral_date__isnull=True)
            | Q(referral_date__gte=since)
            | Q(overdue_milestones__gt=0)
            | Q(overdue_actions__gt=0)
        )
        .select_related("mother")
    )


def _referral_gestation(protocol) -> tuple[int, int]:
    """The gestation a referral is due at, by the protocol's `referral` milestone (16+0)."""
    try:
        rule = protocol.milestone("referral").due_rules[0]
    except (KeyError, IndexError):
        return 16, 0
    return (rule.weeks, rule.days) if rule.anchor == "gestation" else (16, 0)


def _liaison_proposals(meeting: Meeting, protocol) -> dict[Any, tuple[Case, str, str]]:
    since = liaison_period_start(meeting)
    weeks, days = _referral_gestation(protocol)
    proposals = {}
    for case in liaison_candidates(meeting, since):
        facts = LiaisonFacts(
            edd=case.edd,
            referral_date=case.referral_date,
            birth_date=case.birth_date,
            overdue_milestones=case.overdue_milestones,
            overdue_actions=case.overdue_actions,
        )
        found = liaison_item(
            facts, on=meeting.date, since=since, referral_weeks=weeks, referral_days=days
        )
        if found is not None:
            proposals[case.pk] = (case, found.reason, str(found.list))
    return proposals


def _cohort_proposals(meeting: Meeting, protocol) -> dict[Any, tuple[Case, str, str]]:
    proposals = {}
    for case in cohort_candidates(meeting):
        decision = cohort_decision(
            case_facts(case, meeting.date), case.csc_input, meeting.date, protocol=protocol
        )
        if decision.in_cohort:
            proposals[case.pk] = (case, decision.reason, "")
    return proposals


@transaction.atomic
def cohort_propose(*, actor, context: AuditContext | None, meeting: Meeting) -> dict[str, int]:
    """Propose the families by rule on the meeting's day: a tracking meeting's cohort
    (rules.cohort), a liaison meeting's three lists (rules.liaison). Families the chair
    added or removed keep the chair's decision; a proposed family the rule now leaves out,
    with nothing yet recorded about it, is taken off. Returns how many were added and
    taken off."""
    require_chair(actor, meeting)
    _require_open(meeting)
    protocol = active_protocol()
    existing = {d.case_id: d for d in meeting.discussions.all()}
    if meeting.kind == MeetingKind.LIAISON:
        decisions = _liaison_proposals(meeting, protocol)
        order = {name: n for n, name in enumerate(LIST_ORDER)}

        def sort_key(item):
            case, _, liaison_list = item[1]
            return (order[liaison_list], case.edd, case.reference)
    else:
        decisions = _cohort_proposals(meeting, protocol)

        def sort_key(item):
            case = item[1][0]
            return (case.edd, case.reference)

    added = []
    position = max((d.position for d in existing.values()), default=0)
    for case_id, (case, reason, liaison_list) in sorted(decisions.items(), key=sort_key):
        current = existing.get(case_id)
        if current is None:
            position += 1
            added.append(
                Discussion(
                    meeting=meeting,
                    case=case,
                    position=position,
                    rule_reason=reason[:300],
                    liaison_list=liaison_list,
                    identified_by_csc=case.identified_source == IdentificationSource.CSC,
                    level_of_csc_input=case.csc_input,
                )
            )
        elif (current.rule_reason, current.liaison_list) != (reason[:300], liaison_list):
            current.rule_reason = reason[:300]
            current.liaison_list = liaison_list
            current.save(update_fields=["rule_reason", "liaison_list"])
    Discussion.objects.bulk_create(added)
    dropped = [
        d.pk
        for case_id, d in existing.items()
        if case_id not in decisions and d.change == CohortChange.PROPOSED and not _has_record(d)
    ]
    Discussion.objects.filter(pk__in=dropped).delete()
    meeting.cohort_proposed_on = timezone.localdate()
    meeting.save(update_fields=["cohort_proposed_on"])
    _audit(
        actor,
        context,
        AuditEventType.COHORT_CHANGED,
        meeting=meeting,
        proposed=[str(d.case_id) for d in added],
        taken_off=[str(case_id) for case_id, d in existing.items() if d.pk in dropped],
    )
    return {"added": len(added), "taken_off": len(dropped)}


def _has_record(discussion: Discussion) -> bool:
    return bool(discussion.current_concerns or discussion.key_points or discussion.version)


REASON_REQUIRED = "Enter why you are changing the cohort"


@transaction.atomic
def cohort_add(
    *, actor, context: AuditContext | None, meeting: Meeting, case: Case, reason: str
) -> Discussion:
    """Add a family the rule left out (or bring back one removed), with the reason."""
    require_chair(actor, meeting)
    _require_open(meeting)
    reason = clean_text(reason, multiline=True).strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason")
    if case.locality_id != meeting.locality_id:
        raise PermissionDenied("That family is in another locality")
    discussion = meeting.discussions.filter(case=case).first()
    if discussion is None:
        position = max(meeting.discussions.values_list("position", flat=True), default=0) + 1
        decision = cohort_decision(
            case_facts(case, meeting.date), case.csc_input, meeting.date, protocol=active_protocol()
        )
        discussion = Discussion(
            meeting=meeting,
            case=case,
            position=position,
            rule_reason=decision.reason[:300],
            identified_by_csc=case.identified_source == IdentificationSource.CSC,
            level_of_csc_input=case.csc_input,
        )
    elif discussion.in_cohort:
        raise ValidationError("That family is already in the cohort", code="already")
    discussion.change = CohortChange.ADDED
    discussion.change_reason = reason
    discussion.changed_by = actor
    discussion.save()
    _audit(
        actor,
        context,
        AuditEventType.COHORT_CHANGED,
        meeting=meeting,
        case=case,
        change="added",
        reason=reason,
    )
    return discussion


@transaction.atomic
def cohort_remove(
    *, actor, context: AuditContext | None, discussion: Discussion, reason: str
) -> Discussion:
    """Take a family out of this meeting's discussion, with the reason; kept and shown."""
    meeting = discussion.meeting
    require_chair(actor, meeting)
    _require_open(meeting)
    reason = clean_text(reason, multiline=True).strip()
    if not reason:
        raise ValidationError(REASON_REQUIRED, code="reason")
    discussion.change = CohortChange.REMOVED
    discussion.change_reason = reason
    discussion.changed_by = actor
    discussion.save(update_fields=["change", "change_reason", "changed_by"])
    _audit(
        actor,
        context,
        AuditEventType.COHORT_CHANGED,
        meeting=meeting,
        case=discussion.case,
        change="removed",
        reason=reason,
    )
    return discussion


@transaction.atomic
def attendance_record(
    *,
    actor,
    context: AuditContext | None,
    meeting: Meeting,
    attendance: dict[int, tuple[str, str]],
    guests: Iterable[Any] = (),
) -> None:
    """`attendance`: member id → (attended/deputy/apologies/absent, the deputy's name);
    `guests`: users who came without an invitation, recorded as attended."""
    _require_recorder(actor, meeting)
    _require_open(meeting)
    changes = {}
    for member in meeting.members.select_related("user"):
        if member.pk not in attendance:
            continue
        value, deputy = attendance[member.pk]
        deputy = clean_text(deputy).strip() if value == "deputy" else ""
        if (member.attendance, member.deputy_name) != (value, deputy):
            changes[str(member.user)] = {"before": member.attendance, "after": value}
            member.attendance, member.deputy_name = value, deputy
            member.save(update_fields=["attendance", "deputy_name"])
    for user in guests:
        _, created = MeetingMember.objects.get_or_create(
            meeting=meeting,
            user=user,
            defaults={
                "role": MemberRole.GUEST,
                "agency": agency_code(user) or "",
                "attendance": "attended",
            },
        )
        if created:
            changes[str(user)] = {"before": None, "after": "attended"}
    if changes:
        _audit(actor, context, AuditEventType.MEETING_CHANGED, meeting=meeting, attendance=changes)


@dataclass(frozen=True)
class DiscussionRecord:
    current_concerns: str
    key_points: str
    level_of_csc_input: str
    themes: frozenset[int]
    other_themes: str = ""
    threshold_notes: str = ""  # a liaison meeting's


def discussion_values(discussion: Discussion) -> DiscussionRecord:
    return DiscussionRecord(
        current_concerns=discussion.current_concerns,
        key_points=discussion.key_points,
        level_of_csc_input=discussion.level_of_csc_input,
        themes=frozenset(theme.pk for theme in discussion.themes.all()),
        other_themes=discussion.other_themes,
        threshold_notes=discussion.threshold_notes,
    )


@transaction.atomic
def discussion_record(
    *,
    actor,
    context: AuditContext | None,
    discussion: Discussion,
    version: int | None,
    record: DiscussionRecord,
) -> bool:
    """Save what the meeting said about one family. Returns whether anything changed.
    `version` is the one the form was shown with: if someone saved meanwhile, raises
    ChangedMeanwhile and saves nothing (unless what they saved is what this says)."""
    meeting = discussion.meeting
    _require_recorder(actor, meeting)
    _require_open(meeting)
    discussion = Discussion.objects.select_for_update().get(pk=discussion.pk)
    record = DiscussionRecord(
        current_concerns=clean_text(record.current_concerns, multiline=True).strip(),
        key_points=clean_text(record.key_points, multiline=True).strip(),
        level_of_csc_input=record.level_of_csc_input,
        themes=record.themes,
        other_themes=clean_text(record.other_themes).strip(),
        threshold_notes=clean_text(record.threshold_notes, multiline=True).strip(),
    )
    before = discussion_values(discussion)
    if before == record:
        return False
    if version is not None and version != discussion.version:
        raise ChangedMeanwhile(discussion)
    for name in (
        "current_concerns",
        "key_points",
        "level_of_csc_input",
        "other_themes",
        "threshold_notes",
    ):
        setattr(discussion, name, getattr(record, name))
    discussion.updated_at = timezone.now()
    discussion.updated_by = actor
    discussion.version += 1
    discussion.save()
    discussion.themes.set(Theme.objects.filter(pk__in=record.themes))
    changes = field_changes(
        {**before.__dict__, "themes": sorted(before.themes)},
        {**record.__dict__, "themes": sorted(record.themes)},
    )
    _audit(
        actor,
        context,
        AuditEventType.DISCUSSION_RECORDED,
        meeting=meeting,
        case=discussion.case,
        changes=changes,
    )
    return True


OWNER_AGENCIES = (AgencyCode.CSC, AgencyCode.MIDWIFERY, AgencyCode.PHN)


@transaction.atomic
def action_add(
    *,
    actor,
    context: AuditContext | None,
    discussion: Discussion,
    description: str,
    owner_agency: str,
    due_date: date,
    owner=None,
) -> Action:
    meeting = discussion.meeting
    _require_recorder(actor, meeting)
    _require_open(meeting)
    if owner is not None and agency_code(owner) != owner_agency:
        raise ValidationError("The owner must work for the agency named", code="owner_agency")
    action = Action.objects.create(
        case=discussion.case,
        meeting=meeting,
        description=clean_text(description, multiline=True).strip(),
        owner=owner,
        owner_agency=owner_agency,
        due_date=due_date,
        created_by=actor,
    )
    _audit(
        actor,
        context,
        AuditEventType.ACTION_CHANGED,
        meeting=meeting,
        case=action.case,
        action=str(action.id),
        added={
            "description": action.description,
            "owner": str(owner or ""),
            "owner_agency": owner_agency,
            "due_date": due_date,
        },
    )
    return action


def can_update_action(actor, action: Action) -> bool:
    """The action's owner, or a member of the locality's meetings."""
    if action.owner_id is not None and action.owner_id == actor.pk:
        return True
    return can_record_meetings(actor) and action.case.locality_id in actor.locality_ids


@transaction.atomic
def action_update(
    *,
    actor,
    context: AuditContext | None,
    action: Action,
    version: int | None,
    status: str,
    due_date: date | None = None,
) -> bool:
    """Mark an action done (today, by the actor), no longer needed, or open again; or move
    its date. Returns whether anything changed."""
    if not can_update_action(actor, action):
        raise PermissionDenied("Only the action's owner or the meeting's members update it")
    action = Action.objects.select_for_update().select_related("meeting").get(pk=action.pk)
    due_date = due_date or action.due_date
    if (action.status, action.due_date) == (status, due_date):
        return False
    if version is not None and version != action.version:
        raise ChangedMeanwhile(action)
    before = {"status": action.status, "due_date": action.due_date}
    action.status, action.due_date = ActionStatus(status), due_date
    if status == ActionStatus.OPEN:
        action.completed_on, action.completed_by = None, None
    elif before["status"] == ActionStatus.OPEN:
        action.completed_on, action.completed_by = timezone.localdate(), actor
    action.version += 1
    action.save()
    _audit(
        actor,
        context,
        AuditEventType.ACTION_CHANGED,
        meeting=action.meeting,
        case=action.case,
        action=str(action.id),
        changes=field_changes(before, {"status": status, "due_date": due_date}),
    )
    return True


@transaction.atomic
def supervision_record(
    *,
    actor,
    context: AuditContext | None,
    discussion: Discussion,
    agency: str,
    supervised_on: date,
) -> Supervision:
    """The date the agency's practitioner was last supervised on this baby (ToR 3.6)."""
    meeting = discussion.meeting
    _require_recorder(actor, meeting)
    if supervised_on > timezone.localdate():
        raise ValidationError("The date of supervision must be today or in the past", code="future")
    supervision = Supervision.objects.create(
        case=discussion.case,
        agency=agency,
        supervised_on=supervised_on,
        meeting=meeting,
        recorded_by=actor,
    )
    _audit(
        actor,
        context,
        AuditEventType.SUPERVISION_RECORDED,
        meeting=meeting,
        case=discussion.case,
        agency=agency,
        supervised_on=supervised_on,
    )
    return supervision


@transaction.atomic
def meeting_finalise(*, actor, context: AuditContext | None, meeting: Meeting) -> Meeting:
    """Lock the record. Later corrections are addenda."""
    require_chair(actor, meeting)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _require_open(meeting)
    meeting.status = MeetingStatus.FINALISED
    meeting.finalised_at = timezone.now()
    meeting.finalised_by = actor
    meeting.save(update_fields=["status", "finalised_at", "finalised_by"])
    _audit(
        actor,
        context,
        AuditEventType.MEETING_FINALISED,
        meeting=meeting,
        cases=sorted(str(c) for c in meeting.discussions.values_list("case_id", flat=True)),
    )
    return meeting


@transaction.atomic
def addendum_add(
    *,
    actor,
    context: AuditContext | None,
    meeting: Meeting,
    text: str,
    reason: str,
    discussion: Discussion | None = None,
) -> Addendum:
    """A correction to a finalised record, with who and why."""
    _require_recorder(actor, meeting)
    if not meeting.is_finalised:
        raise ValidationError("Change the record itself until it is finalised", code="open")
    text = clean_text(text, multiline=True).strip()
    reason = clean_text(reason, multiline=True).strip()
    if not text or not reason:
        raise ValidationError("Enter the correction and why it is needed", code="required")
    addendum = Addendum.objects.create(
        meeting=meeting, discussion=discussion, text=text, reason=reason, recorded_by=actor
    )
    _audit(
        actor,
        context,
        AuditEventType.ADDENDUM_ADDED,
        meeting=meeting,
        case=discussion.case if discussion else None,
        text=text,
        reason=reason,
    )
    return addendum
