"""Birth and after: the discharge planning meeting, the visit schedule, the review
conference and the mid-point review.

The birth itself (date, time, babies) is the case's outcome (cases.Baby, recorded by
cases.services.outcome_record); discharge and placement are the case's facts
(Case.planned_discharge_date, discharge, placement, placement_date). These records hold
the work done after the birth. Each case has at most one current record of each kind:
a record is changed in place (audited field by field) or withdrawn, never deleted.
"""

import uuid

from django.conf import settings
from django.db import models

from cases.models import Placement, Withdrawable


class VisitingAgency(models.TextChoices):
    """Who attends a meeting or visits: the three agencies of the procedure, or another."""

    CSC = "csc", "Children's social care"
    MIDWIFERY = "midwifery", "Midwifery"
    PHN = "phn", "Public health nursing"
    OTHER = "other", "Another agency"


# The discharge planning meeting should have all three (procedure; issue 9's warning).
EXPECTED_AGENCIES = (VisitingAgency.CSC, VisitingAgency.MIDWIFERY, VisitingAgency.PHN)


class PostnatalRecord(Withdrawable):
    """What every record of this app has: a random id, its case, who recorded it, and
    its withdrawal (a record made in error is withdrawn with a reason, never deleted)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="%(app_label)s_%(class)s_one_current",
            )
        ]


class DischargePlanningMeeting(PostnatalRecord):
    """Held after the birth and before the baby leaves hospital: it confirms the baby's
    placement and agrees the agencies' interventions. Who chairs it, records it and
    distributes the record is decided at the meeting (procedure)."""

    held_on = models.DateField("date of the meeting")
    placement = models.CharField("placement confirmed", max_length=20, choices=Placement.choices)
    planned_discharge_date = models.DateField(null=True, blank=True)
    interventions = models.TextField("agreed multi-agency interventions", blank=True)
    chair = models.CharField("who chaired", max_length=200, blank=True)
    recorder = models.CharField("who recorded the meeting", max_length=200, blank=True)
    distributor = models.CharField("who distributes the record", max_length=200, blank=True)
    record_distributed_on = models.DateField(null=True, blank=True)

    class Meta(PostnatalRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"Discharge planning meeting {self.held_on}"

    @property
    def missing_agencies(self) -> list[str]:
        """The expected agencies no attendee came from ("Midwifery"), for the warning."""
        present = {attendee.agency for attendee in self.attendees.all()}
        return [agency.label for agency in EXPECTED_AGENCIES if agency not in present]


class DischargePlanningAttendee(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(
        DischargePlanningMeeting, on_delete=models.CASCADE, related_name="attendees"
    )
    position = models.PositiveSmallIntegerField()
    agency = models.CharField(max_length=20, choices=VisitingAgency.choices)
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class VisitSchedule(PostnatalRecord):
    """The visits each agency will make once the baby is home, agreed on a day (with the
    discharge planning meeting). Health staff keep their own agency's rows."""

    agreed_on = models.DateField(null=True, blank=True)
    notes = models.TextField("what the schedule is based on", blank=True)

    class Meta(PostnatalRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"Visit schedule {self.agreed_on or 'not agreed'}"


class ScheduledVisit(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    schedule = models.ForeignKey(VisitSchedule, on_delete=models.CASCADE, related_name="visits")
    position = models.PositiveSmallIntegerField()
    agency = models.CharField(max_length=20, choices=VisitingAgency.choices)
    who = models.CharField("who visits", max_length=200)
    frequency = models.CharField("how often, or on which dates", max_length=200)
    notes = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return f"{self.who}: {self.frequency}"


class ReviewOutcome(models.TextChoices):
    PLAN_CONTINUES = "plan_continues", "The child protection plan continues"
    PLAN_ENDED = "plan_ended", "The child protection plan ended"


class ReviewConference(PostnatalRecord):
    """The child protection review conference, within four weeks of the birth."""

    held_on = models.DateField("date of the conference")
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices)
    notes = models.TextField(blank=True)

    class Meta(PostnatalRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"Review conference {self.held_on}"


class MidpointOutcome(models.TextChoices):
    CONTINUES = "continues", "The placement continues"
    RETURNING_HOME = "returning_home", "Parent and baby to return to the community"
    ENDING = "ending", "The placement is ending: the baby is to live elsewhere"


class MidpointReview(PostnatalRecord):
    """The parent and child placement's mid-point review, 6 to 8 weeks in."""

    held_on = models.DateField("date of the review")
    outcome = models.CharField(max_length=20, choices=MidpointOutcome.choices)
    notes = models.TextField(blank=True)

    class Meta(PostnatalRecord.Meta):
        pass

    def __str__(self) -> str:
        return f"Mid-point review {self.held_on}"
