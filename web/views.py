from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import sign_ins
from accounts.backends import THROTTLED
from accounts.models import RoleCode
from accounts.permissions import can_answer_data_protection_requests, can_read_cases
from audit.models import AuditEventType
from audit.services import audit_record
from web.forms import ChangePasswordForm
from web.middleware import renew_session
from web.pages import audit_context
from web.templatetags.govuk import counted

# Why the sign-in page is shown after a sign-out the person did not ask for (?ended=).
SIGNED_OUT_BECAUSE = {
    "idle": "You were signed out because you had not done anything for {idle}. Sign in again"
    " to carry on.",
    "lifetime": "You were signed out because you had been signed in for {lifetime}. Sign in"
    " again to carry on.",
    "elsewhere": "You were signed out because this session was ended from another device."
    " If that was not you, change your password and tell your manager.",
}


def _duration(seconds: int) -> str:
    """ "30 minutes", "10 hours": whole hours as hours."""
    minutes = seconds // 60
    return counted(minutes // 60, "hour") if minutes % 60 == 0 else counted(minutes, "minute")


class SignInView(auth_views.LoginView):
    """Django's sign-in, answering 429 (as a lockout does) while sign-in is throttled, and
    saying why someone was signed out."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        because = SIGNED_OUT_BECAUSE.get(self.request.GET.get("ended", ""))
        if because:
            context["signed_out_because"] = because.format(
                idle=_duration(settings.SESSION_COOKIE_AGE),
                lifetime=_duration(settings.SESSION_ABSOLUTE_SECONDS),
            )
        return context

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, THROTTLED, False):
            response.status_code = 429
        return response


class ChangePasswordView(auth_views.PasswordChangeView):
    """Change your own password, with the current one. The change and its audit row are
    one transaction; this session stays signed in and every other session of the person
    ends (Django's session hash)."""

    form_class = ChangePasswordForm
    template_name = "registration/password_change.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["set_by_administrator"] = self.request.user.must_change_password
        return context

    def form_valid(self, form):
        with transaction.atomic():
            form.user.must_change_password = False
            response = super().form_valid(form)
            sign_ins.end_others(form.user, keep=self.request.session.get(sign_ins.SIGN_IN_ID))
            audit_record(
                actor=self.request.user,
                event_type=AuditEventType.PASSWORD_CHANGED,
                context=audit_context(self.request),
            )
        messages.success(self.request, "Your password has been changed")
        return response

    def get_success_url(self):
        return reverse("home")


@login_required
@require_POST
def session_keep_alive(request):
    """ "Stay signed in" on the timeout warning: renews the session now, however recently
    a page did."""
    renew_session(request)
    return HttpResponse(status=204)


@login_required
def home(request):
    # A team manager starts on the Team page: referrals waiting for allocation and
    # late referrals first, then the team's load and drift. Others who read cases: My
    # work. The data protection officer: her search (she reads no other case page).
    if can_read_cases(request.user) and request.user.has_role(RoleCode.TEAM_MANAGER):
        return redirect("team")
    if can_read_cases(request.user):
        return redirect("my_work")
    if can_answer_data_protection_requests(request.user):
        return redirect("dpo_search")
    return render(request, "web/no_case_access.html")


def accessibility(request):
    return render(request, "web/accessibility.html")


def privacy(request):
    return render(request, "web/privacy.html")


def healthz(request):
    """For the load balancer: the service answers and its database does too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
def sessions(request):
    """Where you are signed in: each session with when it began, when it was last used,
    from where and in what browser; end any but this one, or all the others."""
    current = request.session.get(sign_ins.SIGN_IN_ID)
    if request.method == "POST":
        mine = [s.id for s in sign_ins.open_sign_ins(request.user) if str(s.id) != current]
        chosen = request.POST.get("sign_in", "")
        ids = mine if chosen == "all-others" else [i for i in mine if str(i) == chosen]
        if not ids:
            raise Http404("No such session")
        count = sign_ins.end(user=request.user, sign_in_ids=ids, context=audit_context(request))
        messages.success(
            request,
            f"Signed out of {counted(count, 'other session')}"
            if count > 1
            else "Signed out of that session",
        )
        return redirect("sessions")
    rows = [
        {
            "sign_in": sign_in,
            "browser": sign_ins.describe_browser(sign_in.user_agent),
            "current": str(sign_in.id) == current,
        }
        for sign_in in sign_ins.open_sign_ins(request.user)
    ]
    return render(
        request,
        "registration/sessions.html",
        {"rows": rows, "others": sum(not row["current"] for row in rows)},
    )
