import time
import uuid
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from accounts import sign_ins
from accounts.two_factor import has_two_factor
from rules.text import clean_text
from web.models import Submission


class NoStoreMiddleware:
    """Pages for signed-in people hold personal data: never keep them in a cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] += ", no-store"
        return response


# Browser features no page of the service uses, refused for every page and anything it
# might embed: a page cannot be made to ask for the camera, the microphone or a location.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in ("accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
                    "magnetometer", "microphone", "midi", "payment",
                    "serial", "usb", "xr-spatial-tracking")
)  # fmt: skip


class PermissionsPolicyMiddleware:
    """Sends PERMISSIONS_POLICY with every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class CleanHeadersMiddleware:
    """Headers as sent by a browser, without NUL or control characters: the user agent
    goes into the audit log and the sign-in lockout records, and the database refuses
    NUL. First in the list, so nothing after it sees the raw header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, value in request.META.items():
            if key.startswith("HTTP_") and isinstance(value, str) and not value.isprintable():
                request.META[key] = clean_text(value)
        return self.get_response(request)


# The session key holding when its sign-in began (seconds since the epoch).
SIGNED_IN_AT = "signed_in_at"
# The session key holding when the session was last renewed (its idle end moved on).
RENEWED_AT = "renewed_at"


def _now() -> int:
    return int(timezone.now().timestamp())


def start_sign_in_lifetime(sender, request, user, **kwargs) -> None:
    """On every sign-in, whichever page did it (web.apps connects it to user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT] = _now()
        renew_session(request)
        sign_ins.start(request, user)


def end_sign_in(sender, request, user, **kwargs) -> None:
    """On signing out (web.apps connects it to user_logged_out)."""
    if request is not None:
        sign_ins.end_current(request)


def signed_out_url(reason: str, next_path: str = "") -> str:
    """The sign-in page saying why the person was signed out ("idle", "lifetime")."""
    query = {"ended": reason, **({"next": next_path} if next_path else {})}
    return f"{reverse('login')}?{urlencode(query)}"


class SessionLifetimeMiddleware:
    """A sign-in lasts SESSION_ABSOLUTE_SECONDS however busy the session: then it is
    signed out (audited, as any sign-out) and sent to sign in again. The idle end is the
    session's own expiry (SESSION_COOKIE_AGE), renewed by a request at most once every
    SESSION_RENEW_SECONDS: not a database write on every page. `idle_seconds_left` is
    what the timeout warning counts down from."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = _now()
            began = request.session.get(SIGNED_IN_AT)
            if began is None:  # a session from before this rule: its lifetime starts now
                request.session[SIGNED_IN_AT] = now
            elif now - began >= settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(signed_out_url("lifetime", request.get_full_path()))
            if not sign_ins.still_open(request, request.user):  # ended from another device
                logout(request)
                return redirect(signed_out_url("elsewhere", request.get_full_path()))
            if now - request.session.get(RENEWED_AT, 0) >= settings.SESSION_RENEW_SECONDS:
                renew_session(request)
        return self.get_response(request)


def renew_session(request) -> None:
    """Move the session's idle end to SESSION_COOKIE_AGE from now (saved with the response)."""
    request.session[RENEWED_AT] = _now()


def idle_seconds_left(request) -> int:
    """How long until this signed-in session ends if nothing else is done: the idle
    limit from its last renewal."""
    renewed = request.session.get(RENEWED_AT)
    if renewed is None:
        return settings.SESSION_COOKIE_AGE
    return max(0, settings.SESSION_COOKIE_AGE - (_now() - renewed))


# The pages someone signed in with a password, but not yet with a code, may reach.
TWO_FACTOR_OPEN_PAGES = frozenset(
    {
        "login",
        "logout",
        "two_factor_verify",
        "two_factor_setup",
        "session_keep_alive",
        "healthz",
        "accessibility",
        "privacy",
    }
)


class TwoFactorMiddleware:
    """No page but the sign-in's own is reached on a password alone: someone signed in
    with their password is sent to enter a code from their authenticator app (or to set
    one up, the first time). The Django admin is no exception. Then, if an administrator
    set their password, they choose their own before any other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated:
            return None
        match = request.resolver_match
        view_name = match.view_name if match is not None else ""
        if view_name in TWO_FACTOR_OPEN_PAGES:
            return None
        if not user.is_verified():
            page = "two_factor_verify" if has_two_factor(user) else "two_factor_setup"
        elif user.must_change_password and view_name != "password_change":
            page = "password_change"
        else:
            return None
        return redirect(f"{reverse(page)}?{urlencode({'next': request.get_full_path()})}")


SUBMISSION_FIELD = "submission"
# How long the first submission may take before a second one stops waiting for it.
SUBMISSION_WAIT_SECONDS = 5.0
SUBMISSIONS_KEPT = timedelta(days=1)


class DoubleSubmissionMiddleware:
    """A form that creates something carries a one-time token ({% submission_token %}).
    The first POST with it claims it (a unique row); a second POST with the same token —
    a double click, or Back and send again — saves nothing and goes where the first went.
    A first POST that was not saved (the form had errors) frees its token. A view that
    reads its own upload (csrf_exempt, e.g. documents/uploads.py) is left alone: reading
    its body here would read the upload before it sets its limits; GOV.UK's
    prevent-double-click covers it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_submission_key", None)
        if key is not None:
            if response.status_code in (301, 302, 303) and response.has_header("Location"):
                Submission.objects.filter(key=key).update(location=response["Location"][:500])
            else:
                Submission.objects.filter(key=key).delete()
            Submission.objects.filter(created_at__lt=timezone.now() - SUBMISSIONS_KEPT).delete()
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "csrf_exempt", False):
            return None
        key = self._token(request)
        if key is None:
            return None
        try:
            with transaction.atomic():
                Submission.objects.create(key=key, user=request.user)
        except IntegrityError:
            return self._already_sent(request, key)
        request._submission_key = key
        return None

    @staticmethod
    def _token(request):
        if request.method != "POST" or not request.user.is_authenticated:
            return None
        if not request.user.is_verified():  # sent on to sign in with a code: not saved
            return None
        try:
            return uuid.UUID(request.POST.get(SUBMISSION_FIELD, ""))
        except ValueError:
            return None

    @staticmethod
    def _already_sent(request, key):
        waited = 0.0
        while True:
            row = Submission.objects.filter(key=key, user=request.user).first()
            if row is None:  # someone else's token, or the first was not saved after all
                return redirect(request.get_full_path())
            if row.location:
                messages.info(request, "That was already saved: it has not been saved twice")
                return redirect(row.location)
            if waited >= SUBMISSION_WAIT_SECONDS:
                return redirect(request.get_full_path())
            time.sleep(0.25)
            waited += 0.25
