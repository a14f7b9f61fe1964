"""Files and uploads for the documents tests: small, valid, made here (no real data)."""

import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.demo import minimal_pdf

PDF = minimal_pdf(["Genogram", "Synthetic test document"])
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"


def docx(extra_parts: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"/>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def upload(client, case, *, kind="genogram", title="Genogram", name="Genogram.pdf",
           content=PDF):  # fmt: skip
    """Post the upload form as a person would."""
    data = {"kind": kind, "title": title}
    if name is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(reverse("document_upload", args=[case.id]), data)


def stored_files() -> list[Path]:
    root = Path(settings.DOCUMENTS_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []
