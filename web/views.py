from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render

from accounts.backends import THROTTLED
from accounts.models import RoleCode
from accounts.permissions import can_read_cases


class SignInView(auth_views.LoginView):
    """Django's sign-in, answering 429 (as a lockout does) while sign-in is throttled."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, THROTTLED, False):
            response.status_code = 429
        return response


@login_required
def home(request):
    # A team manager starts on the Team page: referrals waiting for allocation and
    # late referrals first, then the team's load and drift. Everyone else: My work.
    if can_read_cases(request.user) and request.user.has_role(RoleCode.TEAM_MANAGER):
        return redirect("team")
    if can_read_cases(request.user):
        return redirect("my_work")
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
