from urllib.parse import urlencode, urlsplit

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme


def forbidden(request, exception=None):
    # Our own refusals say why in words written for the person refused (never data).
    reason = str(exception) if isinstance(exception, PermissionDenied) and exception.args else ""
    return render(request, "web/403.html", {"reason": reason}, status=403)


def not_found(request, exception=None):
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
