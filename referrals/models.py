"""The referral (its risk sensible model) and the team manager's allocation with directions.

The referral date and whether the case is complex stay facts on the case
(`Case.referral_date`, `Case.complex`): the timeline is computed from them. These records
hold what the procedure asks the referral and the allocation to say.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from referrals.reference_data import HIGH_RISK_INDICATOR, UNDERLYING_RISK_FACTOR


class RiskFactorKind(models.TextChoices):
    HIGH_RISK_INDICATOR = HIGH_RISK_INDICATOR, "High risk indicator"
    UNDERLYING_RISK_FACTOR = UNDERLYING_RISK_FACTOR, "Underlying risk factor"


class RiskFactor(models.Model):
    """One item of the risk sensible model's lists. Data, so the list can grow without a
    release; a retired item (not active) stays on the referrals that have it."""

    code = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=30, choices=RiskFactorKind.choices)
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "position", "label"]

    def __str__(self) -> str:
        return self.label


class ReferrerAgency(models.TextChoices):
    MIDWIFERY = "midwifery", "Midwifery"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    GP = "gp", "GP"
    POLICE = "police", "Police"
    EDUCATION = "education", "Education"
    SELF_OR_FAMILY = "self_or_family", "Self or family"
    OTHER = "other", "Other"


class Referral(models.Model):
    """The referral to children's social care, as CSC recorded it: one per case."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.OneToOneField(
        "cases.Case", on_delete=models.PROTECT, related_name="referral_record"
    )
    received_on = models.DateField("date of referral")
    referrer_name = models.CharField(max_length=200)
    referrer_agency = models.CharField(max_length=30, choices=ReferrerAgency.choices)
    risk_factors = models.ManyToManyField(RiskFactor, blank=True, related_name="+")
    high_risk_notes = models.TextField("other high risk indicators", blank=True)
    underlying_notes = models.TextField("other underlying risk factors", blank=True)
    complexity_notes = models.TextField("why the case is or is not complex", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Referral of {self.received_on:%Y-%m-%d}"


class Allocation(models.Model):
    """A team manager's allocation of the case to a social worker, with the case note of
    directions. A re-allocation adds a row; the latest is current."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="allocations")
    allocated_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    allocated_on = models.DateField("date of allocation")
    directions = models.TextField("case note of directions")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-allocated_on", "-created_at"]

    def __str__(self) -> str:
        return f"Allocation of {self.allocated_on:%Y-%m-%d}"
