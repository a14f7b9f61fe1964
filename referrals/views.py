"""Referrals and allocation: thin views."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from cases.selectors import case_for_user
from referrals.forms import AllocationForm, ReferralForm
from referrals.selectors import (
    QUEUE_ORDERS,
    allocatable_workers,
    allocation_queue_page,
    case_referral_summary,
    referral_of,
    risk_factors_by_code,
)
from referrals.services import can_allocate, can_record_referral, case_allocate, referral_record
from web.forms import names_version, seen_version, version_to_show
from web.pages import audit_context, render_case_page


def _posted(request):
    """The submitted data, or None so a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def _case_url(case, anchor: str = "referral") -> str:
    return reverse("case_detail", kwargs={"case_id": case.id}) + f"#{anchor}"


def _save(form, save) -> bool:
    """Call the service; its refusals go against the boxes (or in the summary)."""
    try:
        save()
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def referral_change(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if not can_record_referral(request.user):
        raise PermissionDenied("Only children's social care records the referral")
    referral = referral_of(case)
    keep = {factor.code for factor in referral.risk_factors.all()} if referral else set()
    form = ReferralForm(
        _posted(request), initial=ReferralForm.initial_for(case, referral), case=case, keep=keep
    )
    if request.method == "POST" and form.is_valid() and names_version(request, form):
        saved = _save(form, lambda: referral_record(
            actor=request.user, context=audit_context(request), case=case,
            risk_factors=risk_factors_by_code(form.codes()),
            seen_version=seen_version(request), **form.values(),
        ))  # fmt: skip
        if saved:
            messages.success(request, "Referral saved" if referral else "Referral recorded")
            return redirect(_case_url(case))
    return render_case_page(
        request, case, "referrals/referral_form.html",
        {"form": form, "referral": referral,
         "version": version_to_show(request, form, case.version)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def allocate(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if not can_allocate(request.user):
        raise PermissionDenied("Only a team manager allocates a case")
    form = AllocationForm(
        _posted(request),
        initial={"allocated_to": case.named_social_worker_id},
        case=case,
        workers=allocatable_workers(case),
    )
    if request.method == "POST" and form.is_valid() and names_version(request, form):
        data = form.cleaned_data
        saved = _save(form, lambda: case_allocate(
            actor=request.user, context=audit_context(request), case=case,
            allocated_to=data["allocated_to"], allocated_on=data["allocated_on"],
            directions=data["directions"], seen_version=seen_version(request),
        ))  # fmt: skip
        if saved:
            messages.success(request, "Case allocated")
            return redirect(_case_url(case, "allocation"))
    return render_case_page(
        request, case, "referrals/allocate.html",
        {"form": form, "summary": case_referral_summary(case),
         "version": version_to_show(request, form, case.version)},
    )  # fmt: skip


@login_required
@require_GET
def allocation_queue(request):
    if not can_allocate(request.user):
        raise PermissionDenied("The allocation queue is for team managers")
    sort = request.GET.get("sort", "")
    sort = sort if sort in QUEUE_ORDERS else "waiting"
    today = timezone.localdate()
    page = allocation_queue_page(
        request.user, context=audit_context(request), today=today, sort=sort,
        page_number=request.GET.get("page", 1),
    )  # fmt: skip
    return render(
        request, "referrals/allocation_queue.html",
        {"page": page, "sort": sort, "today": today, "nav": "allocations"},
    )  # fmt: skip
