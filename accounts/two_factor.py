"""Two-factor sign-in: a password and a code from an authenticator app (TOTP, RFC 6238),
or one of ten single-use recovery codes when the phone is not to hand.

Built on django-otp's devices: each person has at most one confirmed authenticator
(`TOTPDevice`) and one set of recovery codes (`StaticDevice`). Enrolment, checking a
code, new recovery codes and an administrator's reset are here, each audited; the pages
are in web/two_factor.py and the rule that no other page is reached on a password alone
is web.middleware.TwoFactorMiddleware.
"""

import math
import secrets
from base64 import b32encode
from dataclasses import dataclass

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import AuditEventType
from audit.services import AuditContext, audit_record

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10
# Ten characters with no look-alikes (no 0/o, 1/l/i), shown as "abcde-fghjk".
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10


def has_two_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_authenticator(user) -> TOTPDevice:
    """The authenticator being set up: the one already shown (so a reloaded page shows
    the same QR code someone may have scanned), or a new one with a new secret."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


def qr_code_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG, drawn on the server: no script, no
    third party sees the secret."""
    image = qrcode.make(
        device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    svg = image.to_string(encoding="unicode")
    return svg[svg.index("<svg") :]


def secret_for_typing(device: TOTPDevice) -> str:
    """The secret as an app asks for it when it cannot scan: base32, in groups of four."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def normalised(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def is_authenticator_code(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


@dataclass(frozen=True)
class CodeCheck:
    """What checking a code found: the device that accepted it, or how long to wait
    before the next try (wrong codes wait 1, 2, 4, 8… seconds)."""

    device: Device | None = None
    wait_seconds: int = 0


def _locked(device) -> int:
    allowed, info = device.verify_is_allowed()
    if allowed:
        return 0
    until = (info or {}).get("locked_until")
    return max(1, math.ceil((until - timezone.now()).total_seconds())) if until else 1


def _check(device, code: str) -> CodeCheck:
    wait = _locked(device)
    if wait:
        return CodeCheck(wait_seconds=wait)
    return CodeCheck(device=device) if device.verify_token(code) else CodeCheck()


@transaction.atomic
def confirm_authenticator(
    *, user, device: TOTPDevice, code: str, context: AuditContext | None
) -> tuple[CodeCheck, list[str]]:
    """The first code from a newly set-up app confirms it: it replaces any earlier
    authenticator, and ten new recovery codes are made (returned to show once)."""
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
    check = _check(device, normalised(code))
    if check.device is None:
        return check, []
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    codes = _new_recovery_codes(user)
    audit_record(actor=user, event_type=AuditEventType.TWO_FACTOR_ENROLLED, context=context)
    return check, codes


@transaction.atomic
def check_sign_in_code(*, user, code: str, context: AuditContext | None) -> CodeCheck:
    """A six-digit code is checked against the authenticator; anything else against the
    recovery codes (each works once). Every try is audited, never the code itself."""
    code = normalised(code)
    model = TOTPDevice if is_authenticator_code(code) else StaticDevice
    device = model.objects.select_for_update().filter(user=user, confirmed=True).first()
    check = _check(device, code) if device is not None else CodeCheck()
    if check.device is None:
        audit_record(
            actor=user,
            event_type=AuditEventType.TWO_FACTOR_FAILED,
            context=context,
            extra_data={"throttled": bool(check.wait_seconds)},
        )
    elif model is StaticDevice:
        left = StaticToken.objects.filter(device=device).count()
        audit_record(
            actor=user,
            event_type=AuditEventType.RECOVERY_CODE_USED,
            context=context,
            extra_data={"recovery_codes_left": left},
        )
    else:
        audit_record(actor=user, event_type=AuditEventType.TWO_FACTOR_VERIFIED, context=context)
    return check


def is_recovery_device(device) -> bool:
    return isinstance(device, StaticDevice)


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    half = RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


@transaction.atomic
def replace_recovery_codes(*, user, context: AuditContext | None) -> list[str]:
    """Ten new recovery codes; the old ones stop working."""
    codes = _new_recovery_codes(user)
    audit_record(actor=user, event_type=AuditEventType.RECOVERY_CODES_REPLACED, context=context)
    return codes


@transaction.atomic
def reset_two_factor(*, user, actor, context: AuditContext | None) -> None:
    """An administrator's reset, for a lost phone: the person's authenticator and recovery
    codes are removed, their signed-in sessions stop counting as verified, and their next
    sign-in sets up a new authenticator."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        event_type=AuditEventType.TWO_FACTOR_RESET,
        context=context,
        extra_data={"username": user.username},
    )


def enrol_for_demo(user) -> TOTPDevice:
    """A confirmed authenticator with a new secret (the demo's people, and the tests')."""
    return TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=True)


def code_now(device: TOTPDevice) -> tuple[str | None, int]:
    """The code an app would show now that the device has not yet accepted (a code
    works once), or None if the next one is not due yet; and the seconds until the app's
    code changes. For the demo's `demo_code` and the tests only."""
    now = int(timezone.now().timestamp())
    elapsed = (now - device.t0) // device.step
    seconds_left = device.t0 + (elapsed + 1) * device.step - now
    current = elapsed + device.drift  # the step the device expects now
    step = max(current, device.last_t + 1)
    if step > current + device.tolerance:
        return None, seconds_left
    return f"{hotp(device.bin_key, step, digits=device.digits):0{device.digits}d}", seconds_left
