"""The case timeline page, and recording progress on a milestone."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.models import CscTeam
from accounts.permissions import agency_name, can_change_cases, can_record_milestone
from audit.models import AuditEventType
from cases.selectors import case_for_user
from rules.births import age_on
from rules.dates import format_date
from rules.protocol import DONE_FACTS
from timeline import services
from timeline.forms import MilestoneDoneForm, MilestoneNotApplicableForm
from timeline.presentation import build_strip
from timeline.selectors import current_event, milestone_row, milestone_rows
from web.pages import audit_context, render_case_page
from web.templatetags.govuk import counted
from web.work_links import fact_page, work_link


def _late_referral_text(case, timeline) -> str:
    """ "27 days after it was due (24 December 2026)": the protocol's due date, not a fixed week."""
    days = timeline.late_referral_days
    if not days:
        return ""
    due = case.referral_date - timedelta(days=days)  # late_referral_days counts from it
    return f"{counted(days, 'day')} after it was due ({format_date(due)})"


def _born_text(case, today) -> str:
    """ "8 June 2027 (1 day old)"; a baby who has died, the date alone; "" before birth."""
    if not case.birth_date:
        return ""
    age = age_on(case.birth_date, today) if case.is_born else ""
    return format_date(case.birth_date) + (f" ({age})" if age else "")


@login_required
def case_timeline(request, case_id):
    case = case_for_user(
        request.user, case_id, context=audit_context(request), event=AuditEventType.TIMELINE_VIEWED
    )
    now = timezone.now()
    today = timezone.localdate(now)
    rows = milestone_rows(case, now)
    protocol = services.active_protocol()
    timeline = services.case_timeline(case, now)
    return render_case_page(
        request,
        case,
        "timeline/case_timeline.html",
        {
            "late_referral": _late_referral_text(case, timeline),
            "born": _born_text(case, today),
            "rows": rows,
            "strip": build_strip(edd=case.edd, today=today, birth=case.birth_date, milestones=rows),
            "protocol": protocol,
            "timeline": timeline,
            "team_label": CscTeam(timeline.team).label if timeline.team else "",
            "stale_protocol": case.protocol_version != protocol.version,
            "can_change": can_change_cases(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestone_record(request, case_id, milestone_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    row = milestone_row(case, milestone_id, timezone.now())
    stored = row.stored
    current = current_event(case, milestone_id)
    owner = services.milestone_owner(milestone_id)
    can_record = owner is not None and can_record_milestone(request.user, owner)
    action = request.POST.get("action") if request.method == "POST" else None
    done_form = MilestoneDoneForm(request.POST if action == "done" else None)
    na_form = MilestoneNotApplicableForm(request.POST if action == "not_applicable" else None)
    timeline_url = reverse("case_timeline", kwargs={"case_id": case.id})
    if action:
        if not can_record:
            raise PermissionDenied("Only the agency that owns this milestone records it")
        if action == "done" and (refusal := services.hand_tick_refusal(milestone_id)):
            # Done by recording the work: whatever date was typed, there is no tick to keep.
            messages.error(request, refusal)
            return redirect(request.path)
        try:
            if action == "done" and done_form.is_valid():
                services.milestone_record_done(
                    actor=request.user, context=audit_context(request), case=case,
                    milestone_id=milestone_id,
                    done_date=done_form.cleaned_data["done_date"],
                    note=done_form.cleaned_data["note"],
                )  # fmt: skip
                messages.success(request, f"{stored.title}: recorded as done")
                return redirect(timeline_url)
            if action == "not_applicable" and na_form.is_valid():
                services.milestone_mark_not_applicable(
                    actor=request.user, context=audit_context(request), case=case,
                    milestone_id=milestone_id,
                    reason=na_form.cleaned_data["reason"],
                )  # fmt: skip
                messages.success(request, f"{stored.title}: marked not applicable")
                return redirect(timeline_url)
            if action == "undo":
                services.milestone_undo(
                    actor=request.user,
                    context=audit_context(request),
                    case=case,
                    milestone_id=milestone_id,
                )
                messages.success(request, f"{stored.title}: what was recorded has been undone")
                return redirect(timeline_url)
        except ValidationError as error:
            form = {"done": done_form, "not_applicable": na_form}.get(action)
            if form is None:
                messages.error(request, " ".join(error.messages))
                return redirect(request.path)
            # Shown in the error summary with what was typed still in the form.
            form.add_error(None, error)
    protocol = services.active_protocol()
    # A row from an earlier protocol that no longer has this milestone (until
    # recompute_timelines removes it) is shown without the procedure's words.
    rule = protocol.milestone(milestone_id) if milestone_id in protocol.milestone_ids else None
    done_by_fact = next(
        (due.done_by for due in (rule.due_rules if rule else ()) if due.done_by in DONE_FACTS),
        None,
    )
    fact_work = fact_page(done_by_fact, request.user)
    # Done by recording the work itself: no tick here, a link to where that work is recorded
    # (for those who may record it; others are told which agency does).
    work = work_link(case.id, milestone_id)
    return render_case_page(
        request,
        case,
        "timeline/milestone_record.html",
        {
            "row": row,
            "rule": rule,
            "done_by_fact": done_by_fact is not None,
            "fact_url": fact_work.url(case.id) if fact_work else "",
            "fact_text": fact_work.text if fact_work else "",
            "done_by_step": work is not None,
            "work_url": work.url if work and can_record else "",
            "work_text": work.text if work else "",
            "current": current,
            "done_form": done_form,
            "na_form": na_form,
            "can_change": can_change_cases(request.user),
            "can_record": can_record,
            "owner_name": agency_name(owner) if owner else "",
        },
    )
