"""Helpers for tests of milestones done by recorded work (`done_by = "record:<kind>"`).

Such a milestone is no longer ticked done by hand: a test that needs one done records
the step, as the app that keeps the work would (`done_by_step`). `old_tick` stores a
hand tick as it was recorded before that rule, for the tests of what still honours and
undoes those.
"""

from datetime import date
from uuid import uuid4

from timeline import services
from timeline.models import MilestoneEvent


def step_kind(milestone_id: str) -> str:
    kind = services.milestone_done_by_step(milestone_id)
    assert kind is not None, f"{milestone_id} is not done by a recorded step"
    return kind


def done_by_step(case, milestone_id: str, day: date) -> None:
    """Do a milestone by recording its step (by the agency that owns it), as its app would."""
    agency = services.milestone_owner(milestone_id)
    services.steps_sync(
        case, source="tests", source_id=uuid4(), steps=[(step_kind(milestone_id), agency, day)]
    )


def old_tick(case, milestone_id: str, day: date, by, note: str = "") -> MilestoneEvent:
    """A hand tick recorded before record-done milestones refused them."""
    event = MilestoneEvent.objects.create(
        case=case, milestone_id=milestone_id, done_date=day, note=note, recorded_by=by
    )
    services.timeline_recompute(case)
    return event


REFUSED = "is done by recording the work itself"
