"""The audit log: who read or changed which case, when, from where.

Rows are only ever inserted. The model refuses updates and deletes, and the
database refuses them too (triggers added in migration 0002), so no code path
can rewrite history. Each row carries the hash of the one before it (audit/chain.py),
so a row edited, removed or slipped in behind the service's back shows
(`manage.py verify_audit`).
"""

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone

from audit import chain


class AuditEventType(models.TextChoices):
    CASE_VIEWED = "case_viewed", "Viewed the case"
    CASE_CREATED = "case_created", "Registered the case"
    CASE_CHANGED = "case_changed", "Changed the case"
    EDD_REVISED = "edd_revised", "Revised the expected due date"
    PARTNER_ADDED = "partner_added", "Added a father or partner"
    OUTCOME_RECORDED = "outcome_recorded", "Recorded the pregnancy outcome"
    BABY_DEATH_RECORDED = "baby_death_recorded", "Recorded a baby's death"
    BABY_DEATH_WITHDRAWN = "baby_death_withdrawn", "Withdrew a baby's death recorded in error"
    FACTS_CHANGED = "facts_changed", "Changed referral, assessment or birth facts"
    MILESTONE_DONE = "milestone_done", "Recorded a milestone as done"
    MILESTONE_NOT_APPLICABLE = "milestone_not_applicable", "Marked a milestone not applicable"
    MILESTONE_UNDONE = "milestone_undone", "Undid a recorded milestone"
    TIMELINE_VIEWED = "timeline_viewed", "Viewed the case's timeline"
    AUDIT_VIEWED = "audit_viewed", "Viewed the case's audit log"
    CASE_LIST_VIEWED = "case_list_viewed", "Searched or listed cases"
    POSSIBLE_DUPLICATE_ELSEWHERE = (
        "possible_duplicate_elsewhere",
        "Registering a case, was told a possible match exists (no detail shown)",
    )
    MEETING_SCHEDULED = "meeting_scheduled", "Scheduled a tracking meeting"
    MEETING_CHANGED = "meeting_changed", "Changed a tracking meeting"
    MEETING_VIEWED = "meeting_viewed", "Viewed a tracking meeting and its families"
    INVITATIONS_SENT = "invitations_sent", "Sent a meeting's invitations"
    COHORT_CHANGED = "cohort_changed", "Changed a meeting's cohort"
    DISCUSSION_RECORDED = "discussion_recorded", "Recorded a family's discussion at a meeting"
    ACTION_CHANGED = "action_changed", "Agreed or updated a meeting action"
    SUPERVISION_RECORDED = "supervision_recorded", "Recorded a practitioner's supervision"
    MEETING_FINALISED = "meeting_finalised", "Finalised a meeting's record"
    ADDENDUM_ADDED = "addendum_added", "Added an addendum to a finalised record"
    MEETING_EXPORTED = "meeting_exported", "Exported a meeting record or case note"
    # The pre-birth assessment as work done in the service (issue 9).
    REFERRAL_RECORDED = "referral_recorded", "Recorded or changed the referral"
    CASE_ALLOCATED = "case_allocated", "Allocated the case with directions"
    WORK_RECORDED = "work_recorded", "Recorded a step of the assessment or plan"
    WORK_CHANGED = "work_changed", "Changed a recorded step"
    WORK_WITHDRAWN = "work_withdrawn", "Withdrew a step recorded in error"
    ASSESSMENT_SUBMITTED = "assessment_submitted", "Sent the assessment for authorisation"
    ASSESSMENT_DECIDED = "assessment_decided", "Authorised or returned the assessment"
    VISIT_RECORDED = "visit_recorded", "Recorded a visit"
    VISIT_WITHDRAWN = "visit_withdrawn", "Withdrew a visit recorded in error"
    NOTE_ADDED = "note_added", "Added a case note"
    NOTE_WITHDRAWN = "note_withdrawn", "Withdrew a case note written in error"
    DOCUMENT_UPLOADED = "document_uploaded", "Uploaded a document"
    DOCUMENT_DOWNLOADED = "document_downloaded", "Downloaded a document"
    DOCUMENT_WITHDRAWN = "document_withdrawn", "Withdrew a document"
    DOCUMENT_VIRUS_FOUND = "document_virus_found", "Tried to upload a file with a virus"
    HISTORY_VIEWED = "history_viewed", "Viewed the case's history"
    HISTORY_EXPORTED = "history_exported", "Downloaded the case's history"
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Failed to sign in"
    SIGNED_OUT = "signed_out", "Signed out"
    PASSWORD_CHANGED = "password_changed", "Changed their own password"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Set up two-factor sign-in"
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Signed in with a code from their app"
    TWO_FACTOR_FAILED = "two_factor_failed", "Entered a wrong sign-in code"
    RECOVERY_CODE_USED = "recovery_code_used", "Signed in with a recovery code"
    RECOVERY_CODES_REPLACED = "recovery_codes_replaced", "Made new recovery codes"
    TWO_FACTOR_RESET = "two_factor_reset", "Reset a person's two-factor sign-in"
    ADMIN_CHANGED = "admin_changed", "Added, changed or deleted people or reference data"
    ADMIN_PASSWORD_SET = "admin_password_set", "Set another person's password"
    SESSION_ENDED = "session_ended", "Signed out one of their sessions elsewhere"
    ACCESS_REFUSED = "access_refused", "Was refused a page of case data (403 or 404)"
    CASE_RESTRICTED = "case_restricted", "Restricted the case to named people"
    RESTRICTION_CHANGED = "restriction_changed", "Changed who a restricted case is restricted to"
    CASE_ANONYMISED = "case_anonymised", "Anonymised the case under the retention rules"
    # Alex's commands (manage.py backup / restore): a restore puts back an older log, so
    # the restored log says so.
    BACKUP_MADE = "backup_made", "Backed up the database and documents"
    BACKUP_RESTORED = "backup_restored", "Restored the database and documents from a backup"
    TIMELINES_RECOMPUTED = (
        "timelines_recomputed",
        "Recomputed every case's due dates under the protocol (e.g. a new version)",
    )
    # The data protection officer's pages (dataprotection/).
    DPO_SEARCHED = "dpo_searched", "Searched for a family's case (data protection)"
    RESTRICTIONS_VIEWED = "restrictions_viewed", "Viewed the list of restricted cases"
    ACCESS_LOG_VIEWED = "access_log_viewed", "Viewed who has accessed the case"
    ACCESS_LOG_EXPORTED = "access_log_exported", "Downloaded who has accessed the case"
    SUBJECT_ACCESS_EXPORTED = (
        "subject_access_exported",
        "Downloaded everything held about the family (subject access)",
    )


class AuditImmutableError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("Audit events cannot be changed")

    def delete(self):
        raise AuditImmutableError("Audit events cannot be deleted")

    def bulk_create(self, objs, *args, **kwargs):
        raise AuditImmutableError("Audit events are written one at a time, each chained on")


class AuditEvent(models.Model):
    # Set when the row is chained (save), not when the object is made: a hashed value.
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    # Kept as text as well, so the row still says who it was if the account is renamed.
    actor_username = models.CharField(max_length=150, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    event_type = models.CharField(max_length=40, choices=AuditEventType.choices)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=500, blank=True)
    extra_data = models.JSONField(default=dict, blank=True)
    # The row_hash of the row before (chain.GENESIS for the first row), and this row's.
    previous_hash = models.CharField(max_length=64, editable=False)
    row_hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "-at"]), models.Index(fields=["actor", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.event_type}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("Audit events cannot be changed")
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        # No savepoint: if the row cannot be written, the change it records must fail too.
        with transaction.atomic(using=using, savepoint=False):
            self.previous_hash = chain.last_row_hash(connections[using], type(self))
            self.at = timezone.now()
            self.extra_data = chain.as_stored(self.extra_data)
            self.row_hash = chain.row_hash(
                {name: getattr(self, name) for name in chain.HASHED_FIELDS}
            )
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Audit events cannot be deleted")


class AuditCaseAppearanceQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutableError("Audit rows cannot be changed")

    def delete(self):
        raise AuditImmutableError("Audit rows cannot be deleted")


class AuditCaseAppearance(models.Model):
    """A case that a list, a dashboard, a meeting or an export showed: one row for each
    case id in an audit row's `extra_data["case_ids"]` (but the row's own `case`), so
    "who saw this case?" is one indexed read, not a scan of every row's JSON. Written
    with the audit row it belongs to (audit.services.audit_record), never changed: the
    model refuses updates and deletes, and so does the database (migration 0013)."""

    # No index of their own: the (case, -at) index and the (event, case) constraint's serve.
    event = models.ForeignKey(
        AuditEvent, on_delete=models.PROTECT, related_name="appearances", db_index=False
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The event's time, copied so the index orders a case's appearances without a join.
    at = models.DateTimeField(editable=False)

    objects = AuditCaseAppearanceQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["case", "-at"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "case"], name="audit_appearance_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} in audit row {self.event_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditImmutableError("Audit rows cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutableError("Audit rows cannot be deleted")
