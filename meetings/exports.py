"""Tracking meeting exports: the Appendix 1 record and Appendix 2 case notes.

After the meeting every agency records what was agreed on its own system (Terms of
Reference 6.6): children's social care as a "Management Decisions And Oversight" case
note (Appendix 2), public health nursing its actions, maternity an entry on the woman's
record. The chair circulates the meeting's record (Appendix 1).

`meeting_record(meeting)` gathers everything once, in a fixed number of queries, into
plain frozen data; the text, Word and PDF builders read only that. The `*_file`
functions build a download and write its audit row (the cases it contained and the
format), so a page, a command and a later API export alike.
"""

import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import AgencyCode
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record
from cases.models import Case
from meetings.models import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingMember,
    MeetingStatus,
    MemberRole,
    agency_label,
)
from meetings.selectors import (
    FamilyPack,
    addenda_shown,
    meeting_pack,
    members_of,
    supervision_weeks,
)
from rules.dates import format_date, format_datetime, format_time

RECORD_TITLE = "Children's Social Care and Health Senior Leads Pre-birth Review"
LIAISON_TITLE = "Pre-birth liaison meeting with the specialist midwives"
RECORD_COLUMNS = (
    "Mother name & DOB",
    "Father / Partner name & DOB",
    "EDD",
    "Current Concerns",
    "Level of CSC input",
    "Actions",
)
CASE_NOTE_TITLE = "Management Decisions And Oversight case note"
CASE_NOTE_HEADING = "Pre-Birth tracking"  # ToR 6.6: the heading of the CSC entry
DRAFT_MARK = "DRAFT"
BULLET = "• "

DOCX = "docx"
PDF = "pdf"
TEXT = "text"
CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    PDF: "application/pdf",
}


# The record as plain data.


@dataclass(frozen=True)
class ActionLine:
    description: str
    agency: str  # accounts.AgencyCode
    owner: str  # the owner's name, or "" when only the agency owns it
    due_date: date
    carried_from: date | None = None  # agreed at an earlier meeting, still open on the day

    @property
    def who(self) -> str:
        return ", ".join(part for part in (self.owner, agency_label(self.agency)) if part)

    @property
    def text(self) -> str:
        carried = (
            f" (carried forward from {format_date(self.carried_from)})" if self.carried_from else ""
        )
        return f"{self.description} – {self.who} – by {format_date(self.due_date)}{carried}"


@dataclass(frozen=True)
class FamilyRow:
    """One family: one row of the record, one case note."""

    discussion_id: int
    case_id: str
    reference: str
    display_name: str
    mother: str
    mother_born: date | None
    partners: tuple[tuple[str, date | None], ...]  # "Dan Ashdown (father)", born
    edd: date
    born: date | None
    current_concerns: str
    level_of_csc_input: str
    key_points: tuple[str, ...]
    actions: tuple[ActionLine, ...]  # agreed at this meeting, then those carried forward
    addenda: tuple["AddendumLine", ...] = ()

    @property
    def mother_text(self) -> str:
        return _person(self.mother, self.mother_born)

    @property
    def edd_text(self) -> str:
        born = f" (born {format_date(self.born)})" if self.born else ""
        return f"{format_date(self.edd)}{born}"

    def actions_of(self, agency: str) -> tuple[ActionLine, ...]:
        return tuple(action for action in self.actions if action.agency == agency)


def _person(name: str, born: date | None) -> str:
    return f"{name}, born {format_date(born)}" if born else f"{name}, date of birth not known"


@dataclass(frozen=True)
class Attendee:
    name: str
    role: str
    attendance: str  # meetings.Attendance
    deputy_name: str = ""

    @property
    def text(self) -> str:
        if self.attendance == Attendance.DEPUTY and self.deputy_name:
            return f"{self.deputy_name} (deputy for {self.name}, {self.role})"
        return f"{self.name} ({self.role})"


@dataclass(frozen=True)
class NextMeeting:
    day: date
    start: str
    end: str
    venue: str
    online: bool

    @property
    def text(self) -> str:
        where = self.venue or ("online" if self.online else "venue to be confirmed")
        if self.venue and self.online:
            where += ", or online"
        return f"{format_date(self.day)}, {self.start} to {self.end}, {where}"


@dataclass(frozen=True)
class AddendumLine:
    text: str
    reason: str
    recorded_by: str
    recorded_at: datetime
    family: str  # the family's name, or "" for the whole record

    @property
    def note(self) -> str:
        """As a family's own case note gives it."""
        return (
            f"{self.text} (added {format_datetime(self.recorded_at)} by {self.recorded_by}:"
            f" {self.reason})"
        )

    @property
    def byline(self) -> str:
        about = f"About {self.family}. " if self.family else ""
        return (
            f"{about}Why: {self.reason}. Added by {self.recorded_by},"
            f" {format_datetime(self.recorded_at)}."
        )


@dataclass(frozen=True)
class MeetingRecord:
    """Everything the Appendix 1 record and the Appendix 2 case notes show."""

    meeting_id: str
    locality: str
    locality_slug: str
    day: date
    when: str  # "10 June 2027, 10am to 12pm"
    venue: str
    chair: str
    draft: bool
    attendees: tuple[Attendee, ...]
    families: tuple[FamilyRow, ...]
    next_meeting: NextMeeting | None
    addenda: tuple[AddendumLine, ...]
    # The names in the case note's reason for contact (ToR Appendix 2).
    operations_manager: str
    named_midwife: str
    named_phn: str

    # A liaison meeting's record has its own title; the columns are the same.
    title: str = RECORD_TITLE

    @property
    def case_ids(self) -> list[str]:
        return sorted(family.case_id for family in self.families)

    @property
    def date_text(self) -> str:
        return format_date(self.day)

    @property
    def marking(self) -> str:
        """What the header and footer of every page say."""
        draft = f" – {DRAFT_MARK}" if self.draft else ""
        return f"{settings.PROTECTIVE_MARKING} – {self.locality}{draft}"

    @property
    def footer(self) -> str:
        return (
            f"{settings.PROTECTIVE_MARKING} – {self.locality} pre-birth tracking meeting,"
            f" {self.date_text}{' – ' + DRAFT_MARK if self.draft else ''}"
        )

    def _group(self, *attendance: str) -> list[Attendee]:
        return [a for a in self.attendees if a.attendance in attendance]

    @property
    def present(self) -> list[Attendee]:
        return self._group(Attendance.ATTENDED, Attendance.DEPUTY)

    @property
    def apologies(self) -> list[Attendee]:
        return self._group(Attendance.APOLOGIES)

    @property
    def absent(self) -> list[Attendee]:
        return self._group(Attendance.ABSENT)

    @property
    def not_recorded(self) -> list[Attendee]:
        return self._group(Attendance.INVITED)

    @property
    def attendance_lines(self) -> list[tuple[str, str]]:
        """("Present", "Helen Tester (Chair …); …"), then apologies and the rest."""
        groups = [
            ("Present", self.present),
            ("Apologies", self.apologies),
            ("Did not attend", self.absent),
            ("Attendance not recorded", self.not_recorded),
        ]
        return [(label, "; ".join(a.text for a in people)) for label, people in groups if people]

    @property
    def next_meeting_text(self) -> str:
        return self.next_meeting.text if self.next_meeting else "Not yet scheduled"

    @property
    def reason_for_contact(self) -> str:
        return (
            f"Pre-birth tracking by OM ({self.operations_manager}), Named Midwife for"
            f" Safeguarding ({self.named_midwife}) and Named PHN for children ({self.named_phn})"
        )

    def family(self, discussion_id: Any) -> FamilyRow | None:
        return next((f for f in self.families if f.discussion_id == discussion_id), None)

    def filename(self, kind: str, extension: str) -> str:
        """tracking-meeting-mendip-2027-06-10.docx, …-draft.pdf, a pack, a case note."""
        draft = "-draft" if self.draft else ""
        return f"{kind}-{self.locality_slug}-{self.day:%Y-%m-%d}{draft}.{extension}"


NOT_REPRESENTED = "not represented"
# Who acted, in order of preference: present, then not yet recorded, then the rest.
_PREFERENCE = {Attendance.ATTENDED: 0, Attendance.DEPUTY: 0, Attendance.INVITED: 1}


def _lead(members: list[MeetingMember], role: str) -> str:
    """The name of the meeting's member in `role` (the deputy who came in their place)."""
    candidates = sorted(
        (m for m in members if m.role == role), key=lambda m: _PREFERENCE.get(m.attendance, 2)
    )
    if not candidates:
        return ""
    member = candidates[0]
    if member.attendance == Attendance.DEPUTY and member.deputy_name:
        return member.deputy_name
    return member.user.get_full_name() or member.user.username


def _time(day: date, value) -> str:
    return format_time(datetime.combine(day, value))


def _action(action, carried: bool) -> ActionLine:
    owner = action.owner.get_full_name() if action.owner else ""
    return ActionLine(
        description=action.description,
        agency=action.owner_agency,
        owner=owner,
        due_date=action.due_date,
        carried_from=action.meeting.date if carried else None,
    )


def _family(pack: FamilyPack, addenda: Iterable[AddendumLine]) -> FamilyRow:
    case, discussion = pack.case, pack.discussion
    return FamilyRow(
        discussion_id=discussion.pk,
        case_id=str(case.pk),
        reference=case.reference,
        display_name=case.display_name,
        mother=case.mother.full_name,
        mother_born=case.mother.date_of_birth,
        partners=tuple(
            (
                f"{p.person.full_name} ({p.get_relationship_display().lower()})",
                p.person.date_of_birth,
            )
            for p in pack.partners
        ),
        edd=case.edd,
        born=case.birth_date,
        current_concerns=discussion.current_concerns,
        level_of_csc_input=discussion.level_label,
        key_points=tuple(discussion.key_point_list),
        actions=(
            *(_action(a, carried=False) for a in pack.actions),
            *(_action(a, carried=True) for a in pack.earlier_actions),
        ),
        addenda=tuple(addenda),
    )


def meeting_record(meeting: Meeting) -> MeetingRecord:
    """The meeting's record: its families in cohort order (those the chair took out are
    not in it), with a fixed number of queries however many families."""
    packs = [p for p in meeting_pack(meeting) if p.discussion.in_cohort]
    members = members_of(meeting)
    addenda = [
        (
            addendum.discussion_id,
            AddendumLine(
                text=addendum.text,
                reason=addendum.reason,
                recorded_by=addendum.recorded_by.get_full_name(),
                recorded_at=addendum.recorded_at,
                family=addendum.discussion.case.display_name if addendum.discussion else "",
            ),
        )
        for addendum in addenda_shown(meeting).select_related(
            "recorded_by", "discussion__case__mother"
        )
    ]
    following = (
        Meeting.objects.filter(
            locality_id=meeting.locality_id,
            kind=meeting.kind,
            status=MeetingStatus.SCHEDULED,
            date__gt=meeting.date,
        )
        .order_by("date", "start_time")
        .first()
    )
    chair = meeting.chair.get_full_name() or meeting.chair.username
    return MeetingRecord(
        meeting_id=str(meeting.pk),
        locality=meeting.locality.name,
        locality_slug=meeting.locality.slug,
        day=meeting.date,
        when=f"{format_date(meeting.date)}, {_time(meeting.date, meeting.start_time)} to"
        f" {_time(meeting.date, meeting.end_time)}",
        venue=meeting.venue or ("Online" if meeting.online_link else ""),
        chair=chair,
        title=RECORD_TITLE if meeting.kind == MeetingKind.TRACKING else LIAISON_TITLE,
        draft=not meeting.is_finalised,
        attendees=tuple(
            Attendee(
                name=m.user.get_full_name() or m.user.username,
                role=m.get_role_display()
                if m.role != MemberRole.GUEST or not m.agency
                else f"Guest, {agency_label(m.agency)}",
                attendance=m.attendance,
                deputy_name=m.deputy_name,
            )
            for m in members
        ),
        families=tuple(
            _family(pack, [line for pk, line in addenda if pk == pack.discussion.pk])
            for pack in packs
        ),
        next_meeting=NextMeeting(
            day=following.date,
            start=_time(following.date, following.start_time),
            end=_time(following.date, following.end_time),
            venue=following.venue,
            online=bool(following.online_link),
        )
        if following
        else None,
        addenda=tuple(line for _, line in addenda),
        operations_manager=_lead(members, MemberRole.OPERATIONS_MANAGER) or NOT_REPRESENTED,
        # The chair is the Named Midwife for Safeguarding or deputy (ToR 5).
        named_midwife=_lead(members, MemberRole.NAMED_MIDWIFE)
        or _lead(members, MemberRole.CHAIR)
        or chair,
        named_phn=_lead(members, MemberRole.NAMED_PHN) or NOT_REPRESENTED,
    )


# Appendix 2 and the other agencies' entries, as text to paste.


def _bullets(lines: Iterable[str], empty: str) -> list[str]:
    lines = list(lines)
    return [BULLET + line for line in lines] if lines else [empty]


def _draft_line(record: MeetingRecord) -> list[str]:
    if not record.draft:
        return []
    return [f"{DRAFT_MARK}: the chair has not finalised this meeting's record yet.", ""]


def _corrections(family: FamilyRow) -> list[str]:
    if not family.addenda:
        return []
    lines = ["", "Corrections added after the meeting:"]
    for addendum in family.addenda:
        lines.append(BULLET + addendum.note)
    return lines


def case_note_text(record: MeetingRecord, family: FamilyRow) -> str:
    """The CSC entry (Appendix 2): a Management Decisions And Oversight case note."""
    return "\n".join(
        [
            *_draft_line(record),
            CASE_NOTE_TITLE,
            CASE_NOTE_HEADING,
            "",
            f"Reason for contact: {record.reason_for_contact}",
            f"Date: {record.date_text}, {record.locality} pre-birth tracking meeting",
            f"Level of CSC input: {family.level_of_csc_input}",
            "",
            "Key points of discussion:",
            *_bullets(family.key_points, "No key points recorded"),
            "",
            "Actions and timeframes:",
            *_bullets((a.text for a in family.actions), "No actions agreed"),
            *_corrections(family),
        ]
    )


def _about(record: MeetingRecord, family: FamilyRow) -> list[str]:
    return [
        f"Pre-birth tracking meeting, {record.locality}, {record.date_text}"
        f" (chair: {record.chair})",
        f"{family.display_name} ({family.reference}); mother {family.mother_text};"
        f" EDD {family.edd_text}",
    ]


def phn_text(record: MeetingRecord, family: FamilyRow) -> str:
    """Public Health Nursing's actions, for the PHN record (ToR 6.6)."""
    return "\n".join(
        [
            *_draft_line(record),
            *_about(record, family),
            "",
            "Public Health Nursing actions:",
            *_bullets(
                (a.text for a in family.actions_of(AgencyCode.PHN)),
                "No actions for Public Health Nursing",
            ),
            *_corrections(family),
        ]
    )


def maternity_text(record: MeetingRecord, family: FamilyRow) -> str:
    """The entry for the woman's maternity record (ToR 6.6: her tracer)."""
    return "\n".join(
        [
            *_draft_line(record),
            *_about(record, family),
            f"Level of CSC input: {family.level_of_csc_input}",
            "",
            "Key points of discussion:",
            *_bullets(family.key_points, "No key points recorded"),
            "",
            "Midwifery actions:",
            *_bullets(
                (a.text for a in family.actions_of(AgencyCode.MIDWIFERY)),
                "No actions for midwifery",
            ),
            *_corrections(family),
        ]
    )


@dataclass(frozen=True)
class CopyText:
    """One block of text for someone to copy into another system."""

    id: str
    heading: str
    label: str
    text: str

    @property
    def rows(self) -> int:
        return min(max(self.text.count("\n") + 2, 4), 40)


@dataclass(frozen=True)
class FamilyNotes:
    family: FamilyRow
    texts: tuple[CopyText, ...]


def family_notes(record: MeetingRecord) -> list[FamilyNotes]:
    notes = []
    for family in record.families:
        pk = family.discussion_id
        notes.append(
            FamilyNotes(
                family=family,
                texts=(
                    CopyText(
                        f"csc-{pk}",
                        "Children's social care",
                        f"Case note for the CSC record ({CASE_NOTE_TITLE})",
                        case_note_text(record, family),
                    ),
                    CopyText(
                        f"phn-{pk}",
                        "Public Health Nursing",
                        "Actions for the PHN record",
                        phn_text(record, family),
                    ),
                    CopyText(
                        f"maternity-{pk}",
                        "Maternity",
                        "Entry for the woman's maternity record",
                        maternity_text(record, family),
                    ),
                ),
            )
        )
    return notes


# Word.


def _docx_document(record: MeetingRecord, *, landscape: bool):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    header = section.header.paragraphs[0]
    header.add_run(record.marking).bold = True
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{record.footer} – page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")
    properties = document.core_properties
    properties.author = settings.SERVICE_NAME
    properties.title = f"{record.locality} pre-birth tracking meeting, {record.date_text}"
    properties.created = properties.modified = timezone.now()
    properties.keywords = settings.PROTECTIVE_MARKING
    return document


def _field(paragraph, instruction: str) -> None:
    """A Word field (a page number) that Word fills in as it lays out the pages."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, instruction), ("separate", None), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        run._r.append(element)
        if kind == "separate":
            placeholder = OxmlElement("w:t")
            placeholder.text = "1"
            run._r.append(placeholder)


def _labelled(document, label: str, text: str):
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text)
    return paragraph


def _draft_notice(document, record: MeetingRecord) -> None:
    if record.draft:
        notice = document.add_paragraph()
        notice.add_run(
            f"{DRAFT_MARK}: the chair has not finalised this record; it may still change."
        ).bold = True


def _cell_lines(cell, lines: Iterable[str]) -> None:
    """A paragraph a line: the cell's own first one, then one more for each."""
    lines = [line for line in lines if line] or [""]
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


def _repeat_header(row) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)


def _save(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def record_docx(record: MeetingRecord) -> bytes:
    """Appendix 1 as Word: landscape A4, the table's header row repeated on every page."""
    from docx.shared import Mm

    document = _docx_document(record, landscape=True)
    _draft_notice(document, record)
    document.add_heading(record.title, level=1)
    _labelled(document, "Date", f"{record.when}, {record.venue or 'no venue recorded'}")
    _labelled(document, "Locality", record.locality)
    _labelled(document, "Chair", record.chair)
    attendees = _labelled(document, "Attendees", "" if record.attendees else "None recorded")
    for label, names in record.attendance_lines:
        attendees.add_run().add_break()
        attendees.add_run(f"{label}: ").italic = True
        attendees.add_run(names)
    widths = [Mm(w) for w in (38, 40, 28, 62, 32, 67)]
    table = document.add_table(rows=1, cols=len(RECORD_COLUMNS))
    table.style = "Table Grid"
    table.autofit = False
    heading = table.rows[0]
    _repeat_header(heading)
    for cell, title, width in zip(heading.cells, RECORD_COLUMNS, widths, strict=True):
        cell.width = width
        cell.paragraphs[0].add_run(title).bold = True
    for family in record.families:
        cells = table.add_row().cells
        values = [
            [family.mother, _born(family.mother_born), f"Case {family.reference}"],
            [line for name, born in family.partners for line in (name, _born(born))]
            or ["None recorded"],
            [family.edd_text],
            family.current_concerns.splitlines() or ["None recorded"],
            [family.level_of_csc_input],
        ]
        for cell, lines, width in zip(cells, values, widths, strict=False):
            cell.width = width
            _cell_lines(cell, lines)
        cells[5].width = widths[5]
        _cell_lines(cells[5], [a.text for a in family.actions] or ["None agreed"])
    if not record.families:
        document.add_paragraph("No families in this meeting's cohort.")
    _labelled(document, "Next meeting", record.next_meeting_text)
    if record.addenda:
        document.add_heading("Addenda", level=2)
        for addendum in record.addenda:
            document.add_paragraph(addendum.text)
            document.add_paragraph(addendum.byline).runs[0].italic = True
    return _save(document)


def _born(day: date | None) -> str:
    return f"born {format_date(day)}" if day else "date of birth not known"


def case_note_docx(record: MeetingRecord, family: FamilyRow) -> bytes:
    """One family's Appendix 2 case note as Word, for the CSC record."""
    document = _docx_document(record, landscape=False)
    _draft_notice(document, record)
    document.add_heading(CASE_NOTE_TITLE, level=1)
    document.add_heading(CASE_NOTE_HEADING, level=2)
    _labelled(document, "Reason for contact", record.reason_for_contact)
    _labelled(document, "Date", f"{record.date_text}, {record.locality} pre-birth tracking meeting")
    _labelled(document, "Child", f"{family.display_name} ({family.reference})")
    _labelled(document, "Level of CSC input", family.level_of_csc_input)
    document.add_heading("Key points of discussion", level=3)
    for point in family.key_points or ("No key points recorded",):
        document.add_paragraph(point, style="List Bullet")
    document.add_heading("Actions and timeframes", level=3)
    for action in family.actions or ():
        document.add_paragraph(action.text, style="List Bullet")
    if not family.actions:
        document.add_paragraph("No actions agreed")
    if family.addenda:
        document.add_heading("Corrections added after the meeting", level=3)
        for addendum in family.addenda:
            document.add_paragraph(addendum.note, style="List Bullet")
    return _save(document)


# PDF.


def _refuse_fetch(url: str, *args, **kwargs):
    """The PDF is made from our own template alone: it fetches nothing, local or remote."""
    raise ValueError(f"Exports fetch nothing ({url[:60]})")


def pdf_from_html(html: str) -> bytes:
    """A PDF from one of the print templates (templates/meetings/exports/)."""
    from weasyprint import HTML  # imported when needed: it loads Pango and HarfBuzz

    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()


def record_pdf(record: MeetingRecord) -> bytes:
    """Appendix 1 as PDF: landscape A4, the table's header row repeated on every page."""
    return pdf_from_html(
        render_to_string(
            "meetings/exports/record_pdf.html",
            {"record": record, "columns": RECORD_COLUMNS, "orientation": "landscape"},
        )
    )


def pack_pdf(meeting: Meeting, record: MeetingRecord) -> bytes:
    """The meeting's pack (meetings.selectors.meeting_pack) as PDF, a family a page."""
    weeks = supervision_weeks()
    packs = [p for p in meeting_pack(meeting, supervision_weeks=weeks) if p.discussion.in_cohort]
    return pdf_from_html(
        render_to_string(
            "meetings/exports/pack_pdf.html",
            {
                "record": record,
                "meeting": meeting,
                "packs": packs,
                "supervision_weeks": weeks,
                "orientation": "portrait",
                "protective_marking": settings.PROTECTIVE_MARKING,
            },
        )
    )


# Downloads, each audited with the cases it contained.


@dataclass(frozen=True)
class ExportFile:
    filename: str
    content_type: str
    content: bytes


def _audit_export(
    *,
    actor,
    context: AuditContext | None,
    record: MeetingRecord,
    export: str,
    fmt: str,
    families: Iterable[FamilyRow],
    case=None,
    via: str = "",
) -> None:
    families = list(families)
    audit_record(
        actor=actor,
        actor_username=via,
        event_type=AuditEventType.MEETING_EXPORTED,
        case=case,
        context=context,
        extra_data={
            "meeting": record.meeting_id,
            "meeting_date": record.day.isoformat(),
            "export": export,
            "format": fmt,
            "draft": record.draft,
            "case_ids": sorted(f.case_id for f in families),
            **({"via": via} if via else {}),
        },
    )


def record_file(
    *, actor, context: AuditContext | None, meeting: Meeting, fmt: str, via: str = ""
) -> ExportFile:
    """The Appendix 1 record as DOCX or PDF. `via` names a command when there is no user."""
    if fmt not in (DOCX, PDF):
        raise ValueError(f"No record format {fmt!r}")
    record = meeting_record(meeting)
    content = record_docx(record) if fmt == DOCX else record_pdf(record)
    _audit_export(actor=actor, context=context, record=record, export="record", fmt=fmt,
                  families=record.families, via=via)  # fmt: skip
    return ExportFile(record.filename("tracking-meeting", fmt), CONTENT_TYPES[fmt], content)


def pack_file(*, actor, context: AuditContext | None, meeting: Meeting) -> ExportFile:
    record = meeting_record(meeting)
    content = pack_pdf(meeting, record)
    _audit_export(actor=actor, context=context, record=record, export="pack", fmt=PDF,
                  families=record.families)  # fmt: skip
    return ExportFile(record.filename("tracking-meeting-pack", PDF), CONTENT_TYPES[PDF], content)


def case_note_file(
    *, actor, context: AuditContext | None, meeting: Meeting, discussion_id: int
) -> ExportFile:
    """One family's case note as DOCX; a family not in this meeting's cohort is a 404."""
    record = meeting_record(meeting)
    family = record.family(discussion_id)
    if family is None:
        raise Http404("No such family in this meeting")
    content = case_note_docx(record, family)
    _audit_export(actor=actor, context=context, record=record, export="case_note", fmt=DOCX,
                  families=[family], case=Case.objects.get(pk=family.case_id))  # fmt: skip
    name = record.filename(f"case-note-{family.reference.lower()}-tracking-meeting", DOCX)
    return ExportFile(name, CONTENT_TYPES[DOCX], content)


def case_notes_page(*, actor, context: AuditContext | None, meeting: Meeting):
    """Every family's text for the three agencies' records, on one page: an export too."""
    record = meeting_record(meeting)
    _audit_export(actor=actor, context=context, record=record, export="case_notes", fmt=TEXT,
                  families=record.families)  # fmt: skip
    return record, family_notes(record)
