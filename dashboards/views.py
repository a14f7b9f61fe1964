"""My work, the team view and the locality view. Thin: filter, sort, paginate, render."""

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Locality, RoleCode
from accounts.permissions import can_read_cases
from cases.models import CscInput
from dashboards import selectors
from timeline.presentation import STATUS_LABELS, due_text, usual_warning
from timeline.services import active_protocol
from web.pages import audit_case_list

MANAGERS = (RoleCode.TEAM_MANAGER, RoleCode.OPERATIONS_MANAGER)
DRIFT_SORTS = {
    "edd": (F("edd").asc(), "id"),
    "-edd": (F("edd").desc(), "id"),
    "overdue": (F("overdue_count").desc(), F("edd").asc(), "id"),
    "next_due": (F("next_due_date").asc(nulls_last=True), "id"),
}


class DriftFilterForm(forms.Form):
    locality = forms.ModelChoiceField(
        label="Locality", queryset=Locality.objects.none(), required=False, empty_label="All"
    )
    csc_input = forms.ChoiceField(
        label="Level of CSC input", choices=[("", "All"), *CscInput.choices[1:-1]], required=False
    )
    worker = forms.ModelChoiceField(
        label="Social worker", queryset=None, required=False, empty_label="Anyone"
    )
    overdue = forms.BooleanField(label="Only cases with something overdue", required=False)
    sort = forms.ChoiceField(choices=[(key, key) for key in DRIFT_SORTS], required=False)

    def __init__(self, *args, user, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = Locality.objects.filter(id__in=user.locality_ids)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.username


def _require_reader(user) -> None:
    if not can_read_cases(user):
        raise PermissionDenied("Your role does not give access to case data")


def _drift_page(request, cases, *, workers, template, default_sort, context):
    """A page of cases with their drift. Sorting and counting use one light GROUP BY
    query over the ids; only the 25 cases shown get the heavier annotations."""
    now = timezone.now()
    today = timezone.localdate(now)
    form = DriftFilterForm(request.GET or None, user=request.user, workers=workers)
    sort = default_sort
    overdue_only = False
    if form.is_valid():
        data = form.cleaned_data
        if data["locality"]:
            cases = cases.filter(locality=data["locality"])
        if data["csc_input"]:
            cases = cases.filter(csc_input=data["csc_input"])
        if data["worker"]:
            cases = cases.filter(named_social_worker=data["worker"])
        overdue_only = data["overdue"]
        sort = data["sort"] or default_sort
    ordered = cases
    if overdue_only or sort in {"overdue", "next_due"}:
        ordered = selectors.drift_counts(cases, now)
        if overdue_only:
            ordered = ordered.filter(overdue_count__gt=0)
    ids = ordered.order_by(*DRIFT_SORTS[sort]).values_list("id", flat=True)
    page = Paginator(ids, settings.CASES_PER_PAGE).get_page(request.GET.get("page"))
    shown = {
        case.id: case
        for case in selectors.with_drift(
            cases.model.objects.filter(id__in=list(page)), now
        ).select_related("mother", "locality", "named_social_worker")
    }
    page.object_list = [shown[case_id] for case_id in page.object_list]
    page_name = template.rsplit("/", 1)[-1].removesuffix(".html")
    audit_case_list(request, page_name, (case.id for case in page.object_list),
                    request.GET.dict())  # fmt: skip
    return render(
        request,
        template,
        {"form": form, "page_obj": page, "sort": sort, "today": today, **context},
    )


@login_required
def my_work(request):
    _require_reader(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    show = request.GET.get("show", "all")
    if show not in {"all", "overdue", "due_soon"}:
        show = "all"
    case_ids = selectors.my_case_ids(request.user)
    sort = request.GET.get("sort", "due")
    rows = selectors.my_work(request.user, now, case_ids, show=show, sort=sort)
    page = Paginator(rows, settings.CASES_PER_PAGE).get_page(request.GET.get("page"))
    for row in page.object_list:
        row.status_now = row.status_on(now)
        row.status_label, row.status_class = STATUS_LABELS[row.status_now]
        row.days_late = row.days_overdue_on(now)
        row.due_text = due_text(row)
    audit_case_list(request, "my_work", (row.case_id for row in page.object_list), {"show": show})
    return render(
        request,
        "dashboards/my_work.html",
        {
            "page_obj": page,
            "show": show,
            "counts": selectors.my_work_counts(request.user, now, case_ids),
            "agency": request.user.agency,
            "usual_warning": usual_warning(active_protocol()),
            "today": today,
            "nav": "my_work",
        },
    )


@login_required
def team(request):
    _require_reader(request.user)
    if not request.user.has_role(*MANAGERS):
        raise PermissionDenied("The team view is for team and operations managers")
    members = selectors.team_members(request.user)
    cases = selectors.open_cases(request.user).filter(named_social_worker__in=members)
    return _drift_page(
        request,
        cases,
        workers=members,
        template="dashboards/team.html",
        default_sort="edd",
        context={"load": selectors.team_load(request.user, timezone.now()), "nav": "team"},
    )


@login_required
def locality(request):
    _require_reader(request.user)
    return _drift_page(
        request,
        selectors.open_cases(request.user),
        workers=selectors.team_members_in_localities(request.user),
        template="dashboards/locality.html",
        default_sort="edd",
        context={"nav": "locality"},
    )
