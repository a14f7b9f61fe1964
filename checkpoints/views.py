"""Checkpoints and specialist assessments: thin views.

Each finds the case through case_for_user (404 outside the user's cases, the read
audited), refuses those who may not record (403; the services refuse them too), and
calls one service. Refusals go in the GOV.UK error summary with what was typed kept.
"""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.selectors import case_for_user
from checkpoints import services
from checkpoints.forms import FORMS, MeetingForm, SpecialistAssessmentForm
from checkpoints.models import CheckpointKind
from checkpoints.selectors import (
    checkpoint_tasks,
    checkpoint_title,
    current_checkpoint,
    meeting_warning,
    specialist_assessment_of,
    specialist_rows,
    withdrawn_checkpoints,
)
from web.forms import names_version, seen_version
from web.pages import audit_context, render_case_page, withdraw_page

WITHDRAW_HINT = "For example, recorded on the wrong case"


def _posted(request):
    """The submitted data, or None so a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def _require_recorder(user) -> None:
    if not services.can_record_checkpoints(user):
        raise PermissionDenied(services.NOT_A_RECORDER)


def _show_refusal(form, error: ValidationError) -> None:
    """A service's refusal against the fields it names (else at the top of the summary)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        if name == "attendees":
            name = "named" if "named" in form.fields else "attendee_1_agency"
        for message in errors:
            form.add_error(name if name in form.fields else None, message)


def _version(request, record) -> str:
    """The version a change form carries: the one first shown, so a change made meanwhile
    while someone corrects a mistake is still caught."""
    if record is None:
        return ""
    if request.method == "POST" and request.POST.get("version"):
        return request.POST["version"]
    return str(record.version)


def _list_url(case) -> str:
    return reverse("checkpoint_list", kwargs={"case_id": case.id})


@login_required
@require_GET
def checkpoint_list(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    return render_case_page(
        request, case, "checkpoints/checkpoint_list.html",
        {"tasks": checkpoint_tasks(case, timezone.now()), "assessments": specialist_rows(case),
         "can_record": services.can_record_checkpoints(request.user)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_record(request, case_id, milestone_id):
    """Record a checkpoint, or correct the one recorded."""
    form_class = FORMS.get(milestone_id)
    if form_class is None:
        raise Http404("Not a checkpoint")
    case = case_for_user(request.user, case_id, context=audit_context(request))
    _require_recorder(request.user)
    current = current_checkpoint(case, milestone_id)
    stored = services.checkpoint_details(current) if current else None
    extra = {"rows": MeetingForm.rows_for(stored, case)} if form_class is MeetingForm else {}
    initial = form_class.initial_from(stored, case) if stored else {}
    form = form_class(_posted(request), initial=initial, case=case, **extra)
    posted = request.method == "POST" and form.is_valid()
    if posted and names_version(request, form, expected=current is not None):
        context = audit_context(request)
        try:
            if current is None:
                checkpoint = services.checkpoint_record(
                    actor=request.user, context=context, case=case, kind=milestone_id,
                    details=form.details(),
                )  # fmt: skip
            else:
                checkpoint = services.checkpoint_change(
                    actor=request.user, context=context, checkpoint=current,
                    details=form.details(), seen_version=seen_version(request),
                )  # fmt: skip
        except ValidationError as error:
            _show_refusal(form, error)
        else:
            label = CheckpointKind(milestone_id).label
            messages.success(request, f"{label} {'recorded' if current is None else 'saved'}")
            warning = meeting_warning(checkpoint)
            if warning:
                messages.error(request, warning)
            return redirect(_list_url(case))
    return render_case_page(
        request, case, "checkpoints/checkpoint_form.html",
        {"form": form, "kind": CheckpointKind(milestone_id), "current": current,
         "title": checkpoint_title(milestone_id),
         "warning": meeting_warning(current) if current else "",
         "version": _version(request, current),
         "withdrawn": withdrawn_checkpoints(case, milestone_id)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def checkpoint_withdraw(request, case_id, milestone_id):
    if milestone_id not in CheckpointKind.values:
        raise Http404("Not a checkpoint")
    case = case_for_user(request.user, case_id, context=audit_context(request))
    _require_recorder(request.user)
    current = current_checkpoint(case, milestone_id)
    if current is None:
        raise Http404("Nothing recorded to withdraw")
    label = CheckpointKind(milestone_id).label
    return withdraw_page(
        request, case, partial(services.checkpoint_withdraw, checkpoint=current),
        subject="this record", hint=WITHDRAW_HINT, done=f"{label} withdrawn",
        done_url=_list_url(case), template="checkpoints/withdraw.html",
        context={"title": label, "reopens": True,
                 "back_url": reverse("checkpoint_record", kwargs={"case_id": case.id,
                                                                  "milestone_id": milestone_id})},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def specialist_assessment_request(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    _require_recorder(request.user)
    form = SpecialistAssessmentForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.specialist_assessment_request(
                actor=request.user, context=audit_context(request), case=case,
                details=form.details(),
            )  # fmt: skip
        except ValidationError as error:
            _show_refusal(form, error)
        else:
            messages.success(request, "Specialist assessment recorded")
            return redirect(_list_url(case) + "#specialist-assessments")
    return render_case_page(request, case, "checkpoints/specialist_form.html",
                            {"form": form, "assessment": None})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def specialist_assessment_update(request, case_id, specialist_assessment_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    # The record first: another case's id is "not found" whoever asks (nothing to probe).
    assessment = specialist_assessment_of(case, specialist_assessment_id)
    _require_recorder(request.user)
    if assessment.withdrawn_at is not None:
        raise Http404("This specialist assessment was withdrawn")
    initial = SpecialistAssessmentForm.initial_from(services.specialist_details(assessment))
    form = SpecialistAssessmentForm(_posted(request), initial=initial)
    if request.method == "POST" and form.is_valid() and names_version(request, form):
        try:
            services.specialist_assessment_update(
                actor=request.user, context=audit_context(request), assessment=assessment,
                details=form.details(), seen_version=seen_version(request),
            )  # fmt: skip
        except ValidationError as error:
            _show_refusal(form, error)
        else:
            messages.success(request, f"{assessment.name} saved")
            return redirect(_list_url(case) + "#specialist-assessments")
    return render_case_page(request, case, "checkpoints/specialist_form.html",
                            {"form": form, "assessment": assessment,
                             "version": _version(request, assessment)})  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def specialist_assessment_withdraw(request, case_id, specialist_assessment_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    # The record first: another case's id is "not found" whoever asks (nothing to probe).
    assessment = specialist_assessment_of(case, specialist_assessment_id)
    _require_recorder(request.user)
    if assessment.withdrawn_at is not None:
        raise Http404("This specialist assessment was withdrawn")
    return withdraw_page(
        request, case, partial(services.specialist_assessment_withdraw, assessment=assessment),
        subject="this record", hint=WITHDRAW_HINT, done=f"{assessment.name} withdrawn",
        done_url=_list_url(case) + "#specialist-assessments",
        template="checkpoints/withdraw.html",
        context={"title": assessment.name, "reopens": False,
                 "back_url": reverse("specialist_assessment_update",
                                     kwargs={"case_id": case.id,
                                             "specialist_assessment_id": assessment.id})},
    )  # fmt: skip
