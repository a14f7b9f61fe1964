"""Where a person is signed in: one SignIn per browser session, started when they sign
in, seen as they use the service, ended when they sign out or end it from another
device. The session holds its sign-in's id; a session whose sign-in has ended is signed
out on its next request (web.middleware.SessionLifetimeMiddleware)."""

import re
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import SignIn
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record

SIGN_IN_ID = "sign_in_id"
# "Last active" is kept to the minute: one write a minute per session, not one a request.
SEEN_EVERY = timedelta(minutes=1)


def start(request, user) -> SignIn:
    context = AuditContext.from_request(request)
    now = timezone.now()
    sign_in = SignIn.objects.create(
        user=user,
        started_at=now,
        last_seen_at=now,
        ip_address=context.ip_address,
        user_agent=context.user_agent,
    )
    request.session[SIGN_IN_ID] = str(sign_in.id)
    return sign_in


def still_open(request, user) -> bool:
    """Whether this session's sign-in has not been ended elsewhere (noting it was seen).
    A session from before sign-ins were kept starts one now."""
    sign_in_id = request.session.get(SIGN_IN_ID)
    if sign_in_id is None:
        start(request, user)
        return True
    row = (
        SignIn.objects.filter(pk=sign_in_id, user=user)
        .values_list("ended_at", "last_seen_at")
        .first()
    )
    if row is None or row[0] is not None:
        return False
    now = timezone.now()
    if now - row[1] >= SEEN_EVERY:
        SignIn.objects.filter(pk=sign_in_id).update(last_seen_at=now)
    return True


def end_current(request) -> None:
    sign_in_id = request.session.get(SIGN_IN_ID) if hasattr(request, "session") else None
    if sign_in_id:
        SignIn.objects.filter(pk=sign_in_id, ended_at=None).update(ended_at=timezone.now())


def open_sign_ins(user) -> list[SignIn]:
    """The person's sessions that can still be used: not ended, not idle past the idle
    limit, not older than the absolute limit. Newest first."""
    now = timezone.now()
    return list(
        SignIn.objects.filter(
            user=user,
            ended_at=None,
            last_seen_at__gt=now - timedelta(seconds=settings.SESSION_COOKIE_AGE) - SEEN_EVERY,
            started_at__gt=now - timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS),
        ).order_by("-last_seen_at")
    )


@transaction.atomic
def end(*, user, sign_in_ids: list[uuid.UUID], context: AuditContext | None) -> int:
    """End these sessions of the person's (never anyone else's); audited."""
    ended = SignIn.objects.filter(user=user, pk__in=sign_in_ids, ended_at=None)
    ids = [str(pk) for pk in ended.values_list("pk", flat=True)]
    if ids:
        SignIn.objects.filter(pk__in=ids).update(ended_at=timezone.now())
        audit_record(
            actor=user,
            event_type=AuditEventType.SESSION_ENDED,
            context=context,
            extra_data={"sign_ins": ids},
        )
    return len(ids)


_BROWSERS = [
    ("Edg/", "Edge"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe_browser(user_agent: str) -> str:
    """ "Chrome on Windows": enough to recognise a device, from the User-Agent."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if re.search(re.escape(mark), user_agent)), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system or "Unknown browser"


def end_others(user, keep: str | None = None) -> None:
    """When the password changes the person's other sessions stop working (Django's
    session hash): their sign-ins end too, so the list shows only what still works."""
    SignIn.objects.filter(user=user, ended_at=None).exclude(pk=keep).update(ended_at=timezone.now())
