"""The meeting action log: the list with its filters, its CSV download, and marking an
action done (or no longer needed) from the log or from My work."""

import csv

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Locality
from accounts.permissions import can_read_meetings
from meetings import action_log, services
from meetings.models import ActionStatus
from rules.dates import format_date
from web.forms import GovUKForm
from web.pages import audit_context


class ActionFilterForm(GovUKForm):
    locality = forms.ModelChoiceField(
        label="Locality", queryset=Locality.objects.none(), required=False, empty_label="All"
    )
    agency = forms.ChoiceField(
        label="Owner agency",
        choices=[("", "All"), *((a.value, a.label) for a in services.OWNER_AGENCIES)],
        required=False,
    )
    status = forms.ChoiceField(
        label="Status", choices=list(action_log.STATUS_FILTERS.items()), required=False
    )
    mine = forms.BooleanField(label="Only actions I own", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locality"].queryset = Locality.objects.filter(id__in=user.locality_ids)

    def filters(self) -> action_log.ActionFilters:
        if not self.is_valid():
            return action_log.ActionFilters()
        data = self.cleaned_data
        return action_log.ActionFilters(
            locality=data["locality"],
            owner_agency=data["agency"],
            status=data["status"] or action_log.DEFAULT_STATUS,
            mine=data["mine"],
        )


class ActionDoneForm(forms.Form):
    """Hidden fields and a button: nothing here is typed by a person."""

    action = forms.UUIDField()
    version = forms.IntegerField(min_value=0, max_value=2**31 - 1)
    status = forms.ChoiceField(
        choices=[(ActionStatus.DONE, "Done"), (ActionStatus.NOT_NEEDED, "No longer needed")]
    )
    next = forms.CharField(required=False, max_length=2000)


def _require_log_user(user) -> None:
    if not action_log.can_use_action_log(user):
        raise PermissionDenied(
            "The action log is for the practitioners and managers who own actions"
        )


def _filter_form(request) -> ActionFilterForm:
    return ActionFilterForm(request.GET or None, user=request.user)


@login_required
@require_GET
def action_log_page(request):
    _require_log_user(request.user)
    today = timezone.localdate()
    form = _filter_form(request)
    filters = form.filters()
    page = action_log.action_log_page(
        request.user, filters, request.GET.get("page"), context=audit_context(request),
        today=today,
    )  # fmt: skip
    for action in page.object_list:
        action.can_update = action.is_open and services.can_update_action(request.user, action)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "meetings/actions/action_log.html",
        {
            "nav": "meetings" if can_read_meetings(request.user) else "my_work",
            "form": form,
            "filters": filters,
            "page_obj": page,
            "csv_query": query.urlencode(),
            "can_read_meetings": can_read_meetings(request.user),
            "today": today,
        },
    )


@login_required
@require_GET
def action_log_csv(request):
    _require_log_user(request.user)
    today = timezone.localdate()
    rows = action_log.action_log_csv_rows(
        request.user, _filter_form(request).filters(), context=audit_context(request), today=today
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="action-log-{today.isoformat()}.csv"'
    response["Cache-Control"] = "no-store"
    response.write("\ufeff")  # Excel reads the file as UTF-8 only with a byte order mark
    csv.writer(response).writerows(rows)
    return response


def _back(request, next_url: str) -> str:
    """Where the form came from, if it is on this site; else the log."""
    if next_url.startswith("/") and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return reverse("action_log")


@login_required
@require_POST
def action_done(request):
    _require_log_user(request.user)
    form = ActionDoneForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("Mark an action done from the action log or My work")
    data = form.cleaned_data
    action = action_log.action_for_user(request.user, data["action"])
    back = _back(request, data["next"] or "")
    try:
        changed = services.action_update(
            actor=request.user, context=audit_context(request), action=action,
            version=data["version"], status=data["status"],
        )  # fmt: skip
    except services.ChangedMeanwhile as changed_meanwhile:
        current = changed_meanwhile.current
        state = action_log.action_state(current, timezone.localdate())
        messages.error(
            request,
            f"Not changed: someone else updated the action “{_short(current.description)}” for"
            f" {action.case.display_name} meanwhile. It is now"
            f" {action_log.STATE_LABELS[state].lower()}: check it and try again.",
        )
        return redirect(back)
    label = "done" if data["status"] == ActionStatus.DONE else "no longer needed"
    if changed:
        messages.success(
            request,
            f"Action marked as {label}: “{_short(action.description)}” for"
            f" {action.case.display_name}",
        )
    else:
        action.refresh_from_db()
        messages.success(
            request,
            f"The action “{_short(action.description)}” was already marked"
            f" {action_log.STATE_LABELS[action.status].lower()}"
            f"{' on ' + format_date(action.completed_on) if action.completed_on else ''}",
        )
    return redirect(back)


def _short(text: str, length: int = 80) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
