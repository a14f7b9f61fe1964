"""Where a document's bytes live: DOCUMENTS_ROOT/<first two characters of its id>/<id>,
readable by the service's own user only (0600, folders 0700), outside anything the web
server or the static files serve (a system check, documents.E001).

A file is written to a temporary name in its folder and renamed into place, so a
reader never sees half a file; the upload service removes it again if its transaction
fails.
"""

import os
import secrets
import uuid
from pathlib import Path

from django.conf import settings


def path_of(document_id: uuid.UUID | str) -> Path:
    name = str(uuid.UUID(str(document_id)))  # never a path from outside
    return Path(settings.DOCUMENTS_ROOT) / name[:2] / name


def write(document_id: uuid.UUID | str, content: bytes) -> Path:
    """Store the bytes under the document's id; refuses to replace an existing file."""
    final = path_of(document_id)
    final.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = final.parent / f".{final.name}.{secrets.token_hex(8)}.part"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        if final.exists():
            raise FileExistsError(final)
        os.replace(temporary, final)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return final


def remove(document_id: uuid.UUID | str) -> None:
    path_of(document_id).unlink(missing_ok=True)


def open_for_reading(document_id: uuid.UUID | str):
    return path_of(document_id).open("rb")
