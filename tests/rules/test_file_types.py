"""An upload's type is told from its bytes, and its name must agree; the original name
is made safe to show and to send back."""

import io
import zipfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rules import file_types
from rules.file_types import (
    DOCX,
    HEIC,
    JPEG,
    PDF,
    PNG,
    FileRefused,
    check_upload,
    detect_type,
    display_name,
    extension,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 17
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20 + b"\xff\xd9"
HEIC_BYTES = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 16
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00"


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


WORD_TYPES = (
    b'<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
DOCX_BYTES = zipped({"[Content_Types].xml": WORD_TYPES, "word/document.xml": b"<w:document/>"})


# Worked examples --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (PDF_BYTES, "Genogram.pdf", PDF),
        (PDF_BYTES, "CHRONOLOGY.PDF", PDF),
        (DOCX_BYTES, "letter.docx", DOCX),
        (PNG_BYTES, "genogram.png", PNG),
        (JPEG_BYTES, "photo of genogram.jpg", JPEG),
        (JPEG_BYTES, "photo.jpeg", JPEG),
        (HEIC_BYTES, "IMG_0001.HEIC", HEIC),
    ],
)
def test_each_kept_kind_is_told_from_its_bytes(content, name, kind):
    assert detect_type(content) == kind
    assert check_upload(name, content) == kind


def test_a_program_renamed_to_pdf_is_refused():
    with pytest.raises(FileRefused, match="must be a PDF, a Word document"):
        check_upload("letter.pdf", EXE_BYTES)


def test_an_empty_file_is_refused():
    with pytest.raises(FileRefused, match="empty"):
        check_upload("letter.pdf", b"")


def test_a_zip_that_is_not_a_word_document_is_refused():
    with pytest.raises(FileRefused, match="must be a PDF"):
        check_upload("letter.docx", zipped({"readme.txt": b"hello"}))


def test_a_spreadsheet_is_not_a_word_document():
    spreadsheet = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<w/>"})
    with pytest.raises(FileRefused, match="must be a PDF"):
        check_upload("figures.docx", spreadsheet)


def test_a_damaged_zip_is_refused():
    with pytest.raises(FileRefused, match="must be a PDF"):
        check_upload("letter.docx", DOCX_BYTES[: len(DOCX_BYTES) // 2])


@pytest.mark.parametrize(
    "parts",
    [
        {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"},
        {"word/vbaData.xml": b"<wne:vbaSuppData/>"},
        {
            "[Content_Types].xml": WORD_TYPES.replace(
                b"document.main", b"document.macroEnabled.main"
            )
        },
    ],
)
def test_a_word_document_with_macros_is_refused(parts):
    content = zipped(
        {"[Content_Types].xml": WORD_TYPES, "word/document.xml": b"<w:document/>", **parts}
    )
    with pytest.raises(FileRefused, match="macros"):
        check_upload("letter.docx", content)


@pytest.mark.parametrize(
    ("content", "name", "says"),
    [
        (PDF_BYTES, "letter.docx", "is a PDF, but its name ends .docx: rename it to end .pdf"),
        (DOCX_BYTES, "letter.pdf", "is a Word document, but its name ends .pdf"),
        (PNG_BYTES, "genogram.jpg", "is a PNG image, but its name ends .jpg"),
        (PDF_BYTES, "letter", "is a PDF, but its name has no extension"),
        (PDF_BYTES, "letter.pdf.exe", "ends .exe"),
    ],
)
def test_the_name_must_agree_with_the_content(content, name, says):
    with pytest.raises(FileRefused, match=says.replace(".", r"\.")):
        check_upload(name, content)


def test_text_and_html_are_refused_whatever_their_name():
    for content in (b"Hello", b"<html><script>alert(1)</script></html>", b"%PD"):
        with pytest.raises(FileRefused):
            check_upload("notes.pdf", content)


@pytest.mark.parametrize(
    ("sent", "shown"),
    [
        ("C:\\Users\\priya\\Desktop\\Genogram.pdf", "Genogram.pdf"),
        ("../../etc/passwd", "passwd"),
        ("letter\x00.pdf", "letter.pdf"),
        ("  Chronology   v2 .docx ", "Chronology v2 .docx"),
        ("\u202eexe.pdf", "exe.pdf"),
        (".hidden.pdf", "hidden.pdf"),
        ("...", "document"),
        ("", "document"),
        ('say "hi".pdf', "say 'hi'.pdf"),
    ],
)
def test_display_names_are_made_safe(sent, shown):
    assert display_name(sent) == shown


def test_a_long_name_is_shortened_keeping_its_extension():
    shown = display_name("a" * 400 + ".pdf")

    assert len(shown) == file_types.DISPLAY_NAME_LIMIT
    assert shown.endswith("a.pdf")


# Properties ----------------------------------------------------------------------------

names = st.text(max_size=300)


@given(names)
def test_a_display_name_has_no_folders_or_control_characters_and_is_never_long(name):
    shown = display_name(name)

    assert shown
    assert "/" not in shown and "\\" not in shown
    assert shown.isprintable()
    assert len(shown) <= file_types.DISPLAY_NAME_LIMIT
    assert not shown.startswith((".", " "))


@given(names)
def test_a_display_name_is_already_safe(name):
    assert display_name(display_name(name)) == display_name(name)


@given(st.text(st.characters(categories=["L", "N"]), min_size=1, max_size=200),
       st.sampled_from(file_types.ACCEPTED_EXTENSIONS))  # fmt: skip
def test_a_display_name_keeps_the_extension(stem, ext):
    assert extension(display_name(stem + ext)) == ext


@given(st.binary(max_size=200))
def test_random_bytes_are_never_taken_for_a_word_document_or_stored_under_another_name(data):
    try:
        kind = check_upload("upload.pdf", data)
    except FileRefused:
        return
    assert kind == PDF and data.startswith(b"%PDF-")


@given(st.binary(max_size=64), st.sampled_from([PDF_BYTES, PNG_BYTES, JPEG_BYTES, DOCX_BYTES]))
def test_a_program_with_a_document_inside_is_not_taken_for_the_document(header, content):
    """The type is read from the start: a self-extracting program (a ZIP at its end) or a
    program with a PDF appended is refused."""
    assert detect_type(b"MZ" + header + content) is None


@given(st.sampled_from([PDF_BYTES, PNG_BYTES, JPEG_BYTES, DOCX_BYTES, HEIC_BYTES]),
       st.sampled_from(file_types.ACCEPTED_EXTENSIONS), names)  # fmt: skip
def test_a_kept_file_is_accepted_exactly_when_its_extension_is_one_of_its_kinds(content, ext, stem):
    kind = detect_type(content)
    assert kind is not None
    name = (stem or "x") + ext
    agrees = extension(display_name(name)) in kind.extensions
    try:
        assert check_upload(name, content) == kind
        assert agrees
    except FileRefused:
        assert not agrees
