"""The case register: one case per pregnancy (the unborn baby), later per baby.

Models hold data; rules live in rules/ and changes go through cases/services.py.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from rules import csc
from rules.dates import format_date

# No 0/O, 1/I/L: a reference is read out on the phone and typed from paper.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_reference() -> str:
    return "PB-" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))


class CscInput(models.TextChoices):
    NONE = "none", "Not open to children's social care"
    ASSESSMENT = "assessment", "Assessment"
    CHILD_IN_NEED = "child_in_need", "Child in Need"
    CHILD_PROTECTION = "child_protection", "Child Protection plan"
    PRE_PROCEEDINGS = "pre_proceedings", "Pre-proceedings"
    CARE_PROCEEDINGS = "care_proceedings", "Care proceedings"
    CLA_PARENT_AND_CHILD = "cla_parent_and_child", "Looked after in a parent and child placement"
    CLOSED = "closed", "Closed to children's social care"


OPEN_TO_CSC = frozenset(CscInput(level) for level in csc.OPEN_TO_CSC)


class IdentificationSource(models.TextChoices):
    BOOKING = "booking", "Midwifery booking appointment"
    GP = "gp", "GP"
    HOSPITAL = "hospital", "Hospital or emergency department"
    CSC = "csc", "Children's social care"
    PHN = "phn", "Health visitor or school nurse"
    OTHER_AGENCY = "other_agency", "Another agency (for example police or housing)"
    FAMILY = "family", "The family or a member of the public"


class PregnancyOutcome(models.TextChoices):
    LIVE_BIRTH = "live_birth", "Live birth"
    MISCARRIAGE = "miscarriage", "Miscarriage"
    STILLBIRTH = "stillbirth", "Stillbirth"
    TERMINATION = "termination", "Termination of pregnancy"
    NEONATAL_DEATH = "neonatal_death", "Neonatal death"


LOSS_OUTCOMES = frozenset(
    {
        PregnancyOutcome.MISCARRIAGE,
        PregnancyOutcome.STILLBIRTH,
        PregnancyOutcome.TERMINATION,
        PregnancyOutcome.NEONATAL_DEATH,
    }
)


# Still being tracked: not closed to children's social care, not ended in a loss.
STILL_OPEN = ~models.Q(outcome__in=LOSS_OUTCOMES) & ~models.Q(csc_input=CscInput.CLOSED)

# The named professional of each agency: gap kind -> (field, what is shown when missing).
NAMED_PROFESSIONALS = {
    "social_worker": ("named_social_worker", "No named social worker"),
    "midwife": ("named_midwife", "No named midwife"),
    "health_visitor": ("named_health_visitor", "No named health visitor"),
}


def named_professional_gap(kinds) -> models.Q:
    """Cases with no named professional of any of these kinds. A loss has no gaps: it
    stops every reminder; nor is a missing social worker a gap while the case is not open
    to children's social care. The same rule as Case.named_professional_gaps."""
    missing = models.Q()
    for kind in kinds:
        gap = models.Q(**{f"{NAMED_PROFESSIONALS[kind][0]}__isnull": True})
        if kind == "social_worker":
            gap &= models.Q(csc_input__in=csc.OPEN_TO_CSC)
        missing |= gap
    return missing & ~models.Q(outcome__in=LOSS_OUTCOMES)


class Relationship(models.TextChoices):
    FATHER = "father", "Father"
    PUTATIVE_FATHER = "putative_father", "Putative father"
    PARTNER = "partner", "Mother's partner"


class Placement(models.TextChoices):
    HOME = "home", "Home with parents"
    WIDER_FAMILY = "wider_family", "Wider family"
    FOSTER = "foster", "Foster placement"
    PARENT_AND_CHILD = "parent_and_child", "Parent and child placement"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    NOT_KNOWN = "not_known", "Not known or indeterminate"


class Person(models.Model):
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    address = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Case(models.Model):
    # A random id in every URL: case ids cannot be guessed or counted.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=12, unique=True, default=new_reference)
    locality = models.ForeignKey("accounts.Locality", on_delete=models.PROTECT)
    mother = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="pregnancies")
    edd = models.DateField("expected due date", db_index=True)
    identified_date = models.DateField("date the pregnancy was identified")
    identified_source = models.CharField(
        "where the pregnancy was identified", max_length=20, choices=IdentificationSource.choices
    )
    csc_input = models.CharField(
        "level of CSC input",
        max_length=30,
        choices=CscInput.choices,
        default=CscInput.NONE,
        db_index=True,
    )
    named_social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    named_midwife = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    named_health_visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The facts the timeline engine works from (see rules/timeline.py, CaseFacts).
    referral_date = models.DateField("date of referral to CSC", null=True, blank=True)
    complex = models.BooleanField("complex case", default=False)
    allocation_date = models.DateField(null=True, blank=True)
    significant_harm = models.BooleanField("risk of significant harm identified", default=False)
    strategy_discussion_date = models.DateField(null=True, blank=True)
    bla_panel = models.BooleanField("Becoming Looked After panel needed", default=False)
    # The discharge planning meeting is due before discharge: by the planned date if known.
    planned_discharge_date = models.DateField(null=True, blank=True)
    discharge = models.DateTimeField("discharge from hospital", null=True, blank=True)
    placement = models.CharField(max_length=20, choices=Placement.choices, blank=True)
    placement_date = models.DateField(null=True, blank=True)
    # The protocol version the stored timeline was computed from.
    protocol_version = models.CharField(max_length=50, blank=True)
    # A digest of the facts and the engine the stored timeline was computed from, and the
    # day it could change without them (timeline.services.timeline_is_current): what
    # lets recompute_timelines pass over a case without computing it.
    timeline_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    timeline_steady_until = models.DateField(null=True, blank=True, editable=False)
    outcome = models.CharField(
        "pregnancy outcome", max_length=20, choices=PregnancyOutcome.choices, blank=True
    )
    outcome_date = models.DateField(null=True, blank=True)
    # The first baby's date of birth, kept here so lists and cohorts need no join.
    birth_date = models.DateField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # When the retention rules anonymised the case (cases.retention): never again after.
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    # One more at every save. A change form posts the version it was shown with, so a
    # change someone else made meanwhile is not silently overwritten.
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        indexes = [models.Index(fields=["locality", "csc_input", "edd"])]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args, update_fields=None, **kwargs):
        """Every save moves the version on (see `version`) and stamps updated_at, also
        when it names only the fields it changed."""
        self.version = (self.version or 0) + 1
        if update_fields is not None:
            update_fields = {*update_fields, "version", "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def lock_for_change(self) -> None:
        """Reload the case with its row locked until the transaction ends, so two people
        changing it at once queue, and each change is checked against what is there now
        (PostgreSQL; on SQLite every transaction takes the write lock as it starts)."""
        # NO KEY: audit rows and milestones that point at the case can still be written.
        self.refresh_from_db(from_queryset=Case.objects.select_for_update(no_key=True))

    @property
    def is_loss(self) -> bool:
        return self.outcome in LOSS_OUTCOMES

    @property
    def is_born(self) -> bool:
        return self.outcome == PregnancyOutcome.LIVE_BIRTH

    @property
    def named_professional_gaps(self) -> list[str]:
        """ "No named health visitor", …: before and after the birth, for every baby
        should have one in each agency; none after a loss (see named_professional_gap)."""
        if self.is_loss:
            return []
        return [
            missing
            for kind, (field, missing) in NAMED_PROFESSIONALS.items()
            if getattr(self, f"{field}_id") is None
            and (kind != "social_worker" or self.is_open_to_csc)
        ]

    @property
    def is_open_to_csc(self) -> bool:
        return csc.is_open(self.csc_input)

    # Decisions read from the level of CSC input, never stored beside it.
    @property
    def cp_plan(self) -> bool:
        return csc.has_cp_plan(self.csc_input)

    @property
    def pre_proceedings(self) -> bool:
        return csc.in_pre_proceedings(self.csc_input)

    @property
    def display_name(self) -> str:
        mother = self.mother.full_name
        if self.birth_date:  # born alive, including a baby who has since died
            return f"Baby of {mother}"
        if self.outcome:
            return f"Pregnancy of {mother}"
        return f"Unborn baby of {mother}"


class Partner(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="partners")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return f"{self.person.full_name} ({self.get_relationship_display().lower()})"


class EddRevision(models.Model):
    """Every value the EDD has had, with why it changed. Never edited or removed."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="edd_revisions")
    edd = models.DateField()
    previous_edd = models.DateField(null=True, blank=True)
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{format_date(self.edd)}: {self.reason}"


class Baby(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="babies")
    birth_order = models.PositiveSmallIntegerField(default=1)
    given_name = models.CharField(max_length=100, blank=True)
    family_name = models.CharField(max_length=100, blank=True)
    born_at = models.DateTimeField()
    sex = models.CharField(max_length=20, choices=Sex.choices, blank=True)  # "": not recorded
    nhs_number = models.CharField(max_length=10, blank=True, db_index=True)
    birth_weight_grams = models.PositiveIntegerField(null=True, blank=True)
    # When a baby born alive later dies. Once every baby of the pregnancy has died,
    # the case's outcome becomes a neonatal death and its reminders stop.
    died_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["birth_order"]
        constraints = [
            models.UniqueConstraint(fields=["case", "birth_order"], name="baby_unique_birth_order")
        ]

    def __str__(self) -> str:
        return self.full_name or f"Baby {self.birth_order}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()


class Withdrawable(models.Model):
    """A record of work on a case that, made in error, is withdrawn with a reason and never
    deleted: it stays in the history, marked withdrawn (checkpoints, specialist
    assessments, decisions, the records after the birth, visits, case notes, documents)."""

    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_reason = models.TextField(blank=True)

    class Meta:
        abstract = True

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    def mark_withdrawn(self, actor, reason: str, *also_save: str) -> None:
        """Withdrawn now by `actor` for `reason`, saving those fields (and `also_save`).
        The service that calls it checks, syncs and audits, in its transaction."""
        self.withdrawn_at = timezone.now()
        self.withdrawn_by = actor
        self.withdrawn_reason = reason
        self.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason", *also_save])


class CaseRestriction(models.Model):
    """A case restricted to named people (a member of staff's family, a family in the
    news): only they, among those who could otherwise see the case, see it at all. The
    one place this is applied is cases.restrictions, read by cases.selectors.visible_cases."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="restriction")
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    reason = models.TextField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Restriction on {self.case.reference}"
