"""Each case's milestones, stored so lists and dashboards are indexed queries.

CaseMilestone rows are the engine's output, rewritten whenever a fact changes
(in the same transaction). MilestoneEvent rows are people's input: "done on",
"not applicable because". Neither is ever edited by hand.
"""

from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from rules.status import done_when_due, milestone_status


class MilestoneState(models.TextChoices):
    """What is stored. Whether an open milestone is overdue or due soon depends on
    the day you look, so it is worked out from due_date and warning_from."""

    OPEN = "open", "Open"
    DONE = "done", "Done"
    DONE_LATE = "done_late", "Done late"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    CLOSED = "closed", "Closed"


# What is overdue, due soon or open, as database filters. They are
# rules.status.milestone_status written in SQL, over the stored columns, and must say
# what it says (tests/test_status_agrees.py checks that they do, day by day):
#   done by the passing of its due date (ends_when_due): done once that day comes;
#   overdue: open, and past its due_at (hours) or its due_date (days);
#   due soon: open, not yet overdue, and warning_from has come.
# `when` is a date, or an aware datetime when hours matter: a due counted in hours
# (due_at) is overdue the moment after it, not from the next day.


def _today_now(when: date | datetime) -> tuple[date, datetime | None]:
    if isinstance(when, datetime):
        return timezone.localdate(when), when
    return when, None


def open_on(when: date | datetime, prefix: str = "") -> models.Q:
    """Milestones still open: stored open, less the ones that end themselves and whose
    day has come. `prefix` is the path from the queried model ("milestones__")."""
    today, _ = _today_now(when)
    return models.Q(**{f"{prefix}state": MilestoneState.OPEN}) & ~models.Q(
        **{f"{prefix}ends_when_due": True, f"{prefix}due_date__lte": today}
    )


def overdue_on(when: date | datetime, prefix: str = "") -> models.Q:
    """Open and past due (rules.status.is_past_due)."""
    today, now = _today_now(when)
    past = models.Q(**{f"{prefix}due_date__lt": today})
    if now is not None:
        past = (models.Q(**{f"{prefix}due_at__isnull": True}) & past) | models.Q(
            **{f"{prefix}due_at__lt": now}
        )
    return open_on(when, prefix) & past


def pending_on(when: date | datetime, prefix: str = "") -> models.Q:
    """Open, with a due date that has not passed yet: overdue_on's other half."""
    today, now = _today_now(when)
    not_past = models.Q(**{f"{prefix}due_date__gte": today})
    if now is not None:
        not_past = (models.Q(**{f"{prefix}due_at__isnull": True}) & not_past) | models.Q(
            **{f"{prefix}due_at__gte": now}
        )
    return open_on(when, prefix) & not_past


def due_soon_on(when: date | datetime, prefix: str = "") -> models.Q:
    """Pending, and inside its warning window (the protocol's, for each milestone)."""
    today, _ = _today_now(when)
    return pending_on(when, prefix) & models.Q(**{f"{prefix}warning_from__lte": today})


class CaseMilestone(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="milestones")
    milestone_id = models.CharField(max_length=50)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    # The agency that does it and records it (the protocol's `owner`: csc, midwifery, phn),
    # so My work can show each person their own agency's work.
    owner = models.CharField(max_length=20, blank=True)
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

    def _status(self, when: date | datetime) -> tuple[str, int]:
        today, now = _today_now(when)
        done = self.done_date
        if self.state == MilestoneState.OPEN and self.ends_when_due:
            done = done_when_due(self.due_date, today)
        return milestone_status(
            due=timezone.localtime(self.due_at) if self.due_at else self.due_date,
            warning_from=self.warning_from,
            today=today,
            now=now,
            done=done,
            not_applicable=self.state == MilestoneState.NOT_APPLICABLE,
            closed=self.state == MilestoneState.CLOSED,
            tracked_without_date=self.tracked_without_date,
        )

    def status_on(self, when: date | datetime) -> str:
        """The engine's status, from what is stored, on a day (or at a moment, for dues
        counted in hours)."""
        return self._status(when)[0]

    def days_overdue_on(self, when: date | datetime) -> int:
        return self._status(when)[1]


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


class CaseStep(models.Model):
    """A step of the work that the service recorded (a visit, a checkpoint, the
    authorised assessment), as the timeline engine reads it: what kind, by which
    agency, on what day (rules.timeline.RecordedStep).

    Derived, never typed: the record that establishes it (named by `source` and
    `source_id`, e.g. "visits.visit" and the visit's id) keeps it in step through
    timeline.services.steps_sync, in the record's own transaction. A protocol
    milestone with `done_by = "record:<kind>"` is done by the earliest one.
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(max_length=40)
    agency = models.CharField(max_length=20)
    done_on = models.DateField()
    source = models.CharField(max_length=40)
    source_id = models.CharField(max_length=40)

    class Meta:
        ordering = ["done_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id", "kind"], name="one_step_per_record_and_kind"
            )
        ]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.done_on}"
