"""Decisions and plans: strategy discussion, ICPC and birth plan, pre-proceedings and the
PLO letter pack, the Becoming Looked After panel.

The facts these records decide (the level of CSC input, significant harm, the strategy
discussion's date, the BLA panel) stay on the case, stored once; a record sets them
through cases.services in its own transaction, and keeps what it changed so that
withdrawing it can put them back.
"""

import uuid

from django.conf import settings
from django.db import models

from cases.models import Withdrawable
from rules import decisions, plo


class DecisionKind(models.TextChoices):
    NO_FURTHER_ACTION = decisions.NO_FURTHER_ACTION, "No further action"
    CHILD_IN_NEED = decisions.CHILD_IN_NEED, "Child in Need"
    STRATEGY_DISCUSSION = decisions.STRATEGY_DISCUSSION, "Strategy discussion"
    ICPC = decisions.ICPC, "Initial child protection conference"
    LEGAL_PLANNING_MEETING = decisions.LEGAL_PLANNING_MEETING, "Legal planning meeting"
    INITIAL_PLO_MEETING = decisions.INITIAL_PLO_MEETING, "Initial PLO meeting"
    BLA_PANEL = decisions.BLA_PANEL, "Becoming Looked After panel"


class ConferenceOutcome(models.TextChoices):
    CP_PLAN = decisions.CP_PLAN, "Child protection plan"
    NO_PLAN = decisions.NO_PLAN, "No child protection plan"


class PlanCategory(models.TextChoices):
    NEGLECT = "neglect", "Neglect"
    PHYSICAL = "physical", "Physical abuse"
    EMOTIONAL = "emotional", "Emotional abuse"
    SEXUAL = "sexual", "Sexual abuse"
    MULTIPLE = "multiple", "Multiple categories"


class Decision(Withdrawable):
    """One decision or meeting of the assessment's outcome, on the day it was made."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="decisions")
    kind = models.CharField(max_length=30, choices=DecisionKind.choices)
    on = models.DateField("date")
    # What was decided, in the words of the meeting or the manager.
    outcome = models.TextField(blank=True)
    # A strategy discussion: whether it identified a risk of significant harm.
    significant_harm = models.BooleanField(null=True, blank=True)
    # An initial child protection conference: a plan or not, and its category.
    conference_outcome = models.CharField(
        max_length=20, choices=ConferenceOutcome.choices, blank=True
    )
    plan_category = models.CharField(max_length=20, choices=PlanCategory.choices, blank=True)
    # The case's facts this decision changed: {field: {"before": ..., "after": ...}} (JSON
    # values), so that withdrawing it puts back what it changed and nothing else.
    fact_changes = models.JSONField(default=dict, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["on", "recorded_at", "id"]
        indexes = [models.Index(fields=["case", "on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on}"

    @property
    def cp_plan(self) -> bool:
        return (
            self.kind == DecisionKind.ICPC and self.conference_outcome == ConferenceOutcome.CP_PLAN
        )


class BirthPlan(models.Model):
    """The birth plan in the child protection plan: who should be at the birth, who poses
    a risk and cannot be present. One per case, changed as the plan changes; every
    version is kept (BirthPlanVersion)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="birth_plan")
    present_at_birth = models.TextField("who should be at the birth", blank=True)
    not_to_be_present = models.TextField("who poses a risk and cannot be present", blank=True)
    other_arrangements = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Birth plan, version {self.version}"


BIRTH_PLAN_FIELDS = ("present_at_birth", "not_to_be_present", "other_arrangements", "agreed_on")


class BirthPlanVersion(models.Model):
    """A birth plan as it was saved: never changed or removed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    birth_plan = models.ForeignKey(BirthPlan, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    present_at_birth = models.TextField(blank=True)
    not_to_be_present = models.TextField(blank=True)
    other_arrangements = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["birth_plan", "version"], name="birth_plan_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"Birth plan, version {self.version}"


class PloLetter(models.Model):
    """The PLO letter pack (the letter before proceedings) and what went with it. It
    counts as sent only with every enclosure (rules/plo.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField("cases.Case", on_delete=models.PROTECT, related_name="plo_letter")
    sent_on = models.DateField(null=True, blank=True)
    letter_of_concern = models.BooleanField(default=False)
    solicitors_list = models.BooleanField(default=False)
    leaflet = models.BooleanField(default=False)
    fgdm_offer = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return "PLO letter pack"

    @property
    def enclosed(self) -> list[str]:
        return [name for name in plo.ENCLOSURE_NAMES if getattr(self, name)]

    @property
    def state(self) -> plo.PackState:
        return plo.pack_state(self.sent_on, self.enclosed)
