"""The assessment's checkpoints (agencies informed, the 10-day checkpoint, the multi-agency
assessment meeting, the 30-day checkpoint, the family network) and specialist assessments.

One `Checkpoint` table with a `kind` and typed columns, rather than five tables or one
JSON blob: the five kinds share most of what they record (a day, notes, who recorded it,
its withdrawal), each kind's own facts are few and typed (a team manager, an outcome and
its reason, a route, whether the family was there), and "every 30-day checkpoint that
agreed the full 45 days" is one indexed query. The people and agencies (told of the
assessment, or at the meeting) are rows of `Participant`. Database constraints keep each
kind's required facts, so a row cannot say what its kind could not.

The kinds are the protocol's milestone ids and recorded-step kinds (`record:<kind>`):
a checkpoint establishes the step of its own kind (timeline.services.steps_sync).
"""

import uuid

from django.conf import settings
from django.db import models

from cases.models import Withdrawable


class CheckpointKind(models.TextChoices):
    AGENCIES_INFORMED = "agencies_informed", "Involved agencies informed"
    CHECKPOINT_10_DAY = "checkpoint_10_day", "10-day checkpoint with the team manager"
    MULTI_AGENCY_MEETING = "multi_agency_meeting", "Multi-agency assessment meeting"
    CHECKPOINT_30_DAY = "checkpoint_30_day", "30-day checkpoint"
    FAMILY_NETWORK = "family_network", "Family Group Conference referral or wider family explored"


class ThirtyDayOutcome(models.TextChoices):
    COMPLETE = "complete", "Assessment complete"
    FULL_45_DAYS = "full_45_days", "The full 45 days agreed with the team manager"


class NetworkRoute(models.TextChoices):
    FGC_REFERRAL = "fgc_referral", "Family Group Conference referral made"
    WIDER_FAMILY = "wider_family", "Wider family and support networks explored"


class ParticipantAgency(models.TextChoices):
    """The agencies a family may be known to: the three that own milestones
    (accounts.AgencyCode's csc, midwifery, phn) and the others the procedure's "any
    agencies involved with the family" covers."""

    CSC = "csc", "Children's social care"
    MIDWIFERY = "midwifery", "Midwifery"
    PHN = "phn", "Public health nursing (health visiting)"
    GP = "gp", "GP"
    POLICE = "police", "Police"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Housing"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol service"
    MENTAL_HEALTH = "mental_health", "Adult mental health"
    EDUCATION = "education", "Education"
    EARLY_HELP = "early_help", "Early help or children's centre"
    OTHER = "other", "Another agency"


class Checkpoint(Withdrawable):
    """One checkpoint of one case, as recorded. A correction changes it (audited with
    before and after); a mistake is withdrawn with a reason, and the row stays."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="checkpoints")
    kind = models.CharField(max_length=30, choices=CheckpointKind.choices)
    # The day it happened: agencies informed by, the meeting held, the referral made.
    held_on = models.DateField()
    # The 10-day checkpoint's manager; the 30-day checkpoint's, when it agreed 45 days.
    team_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    outcome = models.CharField(max_length=20, choices=ThirtyDayOutcome.choices, blank=True)
    reason = models.TextField(blank=True)  # why the assessment needs the full 45 days
    route = models.CharField(max_length=20, choices=NetworkRoute.choices, blank=True)
    family_present = models.BooleanField(null=True, blank=True)  # at the meeting
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # One more at every change: a change form posts the version it showed.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["held_on", "recorded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "kind"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_checkpoint_per_kind",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="checkpoint_10_day")
                | models.Q(team_manager__isnull=False),
                name="checkpoint_10_day_has_team_manager",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="checkpoint_30_day") | ~models.Q(outcome=""),
                name="checkpoint_30_day_has_outcome",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="full_45_days")
                | (~models.Q(reason="") & models.Q(team_manager__isnull=False)),
                name="full_45_days_has_reason_and_team_manager",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="family_network") | ~models.Q(route=""),
                name="family_network_has_route",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="multi_agency_meeting")
                | models.Q(family_present__isnull=False),
                name="multi_agency_meeting_says_if_family_present",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawn_reason=""),
                name="checkpoint_withdrawn_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.held_on}"

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


class Participant(models.Model):
    """An agency told of the assessment (agencies informed), or a person at the
    multi-agency assessment meeting with their agency, name and role. `user` links a
    named professional of the case who was there."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    checkpoint = models.ForeignKey(
        Checkpoint, on_delete=models.CASCADE, related_name="participants"
    )
    agency = models.CharField(max_length=20, choices=ParticipantAgency.choices)
    name = models.CharField(max_length=200, blank=True)  # the other agency's name, or a person's
    role = models.CharField(max_length=200, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.described

    @property
    def described(self) -> str:
        """ "Priya Sharma, social worker (Children's social care)"; "Police"."""
        who = ", ".join(part for part in (self.name, self.role) if part)
        agency = self.get_agency_display()
        if self.agency == ParticipantAgency.OTHER and self.name and not self.role:
            return self.name
        return f"{who} ({agency})" if who else agency


class SpecialistKind(models.TextChoices):
    PAMS = "pams", "PAMS assessment"
    PARENTING_CAPACITY = "parenting_capacity", "Parenting capacity assessment"
    HAIR_STRAND = "hair_strand", "Hair strand test"
    DNA = "dna", "DNA test"
    OTHER = "other", "Another specialist assessment"


class SpecialistAssessment(Withdrawable):
    """A specialist assessment of a parent: when it was requested, from whom, when it was
    completed and what it found. Flagged (checkpoints.selectors) when the first request
    of its kind came after the ICPC or the PLO letter (rules/specialist.py)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="specialist_assessments"
    )
    kind = models.CharField(max_length=30, choices=SpecialistKind.choices)
    other_name = models.CharField(max_length=200, blank=True)  # for "other"
    requested_on = models.DateField()
    provider = models.CharField(max_length=200, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    outcome = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["requested_on", "recorded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="other") | ~models.Q(other_name=""),
                name="other_specialist_assessment_is_named",
            ),
            models.CheckConstraint(
                condition=models.Q(completed_on__isnull=True)
                | models.Q(completed_on__gte=models.F("requested_on")),
                name="specialist_assessment_completed_after_requested",
            ),
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True) | ~models.Q(withdrawn_reason=""),
                name="specialist_assessment_withdrawn_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["case", "kind"])]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.requested_on}"

    @property
    def name(self) -> str:
        """What it is called: "Hair strand test", or the name typed for another kind."""
        return self.other_name if self.kind == SpecialistKind.OTHER else self.get_kind_display()

    @property
    def first_request_key(self) -> tuple[str, str]:
        """Requests of the same kind (another's by its name) share a first request."""
        name = self.other_name.strip().lower() if self.kind == SpecialistKind.OTHER else ""
        return (self.kind, name)
