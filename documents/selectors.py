"""Documents: every read, scoped to what the user may see.

A case the user may not see is a 404, its documents too; so is a document of another
case, and a withdrawn one (listed as withdrawn, never served). Each read is audited:
the list as the case viewed, a download as DOCUMENT_DOWNLOADED naming the document.
"""

import logging

from django.http import Http404

from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from cases.selectors import case_for_user, visible_cases
from documents import storage
from documents.models import Document

logger = logging.getLogger(__name__)

SOURCE = "documents.document"


def case_documents(user, case_id, *, context: AuditContext | None):
    """A case the user may see (else 404, the read audited), and all its documents,
    newest first, withdrawn ones included."""
    case = case_for_user(user, case_id, context=context)
    documents = list(
        Document.objects.filter(case=case).select_related("uploaded_by", "withdrawn_by")
    )
    return case, documents


def document_of(case, document_id) -> Document:
    """A document of a case the user has already been given (by case_for_user), else 404."""
    document = (
        Document.objects.filter(case=case, pk=document_id)
        .select_related("uploaded_by", "withdrawn_by")
        .first()
    )
    if document is None:
        raise Http404("No such document")
    document.case = case
    return document


def latest_documents(case, *, limit: int = 3) -> list[Document]:
    """The newest documents in use on a case already given to the user (the case page):
    one query."""
    return list(
        Document.objects.filter(case=case, withdrawn_at__isnull=True).select_related("uploaded_by")[
            :limit
        ]
    )


def document_download(user, case_id, document_id, *, context: AuditContext | None):
    """A document the user may read (its case visible to them, the document in use) and
    its file open for reading, else 404; the download audited with the document named.

    Scoped like case_for_user (the same visible_cases), writing one DOCUMENT_DOWNLOADED
    row that says which document, instead of a bare "viewed the case"."""
    case = visible_cases(user).filter(pk=case_id).first()
    if case is None:
        raise Http404("No case found")
    document = Document.objects.filter(case=case, pk=document_id).first()
    # An anonymised case's files are deleted (cases.retention).
    if document is None or document.is_withdrawn or case.anonymised_at is not None:
        raise Http404("No such document")
    try:
        handle = storage.open_for_reading(document.pk)
    except FileNotFoundError:
        logger.error("The file of document %s is missing from DOCUMENTS_ROOT", document.pk)
        raise Http404("The document's file is missing") from None
    audit_record(
        actor=user,
        event_type=AuditEventType.DOCUMENT_DOWNLOADED,
        case=case,
        context=context,
        extra_data={
            "summary": (
                f"{document.get_kind_display()} ‘{document.title}’ downloaded"
                f" ({document.original_name})"
            ),
            "record": SOURCE,
            "record_id": str(document.pk),
            "sha256": document.sha256,
        },
    )
    return document, handle
