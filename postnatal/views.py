"""Birth and after: thin views. Parse the form, call one service, render or redirect."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import can_change_cases
from cases.selectors import case_for_user
from cases.services import ChangedMeanwhile
from postnatal import selectors, services
from postnatal.forms import (
    REVIEW_OUTCOMES,
    DischargePlanningMeetingForm,
    ReviewForm,
    VisitScheduleForm,
    row_count,
)
from postnatal.models import EXPECTED_AGENCIES, VisitingAgency
from rules.dates import format_date, format_datetime
from web.forms import names_version, seen_version, show_refusal
from web.pages import audit_context, render_case_page, withdraw_page


def _posted(request):
    return request.POST if request.method == "POST" else None


def _tasks_url(case) -> str:
    return reverse("postnatal_after_birth", kwargs={"case_id": case.id})


def _case_for_recording(request, case_id, *, csc_only: bool = True):
    """A case the user may see (else 404), whose live birth is recorded (else 404: there
    is nothing to record yet); someone who may not record this gets 403."""
    if csc_only and not services.can_record_after_birth(request.user):
        # Still a 404 for a case they cannot see: ids are not probed through a 403.
        case_for_user(request.user, case_id, context=audit_context(request))
        raise PermissionDenied(services.ONLY_CSC)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if not case.is_born:
        raise Http404("Nothing after the birth can be recorded before a live birth is recorded")
    return case


@login_required
def after_birth(request, case_id):
    """The task list of the work after the birth, for everyone who can read the case."""
    after = selectors.after_birth_for_user(request.user, case_id, context=audit_context(request))
    user = request.user
    return render_case_page(
        request, after.case, "postnatal/after_birth.html",
        {"after": after, "can_record": services.can_record_after_birth(user),
         "can_change_visits": bool(services.visit_agencies_for(user)),
         "can_change": can_change_cases(user), **_task_texts(after)},
    )  # fmt: skip


def _task_texts(after) -> dict:
    """What each task of the list says beside its name, and its status without a milestone."""
    case, meeting, schedule = after.case, after.meeting, after.schedule
    texts = {"not_yet": "After the birth" if not case.is_born else "Not needed"}
    babies = list(case.babies.all())
    if case.birth_date:
        born = ", ".join(format_datetime(timezone.localtime(b.born_at)) for b in babies)
        texts["birth_hint"] = f"Born {born}" if born else f"Born {format_date(case.birth_date)}"
    texts["birth_status"] = case.get_outcome_display() if case.outcome else "Not recorded yet"
    if meeting is not None:
        texts["meeting_hint"] = (
            f"Held {format_date(meeting.held_on)}. Placement confirmed:"
            f" {meeting.get_placement_display().lower()}."
        )
        if meeting.missing_agencies:
            texts["meeting_warning"] = _missing_text(meeting.missing_agencies)
    else:
        texts["meeting_hint"] = "Held after the birth, before the baby leaves hospital."
    facts = []
    if case.planned_discharge_date:
        facts.append(f"Planned to leave hospital {format_date(case.planned_discharge_date)}.")
    if case.discharge:
        facts.append(f"Left hospital {format_datetime(timezone.localtime(case.discharge))}.")
    if case.placement:
        since = f" from {format_date(case.placement_date)}" if case.placement_date else ""
        facts.append(f"Placement: {case.get_placement_display().lower()}{since}.")
    texts["discharge_hint"] = " ".join(facts) or "Changed on the case's facts."
    texts["discharge_status"] = (
        "Left hospital" if case.discharge else "In hospital" if case.is_born else "After the birth"
    )
    if schedule is not None:
        count = len(schedule.visits.all())
        agreed = (f"agreed {format_date(schedule.agreed_on)}" if schedule.agreed_on
                  else "not yet agreed")  # fmt: skip
        texts["schedule_hint"] = f"{count} planned visit{'s' if count != 1 else ''}, {agreed}."
        texts["schedule_status"] = "Agreed" if schedule.agreed_on else "Not yet agreed"
    else:
        texts["schedule_hint"] = (
            "For a baby going home or to wider family: the visits each agency will make."
        )
        texts["schedule_status"] = texts["not_yet"]
    for key, record, needed in (
        ("review", after.review_conference, "Within four weeks of the birth, with a child"
         " protection plan."),
        ("midpoint", after.midpoint_review, "At 6 to 8 weeks of a parent and child placement."),
    ):  # fmt: skip
        if record is not None:
            texts[f"{key}_hint"] = (
                f"Held {format_date(record.held_on)}: {record.get_outcome_display().lower()}."
            )
            texts[f"{key}_status"] = "Held"
        else:
            texts[f"{key}_hint"] = needed
            texts[f"{key}_status"] = texts["not_yet"]
    return texts


@login_required
@require_http_methods(["GET", "POST"])
def discharge_planning_meeting(request, case_id):
    case = _case_for_recording(request, case_id)
    meeting = selectors.current_meeting(case)
    data = _posted(request)
    adding = data is not None and "add_row" in data
    existing = len(meeting.attendees.all()) + 1 if meeting else 4
    rows = row_count(data, at_least=existing, adding=adding)
    initial = DischargePlanningMeetingForm.initial_for(meeting, case)
    if adding:
        form = DischargePlanningMeetingForm(data=None, initial=_typed(data), rows=rows, case=case)
    else:
        form = DischargePlanningMeetingForm(data, initial=initial, rows=rows, case=case)
    if data is not None and not adding and form.is_valid() and names_version(request, form):
        try:
            services.discharge_planning_meeting_save(
                actor=request.user, context=audit_context(request), case=case,
                details=form.details(), seen_version=seen_version(request),
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            # Any agency missing is warned of on the task list, beside the meeting.
            messages.success(request, "Discharge planning meeting saved")
            return redirect(_tasks_url(case))
    changed_meanwhile = form.is_bound and form.has_error(NON_FIELD_ERRORS, ChangedMeanwhile.code)
    version = request.POST.get("version", "") if data is not None else ""
    if data is None or changed_meanwhile or not version:
        version = str(case.version)
    missing = _missing_agencies(form, meeting)
    return render_case_page(
        request, case, "postnatal/discharge_planning_meeting.html",
        {"form": form, "meeting": meeting, "version": version,
         "missing_text": _missing_text(missing) if missing else "", "can_add_row": rows < 30},
    )  # fmt: skip


def _typed(data) -> dict:
    """What was typed, to show again on a page with one more row (not checked yet)."""
    typed = {name: data.get(name) for name in data if name != "csrfmiddlewaretoken"}
    for name in ("held_on", "planned_discharge_date", "record_distributed_on", "agreed_on"):
        typed[name] = [data.get(f"{name}_{part}", "") for part in ("day", "month", "year")]
    return typed


def _missing_agencies(form, meeting) -> list[str]:
    """The expected agencies not among the attendees on the page (as typed, once posted)."""
    if form.is_bound:
        present = {form.data.get(f"attendee_{n}_agency") for n in range(1, form.rows + 1)
                   if (form.data.get(f"attendee_{n}_name") or "").strip()}  # fmt: skip
        return [a.label for a in EXPECTED_AGENCIES if a.value not in present]
    return meeting.missing_agencies if meeting else []


def _missing_text(missing: list[str]) -> str:
    names = " or ".join(name.lower() for name in missing)
    return (
        f"No one from {names} is recorded as attending. The meeting should include"
        " children's social care, midwifery and public health nursing."
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_schedule(request, case_id):
    agencies = services.visit_agencies_for(request.user)
    if not agencies:
        case_for_user(request.user, case_id, context=audit_context(request))
        raise PermissionDenied("You cannot change the visit schedule")
    case = _case_for_recording(request, case_id, csc_only=False)
    schedule = selectors.current_schedule(case)
    mine = [v for v in schedule.visits.all() if v.agency in agencies] if schedule else []
    others = [v for v in schedule.visits.all() if v.agency not in agencies] if schedule else []
    data = _posted(request)
    adding = data is not None and "add_row" in data
    rows = row_count(data, at_least=len(mine) + (1 if mine else 3), adding=adding)
    initial = VisitScheduleForm.initial_for(schedule, agencies)
    if adding:
        form = VisitScheduleForm(initial=_typed(data), rows=rows, agencies=agencies, case=case)
    else:
        form = VisitScheduleForm(data, initial=initial, rows=rows, agencies=agencies, case=case)
    if data is not None and not adding and form.is_valid():
        agreement = (
            {"agreed_on": form.cleaned_data["agreed_on"], "notes": form.cleaned_data["notes"]}
            if form.agrees
            else {}
        )
        try:
            services.visit_schedule_save(
                actor=request.user, context=audit_context(request), case=case,
                visits=form.visits(), **agreement,
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Visit schedule saved")
            return redirect(_tasks_url(case))
    own = VisitingAgency(form.own_agency).label if form.own_agency else ""
    return render_case_page(
        request, case, "postnatal/visit_schedule.html",
        {"form": form, "schedule": schedule, "others": others, "own_agency": own,
         "can_add_row": rows < 30},
    )  # fmt: skip


REVIEWS = {
    "review_conference": {
        "title": "Child protection review conference",
        "date_label": "date of the conference",
        "save": services.review_conference_save,
        "withdraw": services.review_conference_withdraw,
        "current": selectors.current_review_conference,
    },
    "midpoint_review": {
        "title": "Parent and child placement mid-point review",
        "date_label": "date of the review",
        "save": services.midpoint_review_save,
        "withdraw": services.midpoint_review_withdraw,
        "current": selectors.current_midpoint_review,
    },
}


@login_required
@require_http_methods(["GET", "POST"])
def review(request, case_id, kind):
    case = _case_for_recording(request, case_id)
    what = REVIEWS[kind]
    record = what["current"](case)
    initial = {"held_on": record.held_on, "outcome": record.outcome, "notes": record.notes} if (
        record) else {}  # fmt: skip
    form = ReviewForm(
        _posted(request), initial=initial, outcomes=REVIEW_OUTCOMES[kind],
        date_label=what["date_label"], case=case,
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        try:
            what["save"](actor=request.user, context=audit_context(request), case=case,
                         **form.cleaned_data)  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{what['title']} saved")
            return redirect(_tasks_url(case))
    return render_case_page(
        request, case, "postnatal/review.html",
        {"form": form, "record": record, "title": what["title"], "kind": kind},
    )  # fmt: skip


WITHDRAWALS = {
    "discharge_planning_meeting": ("the discharge planning meeting",
                                   services.discharge_planning_meeting_withdraw,
                                   selectors.current_meeting),
    "visit_schedule": ("the visit schedule", services.visit_schedule_withdraw,
                       selectors.current_schedule),
    "review_conference": ("the review conference", services.review_conference_withdraw,
                          selectors.current_review_conference),
    "midpoint_review": ("the mid-point review", services.midpoint_review_withdraw,
                        selectors.current_midpoint_review),
}  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def withdraw(request, case_id, kind):
    """Withdraw a record made in error (children's social care): it stays in the history."""
    if not services.can_record_after_birth(request.user):
        case_for_user(request.user, case_id, context=audit_context(request))
        raise PermissionDenied(services.ONLY_CSC)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    name, service, current = WITHDRAWALS[kind]
    record = current(case)
    if record is None:
        raise Http404("Nothing is recorded to withdraw")
    return withdraw_page(
        request, case, partial(service, case=case), subject="this record",
        hint="For example, \u201cRecorded on the wrong family\u201d. The record stays in the"
        " case's history, marked withdrawn.",
        done=f"The record of {name} has been withdrawn", done_url=_tasks_url(case),
        template="postnatal/withdraw.html", context={"name": name, "record": record},
    )  # fmt: skip
