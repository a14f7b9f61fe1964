from django.conf import settings

from accounts.permissions import (
    can_answer_data_protection_requests,
    can_change_cases,
    can_read_cases,
    can_read_meetings,
)
from web.middleware import idle_seconds_left


def service(request):
    user = getattr(request, "user", None)
    return {
        "service_name": settings.SERVICE_NAME,
        # The timeout warning's timings (static/app/timeout-warning.js).
        "session_idle_seconds": (
            idle_seconds_left(request)
            if user is not None and user.is_authenticated
            else settings.SESSION_COOKIE_AGE
        ),
        "session_warning_seconds": settings.SESSION_WARNING_SECONDS,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "user_can_read_cases": bool(user and can_read_cases(user)),
        "user_can_change_cases": bool(user and can_change_cases(user)),
        "user_can_read_meetings": bool(
            user and (can_read_meetings(user) or (user.is_authenticated and user.has_role("guest")))
        ),
        "user_is_manager": bool(
            user and user.is_authenticated and user.has_role("team_manager", "operations_manager")
        ),
        "user_is_data_protection_officer": bool(user and can_answer_data_protection_requests(user)),
        # The allocation queue (referrals app).
        "user_is_team_manager": bool(
            user and user.is_authenticated and user.has_role("team_manager")
        ),
    }
