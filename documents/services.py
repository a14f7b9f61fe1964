"""Documents: one function per use case, each in one transaction with its audit row.

`document_upload` checks the file (its type told from its bytes, rules/file_types.py),
stores the row and the bytes together (the file is the document's only once the
transaction commits: documents/storage.py), makes a genogram or chronology uploaded by
children's social care the recorded step that completes its milestone, and audits it.
`document_withdraw` takes a document out of use, with the reason; it stays listed, and
its step goes.
"""

import hashlib
import logging
from datetime import datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import AgencyCode, RoleCode
from accounts.permissions import agency_code, can_change_cases
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record, field_changes
from documents import scanning, storage
from documents.models import STEP_OF_KIND, Document, DocumentKind
from rules.dates import format_date
from rules.file_types import FileRefused, FileType, check_upload, display_name
from rules.text import clean_text
from timeline.services import steps_sync

SOURCE = "documents.document"
TITLE_LIMIT = 200
# Besides the person who uploaded it, these may withdraw a document.
WITHDRAWING_MANAGERS = (RoleCode.TEAM_MANAGER, RoleCode.OPERATIONS_MANAGER)

ENTER_TITLE = "Enter a title for the document"
CHOOSE_KIND = "Select what kind of document it is"
ENTER_REASON = "Enter why the document is being withdrawn"
VIRUS_FOUND = "The selected file contains a virus"
NOT_CHECKED = "The file could not be checked for viruses. Try again later."

logger = logging.getLogger(__name__)


def can_upload_documents(user) -> bool:
    """Everyone who changes cases uploads to them; guests, analysts and administrators
    do not. Only children's social care's genograms and chronologies are steps."""
    return can_change_cases(user)


def can_withdraw_document(user, document: Document) -> bool:
    """The person who uploaded it, or a team or operations manager."""
    return can_change_cases(user) and (
        document.uploaded_by_id == user.pk or user.has_role(*WITHDRAWING_MANAGERS)
    )


def max_bytes() -> int:
    return settings.DOCUMENTS_MAX_MB * 1024 * 1024


def too_large_message() -> str:
    return f"The selected file must be smaller than {settings.DOCUMENTS_MAX_MB}MB"


def size_text(size: int) -> str:
    """ "24 KB", "1.2 MB": a file's size as the pages and the history say it."""
    if size < 1024:
        return f"{size} bytes" if size != 1 else "1 byte"
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def _steps(document: Document) -> list[tuple[str, str, Any]]:
    """The step this document establishes now: a genogram or chronology uploaded by
    children's social care, on the day it was uploaded; none once withdrawn."""
    kind = STEP_OF_KIND.get(document.kind)
    if kind is None or document.is_withdrawn or document.uploader_agency != AgencyCode.CSC:
        return []
    return [(kind, AgencyCode.CSC, document.uploaded_on)]


def _described(document: Document) -> str:
    return f"{document.get_kind_display()} ‘{document.title}’"


def document_upload(
    *,
    actor,
    context: AuditContext | None,
    case,
    kind: str,
    title: str,
    file_name: str,
    content: bytes,
    uploaded_at: datetime | None = None,
) -> Document:
    """Upload a document to the case. `file_name` is the name it came with (shown, and
    checked against the content); `uploaded_at` is for the demo and imports (default now).
    Refuses with a ValidationError keyed by the form's fields ("kind", "title", "file")
    and stores nothing: no row, no file.

    A file that passes its checks goes to the virus scanner (documents/scanning.py), if
    the deployment has one, before the transaction (a scan takes seconds; the case is not
    held for it). A virus refuses it, with its own audit row; a scanner that cannot check
    it refuses it too.

    The file is written pending and becomes the document's when the outermost
    transaction commits; if this one fails its pending file is removed here, and if a
    transaction around it rolls back, `manage.py sweep_documents` removes it."""
    if not can_upload_documents(actor):
        raise PermissionDenied("You cannot upload documents to cases")
    title, file_type, errors = _checked(kind=kind, title=title, file_name=file_name,
                                        content=content)  # fmt: skip
    if file_type is not None:
        problem = _virus_check(actor=actor, context=context, case=case, file_name=file_name,
                               content=content)  # fmt: skip
        if problem:
            errors["file"] = problem
    if errors:
        raise ValidationError(errors)
    assert file_type is not None
    written: list[Document] = []
    try:
        return _upload(
            actor=actor, context=context, case=case, kind=kind, title=title,
            file_name=file_name, file_type=file_type, content=content,
            uploaded_at=uploaded_at, written=written,
        )  # fmt: skip
    except BaseException:
        for document in written:
            storage.discard(document.pk)
        raise


def _checked(*, kind, title, file_name, content) -> tuple[str, FileType | None, dict[str, str]]:
    """The title as kept, the file's type (None if refused), and what is wrong, by field."""
    errors: dict[str, str] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = CHOOSE_KIND
    title = clean_text(title or "").strip()
    if not title:
        errors["title"] = ENTER_TITLE
    elif len(title) > TITLE_LIMIT:
        errors["title"] = f"The title must be {TITLE_LIMIT} characters or fewer"
    file_type = None
    if len(content) > max_bytes():
        errors["file"] = too_large_message()
    else:
        try:
            file_type = check_upload(file_name, content)
        except FileRefused as refused:
            errors["file"] = str(refused)
    return title, file_type, errors


def _virus_check(*, actor, context, case, file_name, content) -> str | None:
    """Why the file is refused after a scan, or None: clean, or no scanner configured.
    A virus found is audited in a transaction of its own (the upload's never starts)."""
    scanner = scanning.scanner()
    if scanner is None:
        return None
    try:
        verdict = scanner.scan(content)
    except scanning.ScannerUnavailable as error:
        logger.error("An upload to case %s was refused: it could not be scanned (%s)",
                     case.pk, error)  # fmt: skip
        return NOT_CHECKED
    if not verdict.infected:
        return None
    name = display_name(file_name)
    logger.warning("An upload to case %s was refused: %s found by %s",
                   case.pk, verdict.signature, scanner.name)  # fmt: skip
    with transaction.atomic():
        audit_record(
            actor=actor,
            event_type=AuditEventType.DOCUMENT_VIRUS_FOUND,
            case=case,
            context=context,
            extra_data={
                "summary": f"A file with a virus was refused: {name} ({verdict.signature})",
                "file_name": name,
                "size": len(content),
                "sha256": hashlib.sha256(content).hexdigest(),
                "signature": verdict.signature,
                "scanner": scanner.name,
            },
        )
    return VIRUS_FOUND


@transaction.atomic
def _upload(
    *, actor, context, case, kind, title, file_name, file_type, content, uploaded_at, written
):
    case.lock_for_change()
    if not can_upload_documents(actor):
        raise PermissionDenied("You cannot upload documents to cases")
    now = timezone.now()
    if uploaded_at is None:
        uploaded_at = now
    elif uploaded_at > now:
        raise ValueError("A document cannot have been uploaded in the future")
    document = Document.objects.create(
        case=case,
        kind=kind,
        title=title,
        original_name=display_name(file_name),
        content_type=file_type.content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=actor,
        uploader_agency=agency_code(actor) or "",
        uploaded_at=uploaded_at,
    )
    storage.write(document.pk, content)
    written.append(document)
    # robust: the row is committed by then; a rename that fails is logged, the pending
    # file is still read, and sweep_documents finishes it.
    transaction.on_commit(partial(storage.commit, document.pk), robust=True)
    steps = _steps(document)
    steps_sync(case, source=SOURCE, source_id=document.pk, steps=steps)
    recorded = {
        name: getattr(document, name)
        for name in ("kind", "title", "original_name", "content_type", "size", "uploader_agency")
    }
    extra_data: dict[str, Any] = {
        "summary": (
            f"{_described(document)} uploaded: {document.original_name},"
            f" {file_type.label}, {size_text(document.size)}"
        ),
        "record": SOURCE,
        "record_id": str(document.pk),
        "on": document.uploaded_on.isoformat(),
        "sha256": document.sha256,
        "changes": field_changes({}, recorded),
    }
    if steps:
        extra_data["step"] = steps[0][0]
    audit_record(
        actor=actor,
        event_type=AuditEventType.DOCUMENT_UPLOADED,
        case=case,
        context=context,
        extra_data=extra_data,
    )
    return document


@transaction.atomic
def document_withdraw(
    *, actor, context: AuditContext | None, document: Document, reason: str
) -> Document:
    """Take a document out of use: it stays listed as withdrawn, with the reason, and
    can no longer be downloaded; a genogram or chronology no longer does its milestone.
    The uploader, or a team or operations manager."""
    case = document.case
    case.lock_for_change()
    document.refresh_from_db(from_queryset=Document.objects.select_for_update())
    if not can_withdraw_document(actor, document):
        raise PermissionDenied(
            "Only the person who uploaded a document, or a team or operations manager,"
            " can withdraw it"
        )
    if document.is_withdrawn:
        withdrawn_on = format_date(timezone.localdate(document.withdrawn_at))
        raise ValidationError(f"This document was already withdrawn on {withdrawn_on}")
    reason = clean_text(reason or "", multiline=True).strip()
    if not reason:
        raise ValidationError({"reason": ENTER_REASON})
    document.mark_withdrawn(actor, reason)
    steps_sync(case, source=SOURCE, source_id=document.pk, steps=_steps(document))
    audit_record(
        actor=actor,
        event_type=AuditEventType.DOCUMENT_WITHDRAWN,
        case=case,
        context=context,
        extra_data={
            "summary": f"{_described(document)} withdrawn: {reason}",
            "record": SOURCE,
            "record_id": str(document.pk),
            "on": timezone.localdate(document.withdrawn_at).isoformat(),
            "sha256": document.sha256,
            "changes": field_changes(
                {"withdrawn_at": None, "withdrawn_reason": ""},
                {"withdrawn_at": document.withdrawn_at, "withdrawn_reason": reason},
            ),
        },
    )
    return document
