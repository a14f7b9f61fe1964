"""The monthly multi-agency tracking meeting (Terms of Reference): who meets, which
families are discussed, what was said and agreed, and the actions that follow.

A meeting belongs to one locality. Its cohort is proposed by rule (rules/cohort.py) and
adjusted by the chair with a reason; each family's discussion is one row, saved on its own
and versioned so two members typing at once are not silently overwritten. Once the chair
finalises the record it is locked: later corrections are addenda. Actions belong to the
case, not the meeting, so open ones carry forward until someone marks them done.
"""

import uuid

from django.conf import settings
from django.db import models

from accounts.models import AgencyCode
from rules.liaison import LIST_TITLES


def agency_label(code: str) -> str:
    return AgencyCode(code).label if code in AgencyCode.values else code


class MeetingKind(models.TextChoices):
    TRACKING = "tracking", "Pre-birth tracking meeting"
    LIAISON = "liaison", "Pre-birth liaison meeting"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    FINALISED = "finalised", "Finalised"
    CANCELLED = "cancelled", "Cancelled"


class Meeting(models.Model):
    # A random id in every URL, as for cases: meetings cannot be guessed or counted.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(
        max_length=20, choices=MeetingKind.choices, default=MeetingKind.TRACKING
    )
    locality = models.ForeignKey("accounts.Locality", on_delete=models.PROTECT)
    # Meetings scheduled together as a monthly series share this.
    series = models.UUIDField(null=True, blank=True, db_index=True)
    date = models.DateField(db_index=True)
    start_time = models.TimeField()
    end_time = models.TimeField()
    venue = models.CharField(max_length=200, blank=True)
    online_link = models.URLField(max_length=500, blank=True)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    invitations_sent_at = models.DateTimeField(null=True, blank=True)
    # When the cohort was last proposed by rule (see services.cohort_propose).
    cohort_proposed_on = models.DateField(null=True, blank=True)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["date", "start_time"]
        indexes = [models.Index(fields=["locality", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.locality}, {self.date:%Y-%m-%d}"

    def save(self, *args, update_fields=None, **kwargs):
        self.version = (self.version or 0) + 1
        if update_fields is not None:
            update_fields = {*update_fields, "version"}
        super().save(*args, update_fields=update_fields, **kwargs)

    @property
    def is_finalised(self) -> bool:
        return self.status == MeetingStatus.FINALISED


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair (Named Midwife for Safeguarding or deputy)"
    OPERATIONS_MANAGER = "operations_manager", "CSC locality operations manager or deputy"
    NAMED_MIDWIFE = "named_midwife", "Named Midwife for Safeguarding or deputy"
    NAMED_PHN = "named_phn", "Named PHN for Safeguarding or deputy"
    GUEST = "guest", "Guest"


class Attendance(models.TextChoices):
    INVITED = "", "Not recorded"
    ATTENDED = "attended", "Attended"
    DEPUTY = "deputy", "Sent a deputy"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Did not attend"


class MeetingMember(models.Model):
    """Someone invited to the meeting, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=MemberRole.choices)
    agency = models.CharField(max_length=20)  # accounts.AgencyCode, kept as it was on the day
    attendance = models.CharField(max_length=20, choices=Attendance.choices, blank=True)
    deputy_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="meeting_member_once")
        ]

    def __str__(self) -> str:
        return str(self.user)


class Theme(models.Model):
    """A cross-cutting issue tagged on a family's discussion (ToR 3.5). Kept as data so
    the list can grow without a release; retired themes stay on old records."""

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    active = models.BooleanField(default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class CohortChange(models.TextChoices):
    PROPOSED = "", "Proposed by rule"
    ADDED = "added", "Added by the chair"
    REMOVED = "removed", "Removed by the chair"


class Discussion(models.Model):
    """One family in one meeting's cohort, and what the meeting said about it.

    A family removed from the cohort by the chair keeps its row (with the reason), so the
    record shows who was left out and why."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussions")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="discussions")
    position = models.PositiveIntegerField(default=0)
    # Why the rule put it in (or, for an added family, left it out).
    rule_reason = models.CharField(max_length=300, blank=True)
    change = models.CharField(max_length=20, choices=CohortChange.choices, blank=True)
    change_reason = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Known to CSC and not identified by midwifery (ToR 4.4, last point).
    identified_by_csc = models.BooleanField(default=False)
    # A liaison meeting's list the family is in (rules.liaison.LiaisonList); blank at a
    # tracking meeting.
    liaison_list = models.CharField(max_length=20, blank=True)
    # A liaison meeting's discussion of whether the threshold for assessment is met.
    threshold_notes = models.TextField(blank=True)
    current_concerns = models.TextField(blank=True)
    key_points = models.TextField(blank=True)  # one bullet a line
    # The level of CSC input on the day, as the meeting confirmed or changed it.
    level_of_csc_input = models.CharField(max_length=30, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="+")
    other_themes = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "case"], name="discussion_case_once")
        ]

    def __str__(self) -> str:
        return f"{self.case} at {self.meeting}"

    @property
    def in_cohort(self) -> bool:
        return self.change != CohortChange.REMOVED

    @property
    def chosen_themes(self) -> list["Theme"]:
        """Its themes: as the pack read them for the whole meeting (one query, not a
        manager per family), else from the database."""
        if "_chosen_themes" in self.__dict__:
            return self.__dict__["_chosen_themes"]
        return list(self.themes.all())

    @property
    def liaison_title(self) -> str:
        return LIST_TITLES.get(self.liaison_list, "")  # type: ignore[call-overload]

    @property
    def level_label(self) -> str:
        from cases.models import CscInput

        level = self.level_of_csc_input or self.case.csc_input
        return str(dict(CscInput.choices).get(level, level))

    @property
    def key_point_list(self) -> list[str]:
        return [
            line.strip(" -•*\t") for line in self.key_points.splitlines() if line.strip(" -•*\t")
        ]


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_NEEDED = "not_needed", "No longer needed"


class Action(models.Model):
    """Agreed at a meeting for one family; open until marked done, carried forward to the
    locality's next meetings meanwhile."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_agency = models.CharField(max_length=20)  # accounts.AgencyCode
    due_date = models.DateField(db_index=True)
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN, db_index=True
    )
    completed_on = models.DateField(null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["owner", "status", "due_date"])]

    def __str__(self) -> str:
        return self.description

    @property
    def is_open(self) -> bool:
        return self.status == ActionStatus.OPEN

    @property
    def owner_agency_label(self) -> str:
        return agency_label(self.owner_agency)


class Supervision(models.Model):
    """The date a practitioner of one agency was last supervised on this baby (ToR 3.6)."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="supervisions")
    agency = models.CharField(max_length=20)  # accounts.AgencyCode
    supervised_on = models.DateField()
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-supervised_on", "-id"]
        indexes = [models.Index(fields=["case", "agency", "-supervised_on"])]

    def __str__(self) -> str:
        return f"{self.agency} {self.supervised_on:%Y-%m-%d}"


class Addendum(models.Model):
    """A correction to a finalised record: never an edit of it."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="addenda")
    discussion = models.ForeignKey(
        Discussion, on_delete=models.PROTECT, null=True, blank=True, related_name="addenda"
    )
    text = models.TextField()
    reason = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return self.text[:60]
