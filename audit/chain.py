"""The audit rows as a hash chain: each row carries the hash of the row before it.

row_hash = sha256(canonical JSON of the row's fields, previous_hash among them). One
chain per database, in id order, starting from GENESIS. Editing a row breaks its own
hash; removing one (or inserting one out of place) breaks the next row's link.
`manage.py verify_audit` walks it. See docs/security.md, "The audit log".

The row's id is not hashed: PostgreSQL and SQLite give the id at the INSERT, after the
hash must be known, and the row cannot be updated afterwards (the triggers refuse it).
The order is proved by the links instead: each row names its predecessor's hash.

Changing what is hashed (HASHED_FIELDS, `canonical`) invalidates every stored row_hash:
it needs a migration that re-chains the table, like audit/0011.
"""

import hashlib
import ipaddress
import json
from datetime import UTC
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64
# The key of the PostgreSQL advisory lock every audit insert takes (until its
# transaction ends), so two transactions never chain onto the same predecessor.
# "audt" in ASCII; nothing else in the service takes advisory locks.
CHAIN_LOCK = 0x61756474

HASHED_FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "case_id",
    "event_type",
    "ip_address",
    "user_agent",
    "path",
    "extra_data",
    "previous_hash",
)


def row_hash(row: dict[str, Any]) -> str:
    """`row` maps every name in HASHED_FIELDS to its value, as saved or as read back."""
    return hashlib.sha256(canonical(row).encode()).hexdigest()


def canonical(row: dict[str, Any]) -> str:
    """One text for the same row whichever database it went through. The values are
    normalised where a database gives back another spelling of the same thing: the
    time in UTC to the microsecond, the IP address in full (PostgreSQL's inet and
    Python print some IPv6 addresses differently), numbers in the JSON by value
    (jsonb keeps decimals, so 1e16 comes back as 10000000000000000)."""
    at = row["at"]
    values = {
        "at": at.astimezone(UTC).isoformat(timespec="microseconds") if at else None,
        "actor": row["actor_id"],
        "actor_username": row["actor_username"],
        "case": None if row["case_id"] is None else str(row["case_id"]),
        "event_type": str(row["event_type"]),
        "ip_address": _address(row["ip_address"]),
        "user_agent": row["user_agent"],
        "path": row["path"],
        "extra_data": row["extra_data"],
        "previous_hash": row["previous_hash"],
    }
    return _json(values)


def as_stored(extra_data: Any) -> Any:
    """The JSON as a database gives it back (tuples as lists, keys as text)."""
    return json.loads(json.dumps(extra_data))


def _address(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return ipaddress.ip_address(value).exploded
    except ValueError:
        return value


def _json(value: Any) -> str:
    # Sorted keys, no spaces, numbers by value: a canonical JSON (in the manner of RFC 8785).
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_json(item) for item in value) + "]"
    if isinstance(value, dict):
        items = sorted((str(key), item) for key, item in value.items())
        return "{" + ",".join(f"{_json(key)}:{_json(item)}" for key, item in items) + "}"
    raise TypeError(f"Cannot hash a {type(value).__name__} in an audit row")


def _number(value: int | float) -> str:
    """The number's exact decimal value as digits and an exponent: 1, 1.0 and 1e0 are
    all "1e0", 1e16 and 10000000000000000 both "1e16". A float is read as the shortest
    decimal that gives it back (its repr), which is what json writes and databases keep."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError("An audit row cannot hold NaN or infinity")
    sign, digits, exponent = number.as_tuple()
    digits = list(digits)
    while len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    if digits == [0]:
        sign, exponent = 0, 0
    return f"{'-' if sign else ''}{''.join(map(str, digits))}e{exponent}"


def last_row_hash(connection, model) -> str:
    """The hash the next row chains onto. Call inside the transaction that inserts it:
    on PostgreSQL this takes the chain's lock, held until that transaction ends, and
    the read after it sees every row committed before. SQLite is configured to start
    each transaction with its write lock (transaction_mode IMMEDIATE, config/settings.py),
    so no other writer can commit between this read and the insert."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
    last = (
        model._base_manager.using(connection.alias)
        .order_by("-id")
        .values_list("row_hash", flat=True)
        .first()
    )
    return last or GENESIS
