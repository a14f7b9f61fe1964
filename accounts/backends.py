"""Password spraying is throttled: many wrong passwords from one address, or for one
username from many addresses, refuse sign-in for a while, right password or not.

django-axes locks a username and address pair after a few failures (settings
AXES_*). That lets one address try a few passwords on every account, or many addresses
try one account: this backend refuses those. It counts the failed sign-ins the audit log
already keeps (audit.signals), so there is one record of them, and sits before the
backend that checks passwords.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from audit.models import AuditEvent, AuditEventType
from audit.services import client_ip

# Set on the request when this backend refused: the sign-in form says why.
THROTTLED = "sign_in_throttled"


def throttled(request, username: str | None) -> bool:
    """Whether a sign-in from this request's address, or as this username, is refused
    now: too many failures from the address, or for the username from any address,
    within the last SIGN_IN_LOCKOUT_MINUTES."""
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_THROTTLE_MINUTES)
    failures = AuditEvent.objects.filter(event_type=AuditEventType.SIGN_IN_FAILED, at__gte=since)
    address = client_ip(request)
    if address and (
        failures.filter(ip_address=address)[: settings.SIGN_IN_ADDRESS_LIMIT].count()
        >= settings.SIGN_IN_ADDRESS_LIMIT
    ):
        return True
    return bool(username) and (
        failures.filter(extra_data__username=username)[: settings.SIGN_IN_USERNAME_LIMIT].count()
        >= settings.SIGN_IN_USERNAME_LIMIT
    )


class SprayThrottleBackend:
    """Authenticates no one; refuses (PermissionDenied stops the later backends) while
    `throttled`. Django then signals a failed sign-in, which the audit log records. No
    `get_user`: sessions belong to the backend that checked the password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and throttled(request, username):
            setattr(request, THROTTLED, True)
            raise PermissionDenied("Too many failed sign-ins")
        return None


class UserBackend(ModelBackend):
    """Django's password check; the signed-in person is read with their agency, which
    most pages use (My work's milestones, the audit row's role and agency): one query a
    request, not two."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("agency").filter(pk=user_id)
        user = user.first()
        return user if user is not None and self.user_can_authenticate(user) else None
