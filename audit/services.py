"""Writing audit rows. Call inside the same transaction as the change it records."""

import ipaddress
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models, transaction

from audit import appearances
from audit.models import AuditCaseAppearance, AuditEvent, AuditEventType
from rules.text import clean_text

logger = logging.getLogger(__name__)


def _address(entry: str) -> str | None:
    """An IP address from an X-Forwarded-For entry, which some proxies give with a port
    ("203.0.113.9:51234", "[2001:db8::1]:443")."""
    entry = entry.strip()
    if entry.startswith("[") and "]" in entry:
        entry = entry[1 : entry.index("]")]
    elif entry.count(":") == 1:
        entry = entry.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(entry))
    except ValueError:
        return None


def _from_trusted_proxy(remote: str | None) -> bool:
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.TRUSTED_PROXIES
    )


def client_ip(request) -> str | None:
    """The address the request came from. X-Forwarded-For is trusted only as far as the
    proxies we run (TRUSTED_PROXY_COUNT): each appends the address it saw, so the client
    is that many entries from the end, and anything before it may be forged. Used for
    the audit log and for sign-in lockouts (AXES_CLIENT_IP_CALLABLE)."""
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    forwarded = [e for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if proxies and len(forwarded) >= proxies and _from_trusted_proxy(remote):
        address = _address(forwarded[-proxies])
        if address is not None:
            return address
        logger.warning(
            "Unreadable X-Forwarded-For entry %r: using REMOTE_ADDR", forwarded[-proxies]
        )
    return remote


@dataclass(frozen=True)
class AuditContext:
    """Where an action came from, for its audit row. Services and selectors take this,
    never the HTTP request, so a command, an import or the API can call them too."""

    ip_address: str | None = None
    user_agent: str = ""
    path: str = ""

    @classmethod
    def from_request(cls, request) -> "AuditContext":
        return cls(
            ip_address=client_ip(request),
            user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
            path=request.get_full_path()[:500],
        )


NO_CONTEXT = AuditContext()
# The actor's role and agency when they acted ("Social worker, Children's Social Care"),
# in the extra_data of every row about a case: the history names them as they were then.
ACTOR_ROLE = "actor_role"


def audit_record(
    *,
    actor,
    event_type: AuditEventType,
    case=None,
    context: AuditContext | None = None,
    extra_data: dict[str, Any] | None = None,
    actor_username: str = "",
) -> AuditEvent:
    """`actor_username` names who acted when there is no user (a management command)."""
    context = context or NO_CONTEXT
    extra_data = dict(extra_data or {})
    describe = getattr(actor, "role_description", None)  # a user (audit imports no accounts)
    if case is not None and callable(describe) and actor.is_authenticated:
        extra_data.setdefault(ACTOR_ROLE, describe())
    # The row and its appearances in one transaction (one commit, not two).
    with transaction.atomic(savepoint=False):
        event = AuditEvent.objects.create(
            actor=actor if actor is not None and actor.is_authenticated else None,
            actor_username=getattr(actor, "username", "") or actor_username,
            case=case,
            event_type=event_type,
            ip_address=context.ip_address,
            user_agent=clean_text(context.user_agent)[:300],
            path=clean_text(context.path)[:500],
            extra_data=_cleaned(extra_data),
        )
        # The other cases the row showed (a list, a dashboard, a meeting, an export), indexed
        # for the data protection officer's "who saw this case?" (audit.appearances).
        shown = appearances.shown_case_ids(event.extra_data, event.case_id)
        if shown:
            AuditCaseAppearance.objects.bulk_create(
                appearances.appearances(AuditCaseAppearance, event, shown)
            )
    return event


def audit_list_read(
    *, actor, context: AuditContext | None, page: str, case_ids, filters: dict
) -> AuditEvent:
    """Who saw which cases in a list or dashboard, with the filters that chose them."""
    return audit_record(
        actor=actor,
        event_type=AuditEventType.CASE_LIST_VIEWED,
        context=context,
        extra_data={
            "page": page,
            "filters": {k: v for k, v in filters.items() if v},
            "case_ids": sorted({str(case_id) for case_id in case_ids}),
        },
    )


def _cleaned(value: Any) -> Any:
    """Every string in the audit row's JSON (keys too) without NUL or control characters,
    which PostgreSQL's JSON refuses: the filters a person typed into a list page, a note."""
    if isinstance(value, str):
        return clean_text(value, multiline=True)
    if isinstance(value, dict):
        return {_cleaned(str(key)): _cleaned(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(item) for item in value]
    return value


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def field_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Field-level before/after for the fields that changed."""
    return {
        name: {"before": _jsonable(before.get(name)), "after": _jsonable(after[name])}
        for name in after
        if before.get(name) != after[name]
    }
