"""The pre-birth assessment: its 15 areas as a task list, and the team manager's authorisation.

One assessment per case, opened by the allocated worker once the case is allocated. Its
areas (rules/assessment.py) are written by children's social care; the named midwife and
health visitor add their own agency's view to "views of other agencies". Changes go
through assessments/services.py.
"""

import uuid

from django.conf import settings
from django.db import models

from accounts.models import AgencyCode
from rules import assessment as rules


class AssessmentState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Sent for authorisation"
    AUTHORISED = "authorised", "Authorised"
    RETURNED = "returned", "Returned for changes"


# The areas can be changed while the assessment is being written, or once returned.
OPEN_FOR_CHANGE = frozenset({AssessmentState.IN_PROGRESS, AssessmentState.RETURNED})


class AreaStatus(models.TextChoices):
    NOT_STARTED = rules.NOT_STARTED, rules.STATUS_LABELS[rules.NOT_STARTED]
    IN_PROGRESS = rules.IN_PROGRESS, rules.STATUS_LABELS[rules.IN_PROGRESS]
    COMPLETED = rules.COMPLETED, rules.STATUS_LABELS[rules.COMPLETED]


class Assessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="assessment")
    # The author: the worker who opened it.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_on = models.DateField()
    state = models.CharField(
        max_length=20, choices=AssessmentState.choices, default=AssessmentState.IN_PROGRESS
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    # The day the team manager authorised it: the assessment's completion.
    authorised_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Pre-birth assessment of {self.case_id}"

    @property
    def state_label(self) -> str:
        return self.get_state_display()

    @property
    def open_for_change(self) -> bool:
        return self.state in OPEN_FOR_CHANGE

    def ordered_areas(self) -> list["AssessmentArea"]:
        """The areas in the procedure's order."""
        return sorted(self.areas.all(), key=lambda area: area.position)

    def completed_count(self) -> int:
        return sum(area.status == AreaStatus.COMPLETED for area in self.areas.all())


class AssessmentArea(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="areas")
    code = models.CharField(max_length=40, choices=[(a.code, a.title) for a in rules.AREAS])
    status = models.CharField(
        max_length=20, choices=AreaStatus.choices, default=AreaStatus.NOT_STARTED
    )
    text = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)
    # One more at every save: the form posts the one it showed (two people, one area).
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="one_area_of_each_code")
        ]

    def __str__(self) -> str:
        return rules.area_title(self.code)

    @property
    def title(self) -> str:
        return rules.area_title(self.code)

    @property
    def hint(self) -> str:
        return rules.AREAS_BY_CODE[self.code].hint

    @property
    def position(self) -> int:
        return rules.AREA_CODES.index(self.code)


# The agencies whose staff add their own view (the named midwife, the health visitor).
VIEW_AGENCIES = [(code, AgencyCode(code).label) for code in (AgencyCode.MIDWIFERY, AgencyCode.PHN)]


class AgencyView(models.Model):
    """A health agency's view for "views of other agencies", written by its own staff."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(
        Assessment, on_delete=models.PROTECT, related_name="agency_views"
    )
    agency = models.CharField(max_length=20, choices=VIEW_AGENCIES)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField()
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "agency"], name="one_view_per_agency")
        ]

    def __str__(self) -> str:
        return f"{self.agency} view"
