"""Emails to a person about their own account."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone

from rules.dates import format_datetime


def tell_password_was_set(user) -> bool:
    """An administrator set this person's password: tell them, so a change they did not
    ask for is noticed. False if they have no email address."""
    if not user.email:
        return False
    send_mail(
        subject=f"Your {settings.SERVICE_NAME} password was changed",
        message=(
            f"Hello {user.get_full_name() or user.username},\n\n"
            f"A system administrator set a new password for your {settings.SERVICE_NAME}"
            f" account on {format_datetime(timezone.now())}. When you next sign in you"
            " will be asked to choose your own.\n\n"
            "If you did not ask for this, tell your manager and your information governance"
            " team today.\n"
        ),
        from_email=None,
        recipient_list=[user.email],
    )
    return True
