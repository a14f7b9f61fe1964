"""My work, the team view and the locality view. Thin: filter, sort, paginate, render."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Locality, RoleCode
from accounts.permissions import can_read_cases, can_read_meetings
from assessments.selectors import awaiting_authorisation
from cases.models import CscInput
from dashboards import selectors
from meetings import action_log
from timeline.presentation import STATUS_LABELS, due_text, usual_warning
from timeline.services import active_protocol
from web.pages import audit_context

MANAGERS = (RoleCode.TEAM_MANAGER, RoleCode.OPERATIONS_MANAGER)


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
    sort = forms.ChoiceField(choices=[(key, key) for key in selectors.DRIFT_SORTS], required=False)

    def __init__(self, *args, user, workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = Locality.objects.filter(id__in=user.locality_ids)
        self.fields["worker"].queryset = workers
        self.fields["worker"].label_from_instance = lambda u: u.get_full_name() or u.username


def _require_reader(user) -> None:
    if not can_read_cases(user):
        raise PermissionDenied("Your role does not give access to case data")


def _drift_page(request, cases, *, workers, template, default_sort, context):
    """A page of cases with their drift, filtered and sorted by the selector."""
    now = timezone.now()
    today = timezone.localdate(now)
    form = DriftFilterForm(request.GET or None, user=request.user, workers=workers)
    filters = selectors.DriftFilters(sort=default_sort)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.DriftFilters(
            locality=data["locality"], csc_input=data["csc_input"], worker=data["worker"],
            overdue_only=data["overdue"], sort=data["sort"] or default_sort,
        )  # fmt: skip
    page = selectors.drift_page(
        request.user, cases, context=audit_context(request), now=now, filters=filters,
        page_name=template.rsplit("/", 1)[-1].removesuffix(".html"),
        page_number=request.GET.get("page"),
    )  # fmt: skip
    return render(
        request,
        template,
        {"form": form, "page_obj": page, "sort": filters.sort, "today": today, **context},
    )


@login_required
def my_work(request):
    _require_reader(request.user)
    now = timezone.now()
    today = timezone.localdate(now)
    show = request.GET.get("show", "all")
    if show not in {"all", "overdue", "due_soon"}:
        show = "all"
    sort = request.GET.get("sort", "due")
    page, counts = selectors.my_work_page(
        request.user, context=audit_context(request), now=now, show=show, sort=sort,
        page_number=request.GET.get("page"),
    )  # fmt: skip
    actions = action_log.my_actions(request.user, today, context=audit_context(request))
    # A team manager authorises as part of their own work: those they may decide on.
    to_authorise = awaiting_authorisation(
        request.user, context=audit_context(request), mine_to_decide=True,
        page="my_work_to_authorise",
    )  # fmt: skip
    for row in page.object_list:
        row.status_now = row.status_on(now)
        row.status_label, row.status_class = STATUS_LABELS[row.status_now]
        row.days_late = row.days_overdue_on(now)
        row.due_text = due_text(row, row.status_now)
    return render(
        request,
        "dashboards/my_work.html",
        {
            "page_obj": page,
            "show": show,
            "counts": counts,
            "agency": request.user.agency,
            "usual_warning": usual_warning(active_protocol()),
            "today": today,
            "my_actions": actions,
            "to_authorise": to_authorise,
            "next_url": request.get_full_path() + "#meeting-actions",
            "nav": "my_work",
        },
    )


@login_required
def team(request):
    _require_reader(request.user)
    if not request.user.has_role(*MANAGERS):
        raise PermissionDenied("The team view is for team and operations managers")
    today = timezone.localdate()
    members = selectors.team_members(request.user)
    cases = selectors.open_cases(request.user).filter(named_social_worker__in=members)
    # First what the manager acts on the day it arrives: referrals to allocate, and
    # referrals that came late in the pregnancy or after the referral was due.
    awaiting = selectors.allocation_queue_page(
        request.user, context=audit_context(request), today=today,
        page_number=request.GET.get("queue_page"),
    )  # fmt: skip
    to_authorise = awaiting_authorisation(request.user, context=audit_context(request))
    late = selectors.referred_late_page(
        request.user, context=audit_context(request), today=today,
        page_number=request.GET.get("late_page"),
    )  # fmt: skip
    return _drift_page(
        request,
        cases,
        workers=members,
        template="dashboards/team.html",
        default_sort="edd",
        context={
            "awaiting": awaiting,
            "to_authorise": to_authorise,
            "late": late,
            "late_weeks": selectors.REFERRED_LATE_IN_PREGNANCY_WEEKS,
            "load": selectors.team_load(request.user, timezone.now(), today=today),
            "nav": "team",
        },
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
        context={
            "overdue_actions": selectors.overdue_actions_by_locality(
                request.user, today=timezone.localdate()
            )
            if can_read_meetings(request.user)
            else None,
            "nav": "locality",
        },
    )
