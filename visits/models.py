"""Visits and case notes, recorded in under two minutes on a phone.

A visit of the right kind is a recorded step of the procedure (rules/visits.py
STEP_OF_TYPE): visits.services keeps its timeline.CaseStep in step. Nothing is deleted:
a visit recorded in error is withdrawn, with who and why, and stays in the history.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import AgencyCode
from cases.models import Withdrawable
from rules import visits as rules


def _agency_label(code: str) -> str:
    return AgencyCode(code).label if code in AgencyCode.values else code


class VisitType(models.TextChoices):
    INTRODUCTORY = rules.INTRODUCTORY, "Introductory home visit"
    HOME = rules.HOME, "Home visit"
    FOSTER = rules.FOSTER, "Foster placement visit"
    ANTENATAL = rules.ANTENATAL, "Antenatal contact"
    NEW_BIRTH = rules.NEW_BIRTH, "New birth visit"
    OTHER = rules.OTHER, "Other visit"


class Seen(models.TextChoices):
    """Who was seen. The baby has its own question (BabySeen), which can be "not yet born"."""

    MOTHER = "mother", "Mother"
    FATHER = "father", "Father or partner"
    CHILDREN = "children", "Other children"
    FAMILY = "family", "Wider family"


class BabySeen(models.TextChoices):
    YES = rules.BABY_SEEN, "Yes"
    NO = rules.BABY_NOT_SEEN, "No"
    UNBORN = rules.BABY_UNBORN, "Not yet born"


class Visit(Withdrawable):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="visits")
    visited_at = models.DateTimeField()
    type = models.CharField(max_length=20, choices=VisitType.choices)
    # The recorder's agency when they recorded it (accounts.AgencyCode): whose visit it is.
    agency = models.CharField(max_length=20)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    # Seen's codes, in Seen's order.
    seen = models.JSONField(default=list, blank=True)
    seen_other = models.CharField("anyone else seen", max_length=200, blank=True)
    baby_seen = models.CharField(max_length=10, choices=BabySeen.choices)
    # Asked for an introductory home visit, when the father or partner was not seen: the
    # procedure's introduction is to both parents, including putative fathers.
    father_not_seen_reason = models.TextField(blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-visited_at", "-recorded_at"]
        indexes = [models.Index(fields=["case", "-visited_at"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} {self.visited_at:%Y-%m-%d %H:%M}"

    @property
    def agency_label(self) -> str:
        return _agency_label(self.agency)

    @property
    def father_seen(self) -> bool:
        return Seen.FATHER in self.seen

    def seen_labels(self) -> list[str]:
        """Who was seen, as words: "Mother", "Father or partner", then anyone else typed."""
        labels = [Seen(code).label for code in Seen.values if code in self.seen]
        return labels + ([self.seen_other] if self.seen_other else [])


class NoteKind(models.TextChoices):
    CASE_NOTE = "case_note", "Case note"
    SUPERVISION = "supervision", "Supervision note"
    MANAGEMENT_DIRECTION = "management_direction", "Management direction"


class CaseNote(Withdrawable):
    """A note on the case. A management direction is a team or operations manager's. A
    supervision note is the agency's supervision on this baby: the tracking meeting reads
    the latest (meetings.selectors.meeting_pack). Never changed; one written in error is
    withdrawn, with who and why, and stays in the history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="case_notes")
    kind = models.CharField(max_length=30, choices=NoteKind.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.CharField(max_length=20)  # the author's, when they wrote it
    written_at = models.DateTimeField(auto_now_add=True)
    # The day it is about (a supervision held, a conversation), when not the day written.
    on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-written_at"]
        indexes = [models.Index(fields=["case", "-written_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.written_at:%Y-%m-%d}"

    @property
    def about(self) -> date:
        """The day it is about: `on`, else the London day it was written."""
        return self.on or timezone.localdate(self.written_at)

    @property
    def agency_label(self) -> str:
        return _agency_label(self.agency)
