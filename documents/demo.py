"""The demo's documents (`manage.py seed_demo`), recorded through the services as
the people would have. Randomness comes from a generator seeded from the case's stable
facts, never from the demo's shared one, so adding work here leaves the cases as they were.

Every file is a small PDF made here, saying it is synthetic: no real document, no real
person. They are stored in DOCUMENTS_ROOT (var/documents in the demo).
"""

import random
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from accounts.models import AgencyCode
from documents.models import DocumentKind
from documents.services import document_upload

SYNTHETIC = "Synthetic demo document: no real person or family."


def _pdf_text(text: str) -> str:
    latin = text.encode("latin-1", "replace").decode("latin-1")
    return latin.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def minimal_pdf(lines: list[str]) -> bytes:
    """A valid one-page PDF (Helvetica, A4) with these lines of text."""
    shown = " T* ".join(f"({_pdf_text(line)}) Tj" for line in lines)
    stream = f"BT /F1 12 Tf 16 TL 72 770 Td {shown} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]"
        b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _at(day: date, hour: int) -> datetime:
    """That day at that hour in London, never later than now."""
    moment = datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))
    return min(moment, timezone.now())


def _upload(*, case, actor, kind: str, title: str, file_name: str, lines: list[str], when):
    content = minimal_pdf([title, f"{case.display_name} ({case.reference})", *lines, SYNTHETIC])
    document_upload(
        actor=actor, context=None, case=case, kind=kind, title=title, file_name=file_name,
        content=content, uploaded_at=when,
    )  # fmt: skip


def _genogram(*, case, actor, done_on):
    _upload(
        case=case, actor=actor, kind=DocumentKind.GENOGRAM, title="Genogram",
        file_name="Genogram.pdf", when=_at(done_on, 11),
        lines=["Three generations on the mother's side; the father's family as far as known."],
    )  # fmt: skip


def _chronology(*, case, actor, done_on):
    _upload(
        case=case, actor=actor, kind=DocumentKind.CHRONOLOGY, title="Chronology",
        file_name="Chronology.pdf", when=_at(done_on, 15),
        lines=["Significant events from agency records, oldest first."],
    )  # fmt: skip


# Milestone id -> a function that records the work which does it:
# fn(*, case, actor, done_on) where actor is someone of the owning agency.
MILESTONE_WORK: dict = {"genogram": _genogram, "chronology": _chronology}

LETTERS = [
    ("Letter from the antenatal clinic", "Booking appointment attended; next scan arranged."),
    ("Letter to the GP", "Pregnancy booked; safeguarding concerns shared with consent."),
    ("Midwifery safeguarding report", "Summary of antenatal contacts and concerns."),
]


def seed_case(*, today, case, recorders, stage) -> None:
    """Work of this kind that no milestone asks for (called once per demo case): a
    midwife's letter or report on about half the referred cases."""
    if case.referral_date is None:
        return
    rng = random.Random(f"{case.mother.family_name}{case.edd}documents")
    if rng.random() >= 0.5:
        return
    title, line = rng.choice(LETTERS)
    day = min(case.referral_date + timedelta(days=rng.randint(0, 10)), today)
    _upload(
        case=case, actor=recorders[AgencyCode.MIDWIFERY],
        kind=DocumentKind.REPORT if "report" in title else DocumentKind.LETTER,
        title=title, file_name=f"{title}.pdf", lines=[line], when=_at(day, 10),
    )  # fmt: skip
