from urllib.parse import urlencode, urlsplit

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from cases.models import Case

# A refused page is audited when it is about case data: these are its URLs' parameters.
CASE_DATA_KWARGS = ("case_id", "meeting_id")
CASE_DATA_PATHS = ("/cases/", "/meetings/")


def audit_refusal(request, status: int) -> None:
    """Someone signed in was refused a page of case data (403), or asked for one they may
    not see or that does not exist (404): who, which, from where. A case that exists is
    linked, so "who looked at this record?" finds the attempts too."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match is not None else {}
    if not (any(k in kwargs for k in CASE_DATA_KWARGS) or request.path.startswith(CASE_DATA_PATHS)):
        return
    case_id = kwargs.get("case_id")
    case = Case.objects.filter(pk=case_id).only("id").first() if case_id else None
    extra = {"status": status, **{k: str(kwargs[k]) for k in CASE_DATA_KWARGS if k in kwargs}}
    audit_record(
        actor=user,
        event_type=AuditEventType.ACCESS_REFUSED,
        case=case,
        context=AuditContext.from_request(request),
        extra_data=extra,
    )


def forbidden(request, exception=None):
    # Our own refusals say why in words written for the person refused (never data).
    reason = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    audit_refusal(request, 403)
    return render(request, "web/403.html", {"reason": reason}, status=403)


def not_found(request, exception=None):
    audit_refusal(request, 404)
    return render(request, "web/404.html", status=404)


def server_error(request):
    return render(request, "web/500.html", status=500)


def csrf_failure(request, reason=""):
    """A form failed Django's form-security (CSRF) check: say what happened in plain
    words, and offer the way back (settings.CSRF_FAILURE_VIEW). Django logs the
    technical reason to django.security.csrf; it is not shown."""
    referer = request.META.get("HTTP_REFERER", "")
    back = (
        referer
        if referer
        and url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    signed_in = request.user.is_authenticated
    sign_in_url = reverse("login")
    target = urlsplit(back)
    page = target.path + (f"?{target.query}" if target.query else "")
    # Signing in again leads back to the page the form was on; a form on the sign-in
    # page itself goes back to that page, keeping where it was to lead.
    returns_to_page = bool(back) and target.path != sign_in_url
    if returns_to_page:
        sign_in_url += "?" + urlencode({"next": page})
    elif back:
        sign_in_url = page
    return render(
        request,
        "web/csrf_failure.html",
        {
            "back_url": back,
            "signed_in": signed_in,
            "sign_in_url": sign_in_url,
            "returns_to_page": returns_to_page,
        },
        status=403,
    )
