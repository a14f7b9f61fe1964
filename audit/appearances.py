"""The cases an audit row showed besides its own: the ids a list, a dashboard, a meeting
or an export put in `extra_data["case_ids"]`, one AuditCaseAppearance each, so the data
protection officer's "who saw this case?" reads an index (audit.AuditCaseAppearance)
instead of every row's JSON.

Written by audit.services.audit_record with each row, and for the rows written before
that by migration audit/0014 (`backfill`).
"""

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

CASE_IDS = "case_ids"
BATCH = 2000


def shown_case_ids(extra_data: Any, own_case_id: Any = None) -> list[uuid.UUID]:
    """The case ids the row lists, in order, once each, without its own case (that one is
    the row's `case`, indexed already) and without anything that is not a case id."""
    listed = extra_data.get(CASE_IDS) if isinstance(extra_data, Mapping) else None
    if not isinstance(listed, list | tuple):
        return []
    own = str(own_case_id) if own_case_id is not None else None
    shown: dict[uuid.UUID, None] = {}
    for value in listed:
        try:
            case_id = uuid.UUID(str(value))
        except ValueError:
            continue
        if str(case_id) != own:
            shown[case_id] = None
    return list(shown)


def appearances(model, event, case_ids: Iterable[uuid.UUID]) -> list:
    return [model(event_id=event.pk, case_id=case_id, at=event.at) for case_id in case_ids]


def backfill(*, event_model, appearance_model, case_model, using: str = "default") -> int:
    """An appearance for every case id listed by a row already written, in batches of
    rows; ids of cases that are not there are left out. Run again, it adds nothing.
    Returns how many appearances were added."""
    rows = (
        event_model.objects.using(using)
        .filter(extra_data__has_key=CASE_IDS)
        .order_by("id")
        .only("id", "at", "case_id", "extra_data")
    )
    added, after = 0, 0
    while batch := list(rows.filter(id__gt=after)[:BATCH]):
        wanted = {event.pk: shown_case_ids(event.extra_data, event.case_id) for event in batch}
        every_id = {case_id for ids in wanted.values() for case_id in ids}
        existing = set(
            case_model.objects.using(using).filter(pk__in=every_id).values_list("pk", flat=True)
        )
        already = set(
            appearance_model.objects.using(using)
            .filter(event_id__in=wanted)
            .values_list("event_id", "case_id")
        )
        new = [
            appearance
            for event in batch
            for appearance in appearances(
                appearance_model,
                event,
                [c for c in wanted[event.pk] if c in existing and (event.pk, c) not in already],
            )
        ]
        appearance_model.objects.using(using).bulk_create(new, batch_size=BATCH)
        added += len(new)
        after = batch[-1].pk
    return added
