"""The demo's case history (`manage.py seed_demo`), recorded through the services as
the people would have. Randomness comes from a generator seeded from the case's stable
facts, never from the demo's shared one, so adding work here leaves the cases as they were.
"""

# Milestone id -> a function that records the work which does it:
# fn(*, case, actor, done_on) where actor is someone of the owning agency.
MILESTONE_WORK: dict = {}


def seed_case(*, today, case, recorders, stage) -> None:
    """Work of this kind that no milestone asks for (called once per demo case)."""
