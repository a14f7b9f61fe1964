"""Pre-birth assessments: thin views. Who may do what is decided in the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.permissions import agency_in_sentence
from assessments import services
from assessments.forms import AgencyViewForm, AreaForm, ButtonForm, DecisionForm
from assessments.models import AssessmentState
from assessments.selectors import area_of, assessment_of, views_warning
from cases.selectors import case_for_user
from rules import assessment as rules
from web.forms import names_version, version_to_show
from web.pages import audit_context, render_case_page


def _posted(request):
    return request.POST if request.method == "POST" else None


def _add_errors(form, error: ValidationError) -> None:
    """A service's refusal in the error summary: against its field when the form has it."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(name if name in form.fields else None, item.messages)
    else:
        form.add_error(None, error)


def _detail_url(case) -> str:
    return reverse("assessment_detail", args=[case.id])


def _permissions(user, case, assessment) -> dict:
    writer = services.can_write_assessment(user, case)
    open_for_change = assessment is not None and assessment.open_for_change
    return {
        "can_open": writer and assessment is None and case.allocation_date is not None,
        "can_write": writer and open_for_change,
        "view_agency": services.view_agency_of(user, case) if open_for_change else None,
        "can_submit": writer
        and open_for_change
        and rules.may_submit(services.area_statuses(assessment)),
        "can_decide": assessment is not None
        and assessment.state == AssessmentState.SUBMITTED
        and services.decision_refusal(user, assessment) is None,
    }


@login_required
def assessment_detail(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    assessment = assessment_of(case)
    views = {view.agency: view for view in assessment.agency_views.all()} if assessment else {}
    return render_case_page(
        request, case, "assessments/assessment_detail.html",
        {"assessment": assessment, "areas": assessment.ordered_areas() if assessment else [],
         "agency_views": views, "not_allocated": case.allocation_date is None,
         **_permissions(request.user, case, assessment)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def assessment_open(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if not services.can_write_assessment(request.user, case):
        raise PermissionDenied("Only children's social care open the assessment")
    if assessment_of(case) is not None:
        return redirect(_detail_url(case))
    form = ButtonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_open(actor=request.user, context=audit_context(request), case=case)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Assessment opened")
            return redirect(_detail_url(case))
    return render_case_page(
        request, case, "assessments/assessment_open.html",
        {"form": form, "not_allocated": case.allocation_date is None},
    )  # fmt: skip


def _assessment_or_404(case):
    assessment = assessment_of(case)
    if assessment is None:
        raise Http404("This case's assessment is not open")
    return assessment


@login_required
@require_http_methods(["GET", "POST"])
def assessment_area(request, case_id, area):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    assessment = _assessment_or_404(case)
    row = area_of(assessment, area)
    permissions = _permissions(request.user, case, assessment)
    if request.method == "POST" and not permissions["can_write"]:
        raise PermissionDenied(
            services.READ_ONLY
            if not assessment.open_for_change
            else "Only children's social care write the assessment's areas"
        )
    form = AreaForm(_posted(request), area=row,
                    initial={"text": row.text, "version": row.version})  # fmt: skip
    meanwhile = None
    if request.method == "POST" and form.is_valid() and names_version(request, form):
        try:
            saved = services.area_save(
                actor=request.user, context=audit_context(request), assessment=assessment,
                code=row.code, text=form.cleaned_data["text"],
                action=form.cleaned_data["action"], version=form.cleaned_data["version"],
            )  # fmt: skip
        except services.ChangedMeanwhile as changed:
            meanwhile = changed.current
            form.add_error(
                None,
                "Someone else saved this area after you opened it, so your"
                " text has not been saved. What they saved is shown below;"
                " yours is still in the box. Combine them, then save again.",
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if saved.changed:
                done = (
                    "marked as completed"
                    if form.cleaned_data["action"] == rules.COMPLETE
                    else "saved as a draft"
                )
                messages.success(request, f"{row.title} {done}")
            if saved.analysis_reopened:
                messages.info(
                    request,
                    "The analysis is back in progress: complete it again"
                    " once the areas it is written from are completed",
                )
            return redirect(_detail_url(case))
    # Once they have been told of a save made meanwhile, the page carries its version.
    current = meanwhile.version if meanwhile is not None else row.version
    version = version_to_show(request, form, current, told=meanwhile is not None)
    return render_case_page(
        request, case, "assessments/area.html",
        {"assessment": assessment, "area": row, "form": form, "version": version,
         "meanwhile": meanwhile, "views": list(assessment.agency_views.all()),
         "views_warning": views_warning(assessment)
         if row.code == rules.VIEWS_OF_OTHER_AGENCIES else "",
         **permissions},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def assessment_agency_view(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    assessment = _assessment_or_404(case)
    agency = services.view_agency_of(request.user, case)
    if agency is None:
        raise PermissionDenied(
            "Only the case's named midwife or named health visitor adds their agency's view"
        )
    if not assessment.open_for_change:
        raise PermissionDenied(services.READ_ONLY)
    view = next((v for v in assessment.agency_views.all() if v.agency == agency), None)
    label = agency_in_sentence(agency)
    form = AgencyViewForm(_posted(request), agency_label=label,
                          initial={"text": view.text if view else "",
                                   "version": view.version if view else 0})  # fmt: skip
    meanwhile = None
    if request.method == "POST" and form.is_valid() and names_version(request, form):
        try:
            changed = services.agency_view_save(
                actor=request.user, context=audit_context(request), assessment=assessment,
                agency=agency, text=form.cleaned_data["text"],
                version=form.cleaned_data["version"],
            )  # fmt: skip
        except services.ChangedMeanwhile as error:
            meanwhile = error.current
            form.add_error(
                None,
                "Someone else saved your agency's view after you opened it,"
                " so your text has not been saved. What they saved is shown"
                " below; yours is still in the box.",
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            if changed:
                messages.success(request, f"The {label} view has been saved")
            return redirect(_detail_url(case))
    current = meanwhile.version if meanwhile is not None else (view.version if view else 0)
    version = version_to_show(request, form, current, told=meanwhile is not None)
    return render_case_page(
        request, case, "assessments/agency_view.html",
        {"assessment": assessment, "form": form, "version": version, "meanwhile": meanwhile,
         "agency_label": label, "view": view},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def assessment_submit(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    assessment = _assessment_or_404(case)
    if not services.can_write_assessment(request.user, case):
        raise PermissionDenied("Only children's social care send the assessment")
    form = ButtonForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_submit(
                actor=request.user, context=audit_context(request), assessment=assessment
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Assessment sent for authorisation")
            return redirect(_detail_url(case))
    statuses = services.area_statuses(assessment)
    waiting = [rules.area_title(code) for code in rules.not_completed(statuses)]
    return render_case_page(
        request, case, "assessments/submit.html",
        {"assessment": assessment, "form": form, "waiting": waiting,
         "areas": assessment.ordered_areas(), "views_warning": views_warning(assessment)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def assessment_decide(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    assessment = _assessment_or_404(case)
    refusal = services.decision_refusal(request.user, assessment)
    if refusal:
        raise PermissionDenied(refusal)
    if assessment.state != AssessmentState.SUBMITTED:
        messages.info(request, "This assessment is not waiting for authorisation")
        return redirect(_detail_url(case))
    form = DecisionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        authorise = form.cleaned_data["decision"] == DecisionForm.AUTHORISE
        try:
            services.assessment_decide(
                actor=request.user, context=audit_context(request), assessment=assessment,
                authorise=authorise, reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, "Assessment authorised" if authorise else "Assessment returned for changes"
            )
            return redirect(_detail_url(case))
    return render_case_page(
        request, case, "assessments/decide.html",
        {"assessment": assessment, "form": form, "areas": assessment.ordered_areas(),
         "agency_views": list(assessment.agency_views.all()),
         "views_warning": views_warning(assessment)},
    )  # fmt: skip
