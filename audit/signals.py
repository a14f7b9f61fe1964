"""Sign-ins, failed sign-ins and sign-outs go into the audit log too."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import AuditEventType
from audit.services import AuditContext, audit_record


def _context(request) -> AuditContext | None:
    return AuditContext.from_request(request) if request is not None else None


@receiver(user_logged_in)
def _signed_in(sender, request, user, **kwargs):
    audit_record(actor=user, event_type=AuditEventType.SIGNED_IN, context=_context(request))


@receiver(user_logged_out)
def _signed_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(actor=user, event_type=AuditEventType.SIGNED_OUT, context=_context(request))


@receiver(user_login_failed)
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    # Never store the password tried; the username helps spot guessing.
    audit_record(
        actor=None,
        event_type=AuditEventType.SIGN_IN_FAILED,
        context=_context(request),
        extra_data={"username": str(credentials.get("username", ""))[:150]},
    )
