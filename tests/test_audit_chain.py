"""Each audit row carries the hash of the one before it, and verify_audit finds any row
changed, removed or inserted out of place behind the service's back.

The edits go round the triggers of audit/0002 the way someone with the database's
owner role could: the triggers are dropped inside the test's transaction (and come
back when it rolls back)."""

import io
import json
from datetime import timedelta

import hypothesis
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, models, transaction
from hypothesis import strategies as st

from audit import chain, protection
from audit.models import AuditEvent, AuditEventType, AuditImmutableError
from audit.services import AuditContext, audit_record

E = AuditEventType


def verify(*args) -> str:
    out = io.StringIO()
    call_command("verify_audit", *args, stdout=out)
    return out.getvalue()


def refused(*args) -> str:
    with pytest.raises(CommandError) as failure:
        verify(*args)
    assert failure.value.returncode == 1
    return str(failure.value)


def record(n: int = 0, **extra) -> AuditEvent:
    return audit_record(
        actor=None,
        actor_username=f"cmd{n}",
        event_type=E.CASE_LIST_VIEWED,
        context=AuditContext(ip_address="192.0.2.7", user_agent="pytest", path=f"/cases/?p={n}"),
        extra_data={"n": n, **extra},
    )


def raw(model=AuditEvent):
    """A queryset without the model's refusals: only the database's triggers stand."""
    return models.QuerySet(model)


@pytest.fixture
def three(db):
    return [record(n) for n in range(3)]


@pytest.fixture
def unprotected(db):
    protection.remove(connection)


def test_each_row_chains_onto_the_one_before(three):
    first, second, third = (AuditEvent.objects.get(pk=e.pk) for e in three)

    assert first.previous_hash == chain.GENESIS
    assert second.previous_hash == first.row_hash
    assert third.previous_hash == second.row_hash
    for event in (first, second, third):
        as_read = {name: getattr(event, name) for name in chain.HASHED_FIELDS}
        assert event.row_hash == chain.row_hash(as_read)
    assert len({first.row_hash, second.row_hash, third.row_hash}) == 3


def test_a_whole_chain_passes_and_names_its_latest_hash(three):
    output = verify()

    assert "Verified 3 audit rows" in output
    assert three[-1].row_hash in output


def test_an_empty_log_passes_and_its_first_row_starts_the_chain(db):
    assert "Verified 0 audit rows" in verify()

    assert record().previous_hash == chain.GENESIS


def test_an_edited_row_is_named(three, unprotected):
    raw().filter(pk=three[1].pk).update(actor_username="someone-else")

    assert f"Audit row {three[1].pk} has been changed" in refused()


def test_an_edit_of_the_json_is_named(three, unprotected):
    raw().filter(pk=three[2].pk).update(extra_data={"n": 99})

    assert f"Audit row {three[2].pk} has been changed" in refused()


def test_a_removed_row_is_found_at_the_row_after_it(three, unprotected):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [three[1].pk])

    message = refused()

    assert f"Audit row {three[2].pk} does not follow audit row {three[0].pk}" in message


def test_removing_the_first_rows_is_found(three, unprotected):
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [three[0].pk])

    assert f"Audit row {three[1].pk} is the first, but chains onto an earlier row" in refused()


def test_a_row_inserted_out_of_place_is_found_even_with_a_true_hash(three):
    """A forger who knows the scheme puts a well-formed row before the first."""
    forged = {
        "at": three[0].at - timedelta(minutes=5),
        "actor_id": None,
        "actor_username": "forger",
        "case_id": None,
        "event_type": E.SIGNED_IN,
        "ip_address": None,
        "user_agent": "",
        "path": "",
        "extra_data": {},
        "previous_hash": chain.GENESIS,
    }
    forged["row_hash"] = chain.row_hash(forged)
    raw().bulk_create([AuditEvent(id=three[0].pk - 1, **forged)])

    message = refused()

    assert f"Audit row {three[0].pk} does not follow audit row {three[0].pk - 1}" in message


def test_a_row_inserted_with_a_made_up_hash_is_named(three):
    made_up = AuditEvent(
        actor_username="forger", event_type=E.SIGNED_IN, previous_hash=three[-1].row_hash,
        row_hash="f" * 64,
    )  # fmt: skip
    raw().bulk_create([made_up])
    forged = AuditEvent.objects.get(actor_username="forger")

    assert f"Audit row {forged.pk} has been changed" in refused()


def test_a_recorded_hash_must_still_be_in_the_chain(three, unprotected):
    kept = verify().split("hash ")[1].split()[0]
    assert kept == three[-1].row_hash
    assert "Verified 3 audit rows" in verify("--expect", kept)

    # Someone with the owner role cuts the last row off: the rest still chains.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [three[-1].pk])
    assert "Verified 2 audit rows" in verify()

    assert f"No audit row has the hash {kept}" in refused("--expect", kept)


def test_rows_are_not_written_in_bulk(db):
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.bulk_create([AuditEvent(event_type=E.SIGNED_IN)])


def test_a_row_written_inside_a_rolled_back_transaction_leaves_the_chain_whole(db):
    record(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(2)
        raise RuntimeError("the service failed after auditing")
    record(3)

    assert "Verified 2 audit rows" in verify()


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
ADDRESSES = st.sampled_from(
    [None, "192.0.2.7", "2001:DB8::1", "2001:db8:0:0:0:0:0:1", "::ffff:1.2.3.4", "::1"]
)


@hypothesis.settings(
    max_examples=40, deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)  # fmt: skip
@hypothesis.given(extra=st.dictionaries(TEXT, JSON, max_size=4), address=ADDRESSES, agent=TEXT)
def test_whatever_a_row_holds_it_verifies_after_the_database_gave_it_back(
    db, extra, address, agent
):
    with transaction.atomic():
        audit_record(
            actor=None, event_type=E.SIGN_IN_FAILED, extra_data=extra,
            context=AuditContext(ip_address=address, user_agent=agent),
        )  # fmt: skip
        assert "Verified 1 audit rows" in verify()
        transaction.set_rollback(True)


EDITS = {
    "at": st.integers(min_value=1, max_value=10**9).map(lambda us: ("shift", us)),
    "actor_username": TEXT,
    "event_type": st.sampled_from(E.values),
    "ip_address": ADDRESSES,
    "user_agent": TEXT,
    "path": TEXT,
    "extra_data": st.dictionaries(TEXT, JSON, max_size=3),
    "previous_hash": st.text("0123456789abcdef", min_size=64, max_size=64),
    "row_hash": st.text("0123456789abcdef", min_size=64, max_size=64),
}


@hypothesis.settings(
    max_examples=60, deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture],
)  # fmt: skip
@hypothesis.given(edit=st.sampled_from(sorted(EDITS)).flatmap(
    lambda name: st.tuples(st.just(name), EDITS[name])
))  # fmt: skip
def test_any_single_edit_of_any_field_is_caught(db, edit):
    name, value = edit
    with transaction.atomic():
        rows = [record(n, note="as written") for n in range(3)]
        target = AuditEvent.objects.get(pk=rows[1].pk)
        if name == "at":
            value = target.at + timedelta(microseconds=value[1])
        protection.remove(connection)
        raw().filter(pk=target.pk).update(**{name: value})
        edited = AuditEvent.objects.get(pk=target.pk)
        before = {f: getattr(target, f) for f in (*chain.HASHED_FIELDS, "row_hash")}
        after = {f: getattr(edited, f) for f in (*chain.HASHED_FIELDS, "row_hash")}
        # Another spelling of the same value (2001:DB8::1 for 2001:db8::1) is no edit.
        hypothesis.assume(
            chain.canonical(before) != chain.canonical(after)
            or before["row_hash"] != after["row_hash"]
        )

        assert f"Audit row {target.pk} " in refused()
        transaction.set_rollback(True)


def test_the_hash_does_not_depend_on_how_a_database_spells_a_value(db):
    """PostgreSQL's jsonb gives 1e16 back as 10000000000000000 and keys in its own order."""
    event = record(0, big=1e16, half=2.50, one=1.0)
    as_read = {name: getattr(event, name) for name in chain.HASHED_FIELDS}
    respelt = {
        **as_read,
        "extra_data": json.loads('{"one": 1, "n": 0, "big": 10000000000000000, "half": 2.5}'),
    }

    assert chain.row_hash(respelt) == event.row_hash


def test_a_database_emptied_between_browser_tests_starts_a_new_chain(three, unprotected):
    """tests/browser/conftest.py removes the triggers so the database can be flushed."""
    if connection.vendor == "postgresql":
        # Inside the test's transaction, TRUNCATE waits for no deferred foreign key checks.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)

    assert record(3).previous_hash == chain.GENESIS
    assert "Verified 1 audit rows" in verify()
