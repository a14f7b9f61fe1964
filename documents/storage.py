"""Where a document's bytes live: DOCUMENTS_ROOT/<first two characters of its id>/<id>,
readable by the service's own user only (0600, folders 0700), outside anything the web
server or the static files serve (a system check, documents.E001).

A file becomes a document's only when the transaction that made the document's row
commits. The upload writes it complete (to a temporary name, flushed to disk, renamed)
as `<id>.pending`, inside that transaction, so a full disk refuses the upload rather
than leaving a row without its file; when the transaction commits, `transaction.on_commit`
renames it to `<id>`. Django tells nobody when a transaction rolls back, so:

- a failure inside the upload service removes its pending file at once (the service);
- a rollback of a transaction around it (another service, a command) leaves the pending
  file, which no row names and no download reads: `manage.py sweep_documents` removes
  pending files more than an hour old that have no row.

A file named `<id>` is therefore always a committed document's. A pending file whose row
exists (the process stopped between the commit and the rename) is complete: it is read
as it is, and the sweep finishes its rename.
"""

import os
import secrets
import uuid
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings

PENDING = ".pending"


def path_of(document_id: uuid.UUID | str) -> Path:
    name = str(uuid.UUID(str(document_id)))  # never a path from outside
    return Path(settings.DOCUMENTS_ROOT) / name[:2] / name


def pending_path_of(document_id: uuid.UUID | str) -> Path:
    final = path_of(document_id)
    return final.with_name(final.name + PENDING)


def write(document_id: uuid.UUID | str, content: bytes) -> Path:
    """Store the bytes as the document's pending file, complete on disk; `commit` makes
    it the document's. Refuses to replace an existing file, pending or not."""
    final, pending = path_of(document_id), pending_path_of(document_id)
    final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    if final.exists() or pending.exists():
        raise FileExistsError(final)
    temporary = final.parent / f".{final.name}.{secrets.token_hex(8)}.part"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, pending)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(final.parent)  # the new name is on disk before the row commits
    return pending


def commit(document_id: uuid.UUID | str) -> None:
    """Make the pending file the document's: after its row has committed."""
    try:
        os.replace(pending_path_of(document_id), path_of(document_id))
    except FileNotFoundError:
        if not path_of(document_id).exists():
            raise


def discard(document_id: uuid.UUID | str) -> None:
    """Remove a pending file whose row was not committed. Never a document's file."""
    pending_path_of(document_id).unlink(missing_ok=True)


def open_for_reading(document_id: uuid.UUID | str):
    """The document's file; the caller has its row, so a pending file is complete (its
    rename is a moment away, or was cut short)."""
    try:
        return path_of(document_id).open("rb")
    except FileNotFoundError:
        return pending_path_of(document_id).open("rb")


def stored() -> Iterator[tuple[Path, uuid.UUID, bool]]:
    """Every file in DOCUMENTS_ROOT named for a document: its path, the id, and whether
    it is pending. Temporary files and anything else are left out."""
    root = Path(settings.DOCUMENTS_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.glob("??/*")):
        name = path.name.removesuffix(PENDING)
        try:
            document_id = uuid.UUID(name)
        except ValueError:
            continue
        if path.is_file() and str(document_id) == name and path.parent.name == name[:2]:
            yield path, document_id, path.name.endswith(PENDING)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
