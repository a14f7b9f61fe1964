"""Case register pages. Thin: parse input, call one service or selector, render."""

from datetime import date, datetime
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import (
    can_change_cases,
    can_change_csc_decisions,
    can_read_case_audit,
    can_read_cases,
    can_restrict_case,
    can_restrict_cases,
)
from cases import services
from cases.forms import (
    MAX_BABIES,
    BabyDeathForm,
    CaseDetailsForm,
    CaseFactsForm,
    CaseRegisterForm,
    CaseSearchForm,
    EddReviseForm,
    LiftRestrictionForm,
    OutcomeForm,
    PartnerForm,
    RestrictionForm,
)
from cases.models import LOSS_OUTCOMES
from cases.selectors import (
    CaseFilters,
    PossibleDuplicates,
    baby_of,
    case_audit_page,
    case_for_user,
    case_search,
    could_see,
    possible_duplicates,
    restriction_of,
)
from rules.dates import format_date, format_datetime
from timeline.selectors import milestone_rows
from web.forms import DATE_PARTS, DateInputField, names_version, seen_version, version_to_show
from web.pages import audit_context, render_case_page, withdraw_page


def _posted(request):
    """The submitted data, or None so a GET shows an unbound form (an empty POST is bound)."""
    return request.POST if request.method == "POST" else None


def _typed(data, form_class) -> dict:
    """What was typed, as initial values for an unbound form: shown again, not checked."""
    typed = {name: data.get(name) for name in data if name != "csrfmiddlewaretoken"}
    for name, field in form_class.base_fields.items():
        if isinstance(field, DateInputField):
            typed[name] = [data.get(f"{name}_{part}", "") for part in DATE_PARTS]
    return typed


def _describe(case, name: str, value) -> str:
    """A field's value as the pages show it."""
    if value is None or value == "":
        return "Not recorded"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return format_datetime(value)
    if isinstance(value, date):
        return format_date(value)
    choices = dict(case._meta.get_field(name).flatchoices)
    if value in choices:
        return str(choices[value])
    return getattr(value, "get_full_name", lambda: "")() or str(value)


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def _differences(case, entered: dict) -> list[dict]:
    """After a change made meanwhile: where what was entered and the case now differ."""
    return [
        {
            "label": _first_upper(str(case._meta.get_field(name).verbose_name)),
            "now": _describe(case, name, getattr(case, name)),
            "entered": _describe(case, name, value),
        }
        for name, value in entered.items()
        if getattr(case, name) != value
    ]


def _versioned_change(request, case, form, template, *, entered, save, done, next_url):
    """A change form whose page carries the case version it showed. On a valid POST:
    `entered()` gives the values, `save(values, seen_version)` calls the service. A change
    saved meanwhile shows what differs; any refusal goes in the error summary, with what
    was typed kept."""
    differences = []
    if request.method == "POST" and form.is_valid() and names_version(request, form):
        values = entered()  # before the service reloads the case
        try:
            save(values, seen_version(request))
        except services.ChangedMeanwhile as error:
            form.add_error(None, error)
            differences = _differences(case, values)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done)
            return redirect(next_url)
    return render_case_page(
        request, case, template,
        {"form": form, "version": version_to_show(request, form, case.version),
         "differences": differences},
    )  # fmt: skip


def _require_reader(user) -> None:
    if not can_read_cases(user):
        raise PermissionDenied("Your role does not give access to case data")


def _require_writer(user) -> None:
    if not can_change_cases(user):
        raise PermissionDenied("Your role cannot change cases")


@login_required
def case_list(request):
    _require_reader(request.user)
    form = CaseSearchForm(request.GET or None, user=request.user)
    filters = CaseFilters(**form.cleaned_data) if form.is_valid() else CaseFilters()
    page = case_search(
        request.user,
        context=audit_context(request),
        filters=filters,
        page_number=request.GET.get("page"),
    )
    return render(
        request,
        "cases/case_list.html",
        {"form": form, "page_obj": page, "sort": filters.sort, "nav": "cases"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_register(request):
    _require_writer(request.user)
    form = CaseRegisterForm(_posted(request), user=request.user)
    duplicates = PossibleDuplicates()
    if request.method == "POST" and form.is_valid():
        # A mother matching an open case: warn first; go on only with a reason.
        duplicates = possible_duplicates(
            request.user, context=audit_context(request), mother=form.mother()
        )
        reason = ""
        if duplicates and "register_anyway" in request.POST:
            reason = form.duplicate_reason_given()
        if not duplicates or reason:
            case = services.case_register(
                actor=request.user,
                context=audit_context(request),
                mother=form.mother(),
                partner=form.partner(),
                edd=form.cleaned_data["edd"],
                possible_duplicates=duplicates.case_ids,
                duplicate_reason=reason or "",
                **form.details(),
            )
            messages.success(request, f"{case.display_name} registered")
            return redirect("case_detail", case_id=case.id)
    return render(
        request,
        "cases/case_register.html",
        {"form": form, "duplicates": duplicates, "nav": "register"},
    )


@login_required
def case_detail(request, case_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    return render_case_page(
        request,
        case,
        "cases/case_detail.html",
        {
            "partners": case.partners.select_related("person"),
            "babies": case.babies.all(),
            "edd_revisions": case.edd_revisions.select_related("recorded_by"),
            "can_change": can_change_cases(request.user),
            "can_read_audit": can_read_case_audit(request.user),
            "can_restrict": can_restrict_case(request.user, case),
            "is_loss": case.outcome in LOSS_OUTCOMES,
            "attention": [
                row
                for row in milestone_rows(case, timezone.now())
                if row.status in {"overdue", "due_soon"}
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_details_change(request, case_id):
    _require_writer(request.user)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    initial = {name: getattr(case, name) for name in CaseDetailsForm.base_fields}
    form = CaseDetailsForm(_posted(request), initial=initial, user=request.user)
    if not can_change_csc_decisions(request.user):
        del form.fields["csc_input"]  # children's social care's to set; shown on the case
    # A named professional outside the case's locality may still keep it there.
    form.fields["locality"].queryset = form.fields["locality"].queryset | type(
        case.locality
    ).objects.filter(id=case.locality_id)
    return _versioned_change(
        request, case, form, "cases/case_details_change.html",
        entered=form.details,
        save=lambda values, seen: services.case_update_details(
            actor=request.user, context=audit_context(request), case=case,
            seen_version=seen, **values,
        ),
        done="Case details updated",
        next_url=reverse("case_detail", kwargs={"case_id": case.id}),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def edd_revise(request, case_id):
    _require_writer(request.user)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if case.outcome:
        raise PermissionDenied("The outcome is recorded: the due date can no longer change")
    form = EddReviseForm(_posted(request), current_edd=case.edd)
    return _versioned_change(
        request, case, form, "cases/edd_revise.html",
        entered=lambda: {"edd": form.cleaned_data["edd"]},
        save=lambda values, seen: services.edd_revise(
            actor=request.user, context=audit_context(request), case=case, edd=values["edd"],
            reason=form.cleaned_data["reason"], seen_version=seen,
        ),
        done="Expected due date revised",
        next_url=reverse("case_detail", kwargs={"case_id": case.id}),
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def partner_add(request, case_id):
    _require_writer(request.user)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    form = PartnerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.partner_add(
            actor=request.user,
            context=audit_context(request),
            case=case,
            person=form.person(),
            relationship=form.cleaned_data["relationship"],
        )
        messages.success(request, "Father or partner added")
        return redirect(reverse("case_detail", kwargs={"case_id": case.id}) + "#people")
    return render_case_page(request, case, "cases/partner_add.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def outcome_record(request, case_id):
    _require_writer(request.user)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if case.outcome:
        raise PermissionDenied("The outcome of this pregnancy is already recorded")
    try:
        babies = int(request.POST.get("babies") or request.GET.get("babies") or 1)
    except ValueError:
        babies = 1
    adding = request.method == "POST" and "add_baby" in request.POST
    babies = max(1, min(babies + adding, MAX_BABIES))
    if adding:
        # Another baby's fields: show the form again with everything typed, no errors yet.
        form = OutcomeForm(initial=_typed(request.POST, OutcomeForm), babies=babies)
    else:
        form = OutcomeForm(_posted(request), babies=babies)
    if request.method == "POST" and not adding and form.is_valid():
        try:
            services.outcome_record(
                actor=request.user,
                context=audit_context(request),
                case=case,
                outcome=form.cleaned_data["outcome"],
                outcome_date=form.cleaned_data["outcome_date"],
                babies=form.babies(),
            )
        except ValidationError as error:  # e.g. someone else recorded it meanwhile
            form.add_error(None, error)
            return render_case_page(
                request, case, "cases/outcome_record.html",
                {"form": form, "can_add_baby": False},
            )  # fmt: skip
        if case.is_loss:
            messages.success(request, "Outcome recorded. All reminders for this case have stopped.")
        else:
            messages.success(request, "Birth recorded")
        return redirect("case_detail", case_id=case.id)
    return render_case_page(
        request,
        case,
        "cases/outcome_record.html",
        {"form": form, "can_add_baby": form.baby_count < MAX_BABIES},
    )


@login_required
@require_http_methods(["GET", "POST"])
def baby_death_record(request, case_id, birth_order):
    _require_writer(request.user)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    baby = baby_of(case, birth_order)
    if request.method == "GET" and baby.died_on is not None:
        raise Http404("This baby's death is already recorded")
    if not case.birth_date:
        raise PermissionDenied("A death can only be recorded after the birth is recorded")
    born_on = timezone.localtime(baby.born_at).date()
    form = BabyDeathForm(_posted(request), born_on=born_on)
    if request.method == "POST" and form.is_valid():
        try:
            services.baby_death_record(
                actor=request.user, context=audit_context(request), case=case, baby=baby,
                died_on=form.cleaned_data["died_on"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "The baby's death has been recorded")
            return redirect("case_detail", case_id=case.id)
    return render_case_page(
        request, case, "cases/baby_death_record.html", {"form": form, "baby": baby}
    )


@login_required
@require_http_methods(["GET", "POST"])
def baby_death_withdraw(request, case_id, birth_order):
    _require_writer(request.user)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    baby = baby_of(case, birth_order)
    if request.method == "GET" and baby.died_on is None:
        raise Http404("No death is recorded for this baby")
    return withdraw_page(
        request, case, partial(services.baby_death_withdraw, case=case, baby=baby),
        subject="the record of this death", hint="For example, recorded against the wrong twin",
        done="The record of the baby's death has been withdrawn",
        done_url=reverse("case_detail", kwargs={"case_id": case.id}),
        template="cases/baby_death_withdraw.html", context={"baby": baby},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def case_facts_change(request, case_id):
    _require_writer(request.user)
    case = case_for_user(request.user, case_id, context=audit_context(request))
    form = CaseFactsForm(
        _posted(request), initial=CaseFactsForm.initial_for(case), case=case,
        csc=can_change_csc_decisions(request.user),
    )  # fmt: skip
    return _versioned_change(
        request, case, form, "cases/case_facts_change.html",
        entered=form.facts,
        save=lambda values, seen: services.case_facts_update(
            actor=request.user, context=audit_context(request), case=case,
            seen_version=seen, **values,
        ),
        done="Facts updated: the timeline has been recalculated",
        next_url=reverse("case_timeline", kwargs={"case_id": case.id}),
    )  # fmt: skip


@login_required
def case_audit(request, case_id):
    """Who has read or changed this case. For team and operations managers."""
    case, page = case_audit_page(
        request.user, case_id, context=audit_context(request), page_number=request.GET.get("page")
    )
    return render_case_page(request, case, "audit/case_audit.html", {"page_obj": page})


@login_required
@require_http_methods(["GET", "POST"])
def case_restrict(request, case_id):
    """Restrict the case to named people, or change who they are: a manager of its locality."""
    if not can_restrict_cases(request.user):
        raise PermissionDenied("Only a team manager or operations manager restricts a case")
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if not can_restrict_case(request.user, case):
        raise PermissionDenied("Only a manager of the case's locality restricts it")
    restriction = restriction_of(case)
    initial = (
        {"users": list(restriction.users.all()), "reason": restriction.reason}
        if restriction
        else {"users": [request.user]}
    )
    form = RestrictionForm(
        _posted(request), initial=initial, people=could_see(case), actor=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_restrict(
                actor=request.user, context=audit_context(request), case=case,
                users=list(form.cleaned_data["users"]), reason=form.cleaned_data["reason"],
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if request.user not in form.cleaned_data["users"]:
                messages.success(
                    request, f"Case {case.reference} restricted. You no longer see it."
                )
                return redirect("case_list")
            messages.success(
                request, "Case restricted" if restriction is None else "Restriction changed"
            )
            return redirect("case_detail", case_id=case.id)
    return render_case_page(
        request, case, "cases/case_restrict.html", {"form": form, "restriction": restriction}
    )


@login_required
@require_http_methods(["GET", "POST"])
def case_unrestrict(request, case_id):
    """Lift the case's restriction, with a reason: a manager of its locality."""
    if not can_restrict_cases(request.user):
        raise PermissionDenied("Only a team manager or operations manager lifts a restriction")
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if not can_restrict_case(request.user, case):
        raise PermissionDenied("Only a manager of the case's locality lifts its restriction")
    restriction = restriction_of(case)
    if restriction is None:
        raise Http404("The case is not restricted")
    form = LiftRestrictionForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        services.case_unrestrict(
            actor=request.user, context=audit_context(request), case=case,
            reason=form.cleaned_data["reason"],
        )  # fmt: skip
        messages.success(request, "Restriction lifted")
        return redirect("case_detail", case_id=case.id)
    return render_case_page(
        request, case, "cases/case_unrestrict.html", {"form": form, "restriction": restriction}
    )
