"""Decisions and plans: thin views. Parse input, call one service or selector, render."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import can_change_csc_decisions
from cases.selectors import case_for_user
from plans import services
from plans.forms import (
    KIND_SLUGS,
    SLUG_KINDS,
    BirthPlanForm,
    DecisionForm,
    KindForm,
    PloLetterForm,
)
from plans.selectors import birth_plan_versions, case_plans, decision_of
from rules import plo
from web.forms import names_version, seen_version, show_refusal, version_to_show
from web.pages import audit_context, render_case_page, withdraw_page


def _posted(request):
    return request.POST if request.method == "POST" else None


def _require_csc(user) -> None:
    if not can_change_csc_decisions(user):
        raise PermissionDenied("Only children's social care records decisions and plans")


def _index(case) -> str:
    return reverse("plans_index", kwargs={"case_id": case.id})


@login_required
@require_GET
def plans_index(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    plans = case_plans(case)
    return render_case_page(
        request, case, "plans/plans_index.html",
        {"plans": plans, "kind_form": KindForm(),
         "can_record": can_change_csc_decisions(request.user)},
    )  # fmt: skip


@login_required
@require_GET
def decision_choose(request, case_id):
    """ "Record a decision": which kind, then that kind's form."""
    case = case_for_user(request.user, case_id, context=audit_context(request))
    _require_csc(request.user)
    form = KindForm(request.GET if "kind" in request.GET else None)
    if form.is_bound and form.is_valid():
        return redirect(
            "plans_decision_record", case_id=case.id, kind=KIND_SLUGS[form.cleaned_data["kind"]]
        )
    return render_case_page(request, case, "plans/decision_choose.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def decision_record(request, case_id, kind):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if kind not in SLUG_KINDS:
        raise Http404("No such kind of decision")
    _require_csc(request.user)
    form = DecisionForm(_posted(request), kind=SLUG_KINDS[kind])
    if request.method == "POST" and form.is_valid():
        try:
            decision = services.decision_record(
                actor=request.user, context=audit_context(request), case=case,
                kind=form.kind, **form.values(),
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, f"{decision.get_kind_display()} recorded")
            return redirect(_index(case))
    return render_case_page(request, case, "plans/decision_record.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def decision_withdraw(request, case_id, decision_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    decision = decision_of(case, decision_id)
    _require_csc(request.user)
    return withdraw_page(
        request, case, partial(services.decision_withdraw, decision=decision),
        subject="the decision",
        hint="For example, recorded on the wrong case, or with the wrong date",
        done=f"{decision.get_kind_display()} withdrawn", done_url=_index(case),
        template="plans/decision_withdraw.html",
        context={"decision": decision,
                 "put_back": services.withdrawal_effects(decision)
                 if not decision.is_withdrawn else {}},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def birth_plan(request, case_id):
    """The birth plan: CSC records and changes it; everyone who can see the case reads it
    (the midwives need it on the day)."""
    case = case_for_user(request.user, case_id, context=audit_context(request))
    plans = case_plans(case)
    can_record = can_change_csc_decisions(request.user)
    if request.method == "POST":
        _require_csc(request.user)
    form = BirthPlanForm(_posted(request), initial=BirthPlanForm.initial_for(plans.birth_plan))
    existing = plans.birth_plan is not None
    if (
        request.method == "POST"
        and form.is_valid()
        and names_version(request, form, expected=existing)
    ):
        try:
            services.birth_plan_save(
                actor=request.user, context=audit_context(request), case=case,
                seen_version=seen_version(request), **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, "Birth plan saved")
            return redirect(_index(case))
    return render_case_page(
        request, case, "plans/birth_plan.html",
        {"form": form, "plan": plans.birth_plan, "can_record": can_record,
         "version": version_to_show(request, form, plans.birth_plan and plans.birth_plan.version),
         "versions": birth_plan_versions(plans.birth_plan)},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def plo_letter(request, case_id):
    """The PLO letter pack, its four enclosures ticked: sent only with all four."""
    case = case_for_user(request.user, case_id, context=audit_context(request))
    plans = case_plans(case)
    if request.method == "POST":
        _require_csc(request.user)
    form = PloLetterForm(_posted(request), initial=PloLetterForm.initial_for(plans.plo_letter))
    existing = plans.plo_letter is not None
    if (
        request.method == "POST"
        and form.is_valid()
        and names_version(request, form, expected=existing)
    ):
        try:
            letter = services.plo_letter_save(
                actor=request.user, context=audit_context(request), case=case,
                seen_version=seen_version(request), sent_on=form.cleaned_data["sent_on"],
                enclosed=form.cleaned_data["enclosed"],
            )  # fmt: skip
        except ValidationError as error:
            show_refusal(form, error)
        else:
            if letter is not None and letter.state.is_sent:
                messages.success(request, "PLO letter recorded as sent")
            elif letter is not None:
                messages.success(request, "PLO letter pack saved: not yet recorded as sent")
            return redirect(_index(case))
    missing = plans.plo_letter.state.missing if plans.plo_letter else plo.ENCLOSURE_NAMES
    return render_case_page(
        request, case, "plans/plo_letter.html",
        {"form": form, "letter": plans.plo_letter,
         "can_record": can_change_csc_decisions(request.user),
         "missing": [plo.enclosure_label(name) for name in missing],
         "version": version_to_show(request, form, plans.plo_letter and plans.plo_letter.version)},
    )  # fmt: skip
