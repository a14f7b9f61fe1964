"""Tracking meeting pages: the list, scheduling, the meeting itself (pack, attendance,
every family's record on one page), cohort changes, finalising and addenda."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.permissions import can_chair_meetings, can_read_meetings, can_record_meetings
from cases.models import Case
from cases.restrictions import restricted
from meetings import services
from meetings.forms import (
    AddendumForm,
    AttendanceForm,
    CohortAddForm,
    FamilyChoices,
    FamilyForm,
    MeetingScheduleForm,
    ReasonForm,
)
from meetings.models import MeetingKind
from meetings.selectors import (
    addenda_shown,
    discussions_shown,
    meeting_for_user,
    meeting_pack,
    meetings_list,
    members_of,
    supervision_weeks,
)
from rules.dates import format_date, format_datetime, format_time
from web.forms import VERSION_MISSING
from web.middleware import renew_session
from web.pages import audit_context
from web.templatetags.govuk import counted


def _require_reader(user) -> None:
    if not (can_read_meetings(user) or user.has_role("guest")):
        raise PermissionDenied("Tracking meetings are for the meeting's members and managers")


def _posted(request):
    return request.POST if request.method == "POST" else None


def _meeting_url(meeting, anchor: str = "") -> str:
    return reverse("meeting_detail", kwargs={"meeting_id": meeting.id}) + anchor


def _when(meeting) -> str:
    start = datetime.combine(meeting.date, meeting.start_time)
    end = datetime.combine(meeting.date, meeting.end_time)
    return f"{format_date(meeting.date)}, {format_time(start)} to {format_time(end)}"


@login_required
def meeting_list(request):
    _require_reader(request.user)
    meetings = meetings_list(request.user, today=timezone.localdate())
    return render(
        request,
        "meetings/meeting_list.html",
        {"nav": "meetings", "can_chair": can_chair_meetings(request.user), **meetings},
    )


@login_required
def meeting_schedule(request):
    if not can_chair_meetings(request.user):
        raise PermissionDenied(
            "Only the Named Midwife for Safeguarding or deputy schedules meetings"
        )
    form = MeetingScheduleForm(_posted(request), user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            scheduled = services.meeting_schedule(
                actor=request.user,
                context=audit_context(request),
                locality=data["locality"],
                details=services.MeetingDetails(
                    date=data["date"],
                    start_time=data["start_time"],
                    end_time=data["end_time"],
                    chair=data["chair"],
                    venue=data["venue"],
                    online_link=data["online_link"],
                ),
                members=list(data["members"]),
                repeat=data["repeat"],
                kind=data["kind"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"{counted(len(scheduled), 'meeting')} scheduled. The cohort of this one has been"
                " proposed by rule: check it before you send the invitations.",
            )
            return redirect(_meeting_url(scheduled[0]))
    return render(request, "meetings/meeting_schedule.html", {"nav": "meetings", "form": form})


def _family_forms(request, meeting, packs, choices, data=None):
    return [
        FamilyForm(
            data,
            prefix=f"f{pack.discussion.pk}",
            discussion=pack.discussion,
            choices=choices,
            actions=[*pack.earlier_actions, *pack.actions],
            supervision={agency: day for agency, (day, _) in pack.supervision.items()},
        )
        for pack in packs
        if pack.discussion.in_cohort
    ]


def _save_family(request, form) -> str | None:
    """Save one family's record, its new action, action statuses and supervision dates.
    Returns "conflict" when someone else saved it meanwhile, else None."""
    context = audit_context(request)
    discussion = form.discussion
    try:
        services.discussion_record(
            actor=request.user,
            context=context,
            discussion=discussion,
            version=form.cleaned_data.get("version"),
            record=form.record(),
        )
    except services.ChangedMeanwhile:
        return "conflict"
    new_action = form.new_action()
    if new_action:
        services.action_add(actor=request.user, context=context, discussion=discussion,
                            **new_action)  # fmt: skip
    for action, status in form.status_changes():
        services.action_update(
            actor=request.user, context=context, action=action, version=None, status=status
        )
    for agency, day in form.supervision_changes().items():
        services.supervision_record(actor=request.user, context=context, discussion=discussion,
                                    agency=agency, supervised_on=day)  # fmt: skip
    return None


@login_required
def meeting_detail(request, meeting_id):
    """The meeting: its pack, attendance and every family's record, on one page and in one
    form, so saving never loses what was typed for another family."""
    _require_reader(request.user)
    meeting = meeting_for_user(request.user, meeting_id, context=audit_context(request))
    can_record = can_record_meetings(request.user) and not meeting.is_finalised
    posted = _posted(request) if can_record else None
    if request.method == "POST" and not can_record:
        raise PermissionDenied(services.RECORD_LOCKED if meeting.is_finalised else
                               "Only the meeting's members record what it agreed")  # fmt: skip
    if posted is not None and posted.get("autosave"):
        return _autosave(request, meeting, posted)
    packs = meeting_pack(meeting, supervision_weeks=supervision_weeks())
    choices = FamilyChoices(meeting.locality_id)
    members = members_of(meeting)
    attendance = AttendanceForm(posted, members=members, prefix="a")
    forms = _family_forms(request, meeting, packs, choices, posted)
    conflicts: set[int] = set()
    if posted is not None:
        saved = 0
        with transaction.atomic():
            if attendance.is_valid():
                services.attendance_record(
                    actor=request.user, context=audit_context(request), meeting=meeting,
                    attendance=attendance.attendance(),
                )  # fmt: skip
            for form in forms:
                if form.is_valid():
                    if _save_family(request, form) == "conflict":
                        conflicts.add(form.discussion.pk)
                    else:
                        saved += 1
        invalid = [f for f in forms if f.errors] + ([attendance] if attendance.errors else [])
        if not invalid and not conflicts:
            messages.success(request, "Saved")
            anchor = request.POST.get("save", "")
            return redirect(_meeting_url(meeting, f"#family-{anchor}" if anchor.isdigit() else ""))
        # Show the page again: what failed as typed, what saved as it is now stored.
        packs = meeting_pack(meeting, supervision_weeks=supervision_weeks())
        fresh = {f.discussion.pk: f for f in _family_forms(request, meeting, packs, choices)}
        forms = [
            form if form.errors or form.discussion.pk in conflicts else fresh[form.discussion.pk]
            for form in forms
        ]
        for form in forms:
            if form.discussion.pk in conflicts or form.has_error(NON_FIELD_ERRORS, VERSION_MISSING):
                # The next save, with what they have seen, overwrites deliberately.
                form.data = form.data.copy()
                form.data[form.add_prefix("version")] = fresh[form.discussion.pk].discussion.version
    by_discussion = {form.discussion.pk: form for form in forms}
    families = [(pack, by_discussion.get(pack.discussion.pk)) for pack in packs]
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "members": members,
            "attendance": attendance,
            "families": families,
            "in_cohort": [f for f in families if f[0].discussion.in_cohort],
            "is_liaison": meeting.kind == MeetingKind.LIAISON,
            "left_out": [f for f in families if not f[0].discussion.in_cohort],
            "conflicts": conflicts,
            "error_items": [i for f in [attendance, *forms] if f.errors for i in f.error_summary()],
            "can_record": can_record,
            "can_chair": can_chair_meetings(request.user)
            and meeting.locality_id in request.user.locality_ids,
            "can_add_addendum": can_record_meetings(request.user),
            "addenda": addenda_shown(meeting).select_related(
                "recorded_by", "discussion__case__mother"
            )
            if meeting.is_finalised
            else [],
            "when_text": _when(meeting),
            "finalised_text": f"{format_datetime(meeting.finalised_at)} by"
            f" {meeting.finalised_by.get_full_name()}"
            if meeting.is_finalised
            else "",
            "supervision_weeks": supervision_weeks(),
        },
    )


AUTOSAVED = ("version", "current_concerns", "key_points", "level_of_csc_input", "themes",
             "other_themes")  # fmt: skip


def _autosave(request, meeting, posted) -> JsonResponse:
    """One family's own boxes saved as they are typed (meeting-autosave.js). Actions and
    supervision wait for the Save button: a half-typed action must not be agreed. It
    renews the session, as the page's timeout warning counts on (app:session-renewed)."""
    renew_session(request)
    discussion = (
        discussions_shown(meeting)
        .select_related("case")
        .filter(pk=posted["autosave"] if posted["autosave"].isdigit() else None)
        .first()
    )
    if discussion is None or not discussion.in_cohort:
        raise Http404("No such family in this meeting")
    form = FamilyForm(posted, prefix=f"f{discussion.pk}", discussion=discussion,
                      choices=FamilyChoices(meeting.locality_id))  # fmt: skip
    for name in list(form.fields):
        if name not in AUTOSAVED:
            del form.fields[name]
    if not form.is_valid():
        return JsonResponse({"saved": False, "message": "Not saved: " + " ".join(
            str(m) for messages_ in form.errors.values() for m in messages_)})  # fmt: skip
    try:
        services.discussion_record(
            actor=request.user, context=audit_context(request), discussion=discussion,
            version=form.cleaned_data.get("version"), record=form.record(),
        )  # fmt: skip
    except services.ChangedMeanwhile as changed:
        return JsonResponse({"saved": False, "message": (
            f"Not saved: {changed.current.updated_by.get_full_name()} changed this family's"
            " record meanwhile. Press Save to see theirs beside yours.")})  # fmt: skip
    discussion.refresh_from_db(fields=["version"])
    return JsonResponse({"saved": True, "version": discussion.version,
                         "time": format_time(timezone.localtime())})  # fmt: skip


@login_required
def meeting_pack_page(request, meeting_id):
    """The pack, for printing before the meeting: every family on one page each."""
    _require_reader(request.user)
    meeting = meeting_for_user(request.user, meeting_id, context=audit_context(request))
    packs = [p for p in meeting_pack(meeting, supervision_weeks=supervision_weeks())
             if p.discussion.in_cohort]  # fmt: skip
    return render(
        request,
        "meetings/meeting_pack.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "packs": packs,
            "members": members_of(meeting),
            "when_text": _when(meeting),
            "supervision_weeks": supervision_weeks(),
        },
    )


def _chair_meeting(request, meeting_id):
    if not can_chair_meetings(request.user):
        raise PermissionDenied("Only the chair changes the cohort or finalises the record")
    return meeting_for_user(request.user, meeting_id, context=audit_context(request), audit=False)


@login_required
@require_POST
def cohort_propose(request, meeting_id):
    meeting = _chair_meeting(request, meeting_id)
    result = services.cohort_propose(
        actor=request.user, context=audit_context(request), meeting=meeting
    )
    messages.success(
        request,
        f"Cohort proposed again by rule: {counted(result['added'], 'family,families')} added,"
        f" {counted(result['taken_off'], 'family,families')} taken off",
    )
    return redirect(_meeting_url(meeting, "#cohort"))


@login_required
def cohort_add(request, meeting_id):
    meeting = _chair_meeting(request, meeting_id)
    form = CohortAddForm(_posted(request))
    if form.is_valid():
        case = Case.objects.filter(
            ~restricted(), reference=form.cleaned_data["reference"], locality_id=meeting.locality_id
        ).first()
        if case is None:
            form.add_error("reference", f"No case with that reference in {meeting.locality}")
        else:
            try:
                discussion = services.cohort_add(
                    actor=request.user, context=audit_context(request), meeting=meeting,
                    case=case, reason=form.cleaned_data["reason"],
                )  # fmt: skip
            except ValidationError as error:
                form.add_error("reference", error)
            else:
                messages.success(request, f"{case.display_name} added to the cohort")
                return redirect(_meeting_url(meeting, f"#family-{discussion.pk}"))
    return render(
        request, "meetings/cohort_add.html", {"nav": "meetings", "meeting": meeting, "form": form}
    )


@login_required
def cohort_remove(request, meeting_id, discussion_id):
    meeting = _chair_meeting(request, meeting_id)
    discussion = (
        discussions_shown(meeting)
        .select_related("case", "case__mother")
        .filter(pk=discussion_id)
        .first()
    )
    if discussion is None:
        raise Http404("No such family in this meeting")
    form = ReasonForm(_posted(request))
    if form.is_valid():
        services.cohort_remove(
            actor=request.user, context=audit_context(request), discussion=discussion,
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
        messages.success(request, f"{discussion.case.display_name} taken out of the cohort")
        return redirect(_meeting_url(meeting, "#cohort"))
    return render(
        request,
        "meetings/cohort_remove.html",
        {"nav": "meetings", "meeting": meeting, "discussion": discussion, "form": form},
    )


@login_required
def meeting_finalise(request, meeting_id):
    meeting = _chair_meeting(request, meeting_id)
    if meeting.is_finalised:
        return redirect(_meeting_url(meeting))
    if request.method == "POST":
        services.meeting_finalise(actor=request.user, context=audit_context(request),
                                  meeting=meeting)  # fmt: skip
        messages.success(request, "The record is finalised. Corrections are now addenda.")
        return redirect(_meeting_url(meeting))
    discussions = list(discussions_shown(meeting).select_related("case", "case__mother"))
    return render(
        request,
        "meetings/meeting_finalise.html",
        {
            "nav": "meetings",
            "meeting": meeting,
            "families": [d for d in discussions if d.in_cohort],
            "not_recorded": [d for d in discussions if d.in_cohort and not d.version],
            "attendance_missing": meeting.members.filter(attendance="").count(),
        },
    )


@login_required
def addendum_add(request, meeting_id):
    if not can_record_meetings(request.user):
        raise PermissionDenied("Only the meeting's members correct its record")
    meeting = meeting_for_user(request.user, meeting_id, context=audit_context(request),
                               audit=False)  # fmt: skip
    discussions = [d for d in discussions_shown(meeting).select_related("case", "case__mother")
                   if d.in_cohort]  # fmt: skip
    form = AddendumForm(_posted(request))
    form.fields["family"].choices += [(str(d.pk), d.case.display_name) for d in discussions]
    if form.is_valid():
        chosen = {str(d.pk): d for d in discussions}.get(form.cleaned_data["family"])
        try:
            services.addendum_add(
                actor=request.user, context=audit_context(request), meeting=meeting,
                discussion=chosen, text=form.cleaned_data["text"],
                reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Addendum added to the record")
            return redirect(_meeting_url(meeting, "#addenda"))
    return render(
        request, "meetings/addendum_add.html", {"nav": "meetings", "meeting": meeting, "form": form}
    )
