"""Reads of a case's stored timeline. The case itself comes from
cases.selectors.case_for_user, which scopes it to the user and records the read."""

from dataclasses import dataclass

from django.http import Http404

from timeline.models import CaseMilestone, MilestoneEvent
from timeline.presentation import STATUS_LABELS, due_text


@dataclass(frozen=True)
class MilestoneRow:
    """A stored milestone as it stands today."""

    stored: CaseMilestone
    status: str
    days_overdue: int

    def __getattr__(self, name):
        return getattr(self.stored, name)

    @property
    def due_text(self) -> str:
        return due_text(self.stored, self.status)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status][0]

    @property
    def status_class(self) -> str:
        return STATUS_LABELS[self.status][1]


def _row(stored: CaseMilestone, now) -> MilestoneRow:
    return MilestoneRow(stored, stored.status_on(now), stored.days_overdue_on(now))


def milestone_rows(case, now) -> list[MilestoneRow]:
    """Every milestone of a case the caller has read through case_for_user, as it stands
    at `now` (a datetime: a due counted in hours turns overdue at the hour)."""
    return [_row(row, now) for row in case.milestones.all()]


def milestone_row(case, milestone_id: str, now) -> MilestoneRow:
    stored = CaseMilestone.objects.filter(case=case, milestone_id=milestone_id).first()
    if stored is None:
        raise Http404("This milestone does not apply to the case")
    return _row(stored, now)


def current_event(case, milestone_id: str) -> MilestoneEvent | None:
    """What is recorded for the milestone now (done, or not applicable), if anything."""
    return (
        MilestoneEvent.objects.filter(
            case=case, milestone_id=milestone_id, withdrawn_at__isnull=True
        )
        .select_related("recorded_by")
        .first()
    )
