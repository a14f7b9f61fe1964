"""Visits and case notes: thin views. A case the user cannot see is a 404 (the selector);
a role or agency that may not do this is a 403 (the services decide, and refuse too)."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from cases.selectors import case_for_user
from visits import services
from visits.forms import CaseNoteForm, VisitForm
from visits.selectors import note_of, visit_of, visits_and_notes
from web.pages import audit_context, render_case_page, withdraw_page


def _posted(request):
    """The submitted data, or None so a GET shows an unbound form."""
    return request.POST if request.method == "POST" else None


def _case_url(case) -> str:
    return reverse("case_detail", kwargs={"case_id": case.id})


def _list_url(case) -> str:
    return reverse("visit_list", kwargs={"case_id": case.id})


@login_required
@require_GET
def visit_list(request, case_id):
    found = visits_and_notes(request.user, case_id, context=audit_context(request))
    user = request.user
    return render_case_page(
        request,
        found.case,
        "visits/visit_list.html",
        {
            "visits": found.visits,
            "notes": found.notes,
            "can_record": services.can_record_visits(user),
            "can_note": bool(services.note_kinds_for(user)),
            "withdrawable": {v.pk for v in found.visits if services.can_withdraw_visit(user, v)},
            "notes_withdrawable": {
                n.pk for n in found.notes if services.can_withdraw_note(user, n)
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_record(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    types = services.visit_types_for(request.user)
    if not types:
        raise PermissionDenied("Your role does not record visits")
    form = VisitForm(_posted(request), types=types)
    if request.method == "POST" and form.is_valid():
        try:
            recorded = services.visit_record(
                actor=request.user, context=audit_context(request), case=case, **form.values()
            )
        except ValidationError as error:
            form.add_error(None, error)  # keyed by field: shown against the box typed in
        else:
            done = "".join(f" It completes: {title}." for title in recorded.milestones_done)
            messages.success(request, f"{recorded.visit.get_type_display()} recorded.{done}")
            return redirect(_case_url(case) + "#visits")
    return render_case_page(request, case, "visits/visit_record.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def visit_withdraw(request, case_id, visit_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    visit = visit_of(case, visit_id)
    if not services.can_withdraw_visit(request.user, visit):
        raise PermissionDenied("Only whoever recorded a visit, or their manager, withdraws it")
    return withdraw_page(
        request, case, partial(services.visit_withdraw, visit=visit), subject="this visit",
        hint="For example, recorded on the wrong case. The visit stays in the case's history,"
        " marked as withdrawn",
        done=lambda withdrawn: "Visit withdrawn." + "".join(
            f" Open again: {title}." for title in withdrawn.milestones_reopened),
        done_url=_list_url(case), template="visits/visit_withdraw.html",
        context={"visit": visit},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def case_note_add(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    kinds = services.note_kinds_for(request.user)
    if not kinds:
        raise PermissionDenied("Your role does not add case notes")
    form = CaseNoteForm(_posted(request), kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            note = services.case_note_add(
                actor=request.user, context=audit_context(request), case=case,
                kind=form.cleaned_data["kind"], text=form.cleaned_data["text"],
                on=form.cleaned_data["on"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{note.get_kind_display()} added")
            return redirect(_case_url(case) + "#visits")
    return render_case_page(request, case, "visits/case_note_add.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_note_withdraw(request, case_id, note_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    note = note_of(case, note_id)
    if not services.can_withdraw_note(request.user, note):
        raise PermissionDenied("Only whoever wrote a note, or their manager, withdraws it")
    return withdraw_page(
        request, case, partial(services.case_note_withdraw, note=note), subject="this note",
        hint="For example, written on the wrong case. The note stays in the case's history,"
        " marked as withdrawn",
        done=f"{note.get_kind_display()} withdrawn",
        done_url=_list_url(case) + "#notes", template="visits/case_note_withdraw.html",
        context={"note": note},
    )  # fmt: skip
