"""What kind of file an upload is, told from its bytes, never from its name.

A document on a case is opened later by someone else, on their own computer: a file
that claims to be a PDF but is a program, or a Word document carrying macros, must not
get that far. The browser's content type and the file's name are both the sender's to
choose, so the type is read from the content, and the name's extension must agree with
it (a real PDF called "letter.docx" is refused too: the person downloading it would be
misled).

Plain Python: the documents app calls `check_upload` before anything is stored.
"""

import io
import unicodedata
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    """A kind of file the service keeps: its name in messages, the content type it is
    served with, and the extensions a file of its kind may have (the first is usual)."""

    code: str
    label: str
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("pdf", "PDF", "application/pdf", (".pdf",))
DOCX = FileType(
    "docx",
    "Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
PNG = FileType("png", "PNG image", "image/png", (".png",))
JPEG = FileType("jpeg", "JPEG image", "image/jpeg", (".jpg", ".jpeg"))
HEIC = FileType("heic", "HEIC photo", "image/heic", (".heic", ".heif"))
ACCEPTED: tuple[FileType, ...] = (PDF, DOCX, PNG, JPEG, HEIC)
ACCEPTED_EXTENSIONS: tuple[str, ...] = tuple(e for kind in ACCEPTED for e in kind.extensions)

WRONG_TYPE = "The selected file must be a PDF, a Word document (.docx) or a PNG, JPEG or HEIC image"
EMPTY = "The selected file is empty"
MACROS = "The selected file is a Word document with macros: save it as a Word document (.docx) without macros and upload that"  # noqa: E501

# The longest original name kept (it is shown, and sent back as the download's name).
DISPLAY_NAME_LIMIT = 120
# An extension longer than this is not kept whole when a long name is shortened.
_LONGEST_EXTENSION = 10
FALLBACK_NAME = "document"

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# HEIF files are ISO media files: a box of type "ftyp" first, whose major brand says
# what they hold. Only still-image brands of HEVC-coded HEIF ("HEIC") are taken.
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis"})
# Word's parts that carry macros or a macro-enabled document type.
_MACRO_PARTS = ("vbaproject.bin", "vbadata.xml")
_CONTENT_TYPES = "[Content_Types].xml"
_WORD_DOCUMENT = "word/document.xml"
# [Content_Types].xml is a few kilobytes; a larger one is read no further than this.
_CONTENT_TYPES_LIMIT = 1_000_000


class FileRefused(ValueError):
    """The upload is not one the service keeps: the message says why, to the person."""


def _is_heic(content: bytes) -> bool:
    if len(content) < 16 or content[4:8] != b"ftyp":
        return False
    major = content[8:12]
    if major in _HEIC_BRANDS:
        return True
    if major != b"mif1":
        return False
    # A generic image file: HEIC when its compatible brands name one.
    size = int.from_bytes(content[0:4], "big")
    compatible = content[16 : min(size, 256)]
    return any(compatible[i : i + 4] in _HEIC_BRANDS for i in range(0, len(compatible) - 3, 4))


def _word_document(content: bytes) -> FileType | None:
    """DOCX when the ZIP holds a Word document's parts; refused when it carries macros."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            if _CONTENT_TYPES not in names or _WORD_DOCUMENT not in names:
                return None
            info = archive.getinfo(_CONTENT_TYPES)
            declared = archive.read(info) if info.file_size <= _CONTENT_TYPES_LIMIT else None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError,
            EOFError, OSError, ValueError):  # fmt: skip
        return None  # not a ZIP that can be read (damaged, encrypted): not a Word document
    if declared is None:
        return None
    if any(name.lower().endswith(_MACRO_PARTS) for name in names) or any(
        marker in declared for marker in (b"macroEnabled", b"vbaProject")
    ):
        raise FileRefused(MACROS)
    return DOCX


def detect_type(content: bytes) -> FileType | None:
    """The kind of file these bytes are, or None if not one the service keeps.
    Raises FileRefused for a Word document with macros."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(_PNG_SIGNATURE):
        return PNG
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if _is_heic(content):
        return HEIC
    if content.startswith(b"PK\x03\x04"):
        return _word_document(content)
    return None


def extension(name: str) -> str:
    """The name's extension, lower case with its dot (".pdf"), or "" if it has none."""
    base = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem, dot, ext = base.rpartition(".")
    if not dot or not stem.strip(". ") or not ext:
        return ""
    return "." + ext.lower()


def display_name(name: str, *, limit: int = DISPLAY_NAME_LIMIT) -> str:
    """The original file name, safe to show and to send back as a download's name:
    no folders (a browser may send "C:\\Users\\…\\letter.pdf"), no control or format
    characters, no leading dots or spaces, runs of spaces made one, and no longer than
    `limit` characters (the stem shortened, so the extension stays). `limit` is at least 20."""
    if limit < 20:
        raise ValueError("a display name needs room for at least 20 characters")
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    kept = "".join(
        " " if character.isspace() else character
        for character in unicodedata.normalize("NFC", base)
        if unicodedata.category(character) not in {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
        or character.isspace()
    )
    cleaned = " ".join(kept.split()).lstrip(". ").rstrip(". ")
    cleaned = cleaned.replace('"', "'")
    if not cleaned:
        return FALLBACK_NAME
    if len(cleaned) <= limit:
        return cleaned
    ext = extension(cleaned)
    if len(ext) > _LONGEST_EXTENSION:
        ext = ""
    stem = cleaned[: len(cleaned) - len(ext)][: limit - len(ext)].rstrip(". ")
    return stem + ext if stem else FALLBACK_NAME


def check_upload(name: str, content: bytes) -> FileType:
    """The type of an upload the service may keep, else FileRefused with the reason:
    empty; not a PDF, Word document or image (told from the bytes); a Word document
    with macros; or a name whose extension does not say what the file is."""
    if not content:
        raise FileRefused(EMPTY)
    kind = detect_type(content)
    if kind is None:
        raise FileRefused(WRONG_TYPE)
    ext = extension(display_name(name))
    if ext not in kind.extensions:
        raise FileRefused(
            f"The selected file is a {kind.label}, but its name "
            + (f"ends {ext}" if ext else "has no extension")
            + f": rename it to end {kind.extensions[0]} and upload it again"
        )
    return kind
