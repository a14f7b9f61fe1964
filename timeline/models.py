"""Each case's milestones, stored so lists and dashboards are indexed queries.

CaseMilestone rows are the engine's output, rewritten whenever a fact changes
(in the same transaction). MilestoneEvent rows are people's input: "done on",
"not applicable because". Neither is ever edited by hand.
"""

from django.conf import settings
from django.db import models


class MilestoneState(models.TextChoices):
    """What is stored. Whether an open milestone is overdue or due soon depends on
    the day you look, so it is worked out from due_date and warning_from."""

    OPEN = "open", "Open"
    DONE = "done", "Done"
    DONE_LATE = "done_late", "Done late"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    CLOSED = "closed", "Closed"


def open_on(today, prefix: str = "") -> models.Q:
    """Milestones still open on a day: stored open, less the ones that end themselves
    and whose day has come. `prefix` is the path from the queried model ("milestones__")."""
    return models.Q(**{f"{prefix}state": MilestoneState.OPEN}) & ~models.Q(
        **{f"{prefix}ends_when_due": True, f"{prefix}due_date__lte": today}
    )


class CaseMilestone(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="milestones")
    milestone_id = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=20, choices=MilestoneState.choices)
    due_date = models.DateField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)  # when the rule counts hours
    # The first day the milestone counts as due soon (the protocol's warning window).
    warning_from = models.DateField(null=True, blank=True)
    done_date = models.DateField(null=True, blank=True)
    not_applicable_reason = models.TextField(blank=True)
    tracked_without_date = models.BooleanField(default=False)
    # Done when its due date comes (the end of tracking 28 days after birth), so
    # it never turns overdue while no fact changes: see open_on().
    ends_when_due = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["case", "milestone_id"], name="one_row_per_milestone")
        ]
        indexes = [
            models.Index(fields=["state", "due_date"]),
            # Per case: its open milestones in due order (next due, overdue counts).
            models.Index(fields=["case", "state", "due_date"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.milestone_id} {self.state}"

    def status_on(self, today) -> str:
        """The engine's status, from what is stored, on a given day."""
        if self.state != MilestoneState.OPEN:
            return self.state
        if self.ends_when_due and self.due_date is not None and today >= self.due_date:
            return MilestoneState.DONE
        if self.due_date is None:
            return "upcoming" if self.tracked_without_date else "awaiting"
        if today > self.due_date:
            return "overdue"
        if self.warning_from is not None and today >= self.warning_from:
            return "due_soon"
        return "upcoming"

    def days_overdue_on(self, today) -> int:
        if self.state == MilestoneState.DONE_LATE and self.due_date and self.done_date:
            return (self.done_date - self.due_date).days
        if self.status_on(today) == "overdue":
            return (today - self.due_date).days
        return 0


class MilestoneEvent(models.Model):
    """A person's record that a milestone was done, or does not apply. Undoing keeps
    the row (withdrawn_at is set), so the history stays."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="events")
    milestone_id = models.CharField(max_length=50)
    done_date = models.DateField(null=True, blank=True)
    not_applicable_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "milestone_id"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_event_per_milestone",
            ),
            models.CheckConstraint(
                condition=models.Q(done_date__isnull=False) | ~models.Q(not_applicable_reason=""),
                name="event_is_done_or_not_applicable",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.milestone_id}"
