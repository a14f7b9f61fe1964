"""What every page showing a case shares: its audit context, how it is rendered, and the
page that withdraws a record made in error.

Reads are audited by the selectors (cases.selectors, timeline.selectors,
dashboards.selectors) as they return case data, not here.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from audit.services import AuditContext
from web.forms import WithdrawForm, show_refusal


def audit_context(request) -> AuditContext:
    """Where this request came from, for the audit rows of what it reads and changes."""
    return AuditContext.from_request(request)


def render_case_page(request, case, template: str, context: dict):
    return render(request, template, {"case": case, "nav": "cases", **context})


def withdraw_page(
    request,
    case,
    withdraw: Callable[..., Any],
    *,
    subject: str,
    hint: str,
    done: str | Callable[[Any], str],
    done_url: str,
    template: str,
    context: dict,
):
    """A page withdrawing a record made in error, with the shared reason form. Posted with
    a reason, `withdraw(actor=, context=, reason=)` (the service, its record bound) runs;
    then the `done` message (or `done(what the service returned)`) and on to `done_url`.
    A refusal is shown in the error summary, with what was typed kept."""
    form = WithdrawForm(
        request.POST if request.method == "POST" else None, subject=subject, hint=hint
    )
    if request.method == "POST" and form.is_valid():
        try:
            withdrawn = withdraw(
                actor=request.user,
                context=audit_context(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            show_refusal(form, error)
        else:
            messages.success(request, done(withdrawn) if callable(done) else done)
            return redirect(done_url)
    return render_case_page(request, case, template, {"form": form, **context})
