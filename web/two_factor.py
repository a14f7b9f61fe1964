"""The pages of two-factor sign-in: enter a code, set up an authenticator app, see and
replace recovery codes, and "Your account". The rules are in accounts/two_factor.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import login as otp_login

from accounts import two_factor
from web.forms import SignInCodeForm
from web.pages import audit_context
from web.templatetags.govuk import counted

# Recovery codes made on this request, shown on the next page once and then gone.
CODES_TO_SHOW = "recovery_codes_to_show"


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _wrong_code(form, check, wrong: str) -> None:
    if check.wait_seconds:
        form.add_error(
            "code",
            "You have entered too many wrong codes. Wait "
            f"{counted(check.wait_seconds, 'second')} and try again",
        )
    else:
        form.add_error("code", wrong)


def _verified(request, device, next_url: str):
    # A new session key for the stronger sign-in, as for any change of privilege.
    request.session.cycle_key()
    otp_login(request, device)
    return redirect(next_url)


@login_required
def verify(request):
    """Signing in, step 2: the code from the app, or a recovery code."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not two_factor.has_two_factor(request.user):
        return redirect(_with_next("two_factor_setup", next_url))
    form = SignInCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor.check_sign_in_code(
            user=request.user, code=form.cleaned_data["code"], context=audit_context(request)
        )
        if check.device is not None:
            if two_factor.is_recovery_device(check.device):
                left = two_factor.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code: you have {counted(left, 'code')}"
                    " left. If you have lost your phone, ask your system administrator to"
                    " reset your two-factor sign-in",
                )
            return _verified(request, check.device, next_url)
        _wrong_code(
            form,
            check,
            "The code is not right, or has been used. Enter the code your app shows now,"
            " or a recovery code",
        )
    return render(request, "registration/two_factor_verify.html", {"form": form, "next": next_url})


@login_required
def setup(request):
    """Signing in for the first time (or after an administrator's reset): add the
    service to an authenticator app and enter its first code."""
    next_url = _next_url(request)
    if two_factor.has_two_factor(request.user):
        if request.user.is_verified():
            return redirect(next_url)
        return redirect(_with_next("two_factor_verify", next_url))
    device = two_factor.pending_authenticator(request.user)
    form = SignInCodeForm(request.POST or None, recovery=False)
    if request.method == "POST" and form.is_valid():
        check, codes = two_factor.confirm_authenticator(
            user=request.user,
            device=device,
            code=form.cleaned_data["code"],
            context=audit_context(request),
        )
        if check.device is not None:
            response = _verified(request, check.device, _with_next("recovery_codes", next_url))
            request.session[CODES_TO_SHOW] = codes
            return response
        _wrong_code(
            form,
            check,
            "The code is not right. Check the app shows the Pre-birth Tracker and enter the"
            " code it shows now",
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "qr_code": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_typing(device),
        },
    )


@login_required
def recovery_codes(request):
    """Recovery codes are shown once, just after they are made; then only how many are
    left, and a button to make new ones (the old ones stop working)."""
    if request.method == "POST":
        request.session[CODES_TO_SHOW] = two_factor.replace_recovery_codes(
            user=request.user, context=audit_context(request)
        )
        messages.success(request, "You have new recovery codes. The old ones no longer work")
        return redirect(_with_next("recovery_codes", _next_url(request)))
    codes = request.session.pop(CODES_TO_SHOW, None)
    return render(
        request,
        "registration/recovery_codes.html",
        {
            "codes": codes,
            "left": two_factor.recovery_codes_left(request.user),
            "next": _next_url(request),
        },
    )
