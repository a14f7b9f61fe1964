"""Documents on a case: genograms, chronologies, letters and reports, checked and stored
outside the web root.

The row says what the file is and who uploaded it; the bytes live in DOCUMENTS_ROOT
(documents/storage.py), named by the row's id, and are read only through the download
selector. A document is never deleted: one uploaded in error is withdrawn, with the
reason, and is no longer downloadable.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from cases.models import Withdrawable


class DocumentKind(models.TextChoices):
    GENOGRAM = "genogram", "Genogram"
    CHRONOLOGY = "chronology", "Chronology"
    LETTER = "letter", "Letter"
    REPORT = "report", "Report"
    ASSESSMENT = "assessment", "Assessment"
    OTHER = "other", "Other"


# The kinds whose upload by children's social care is a step of the procedure (the
# genogram and chronology "attached to your assessment" at the 30-day checkpoint).
STEP_OF_KIND = {
    DocumentKind.GENOGRAM: "document_genogram",
    DocumentKind.CHRONOLOGY: "document_chronology",
}


class Document(Withdrawable):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices)
    title = models.CharField(max_length=200)
    # The name it was uploaded with, made safe to show (rules.file_types.display_name).
    original_name = models.CharField(max_length=255)
    # Told from the bytes (rules.file_types), never from the browser.
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The uploader's agency then (accounts.AgencyCode), as the step it established says.
    uploader_agency = models.CharField(max_length=20)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "id"]
        indexes = [models.Index(fields=["case", "-uploaded_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    @property
    def uploaded_on(self):
        """The upload's day in London: the day a step it establishes was done."""
        return timezone.localdate(self.uploaded_at)
