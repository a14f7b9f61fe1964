"""After the meeting, every agency's record (Terms of Reference 6.6, Appendix 1 and 2):
the record as Word and PDF, read back; the pack as PDF; each family's case note for
children's social care, the PHN actions and the maternity entry; the command; who may
export what, and the audit of every export."""

import io
import os
import subprocess
import sys
from datetime import time, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from pypdf import PdfReader

from accounts.models import Locality, RoleCode
from audit.models import AuditEvent, AuditEventType
from meetings import exports, services
from meetings.models import Action, Attendance, Meeting, MeetingStatus, MemberRole
from rules.dates import format_date
from tests.meeting_fixtures import finalised_meeting, make_staff

ROOT = Path(__file__).resolve().parent.parent
MARKING = "OFFICIAL-SENSITIVE"


@pytest.fixture
def built(db):
    return finalised_meeting(families=3)


def _docx(content: bytes):
    return Document(io.BytesIO(content))


def _pdf_pages(content: bytes) -> list[str]:
    """Each page's text, with line breaks (where a table cell wraps) as spaces."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def _mothers(built) -> list[str]:
    return [d.case.mother.full_name for d in built.discussions]


def _exported(**filters) -> AuditEvent:
    return AuditEvent.objects.filter(event_type=AuditEventType.MEETING_EXPORTED, **filters).get()


# The record (Appendix 1).


def test_the_record_is_gathered_in_the_same_number_of_queries_for_3_and_12_families(db):
    small = finalised_meeting(families=3, locality="mendip")
    large = finalised_meeting(families=12, locality="sedgemoor")

    def queries(meeting) -> int:
        meeting = Meeting.objects.select_related("locality", "chair").get(pk=meeting.pk)
        with CaptureQueriesContext(connection) as captured:
            record = exports.meeting_record(meeting)
            exports.record_docx(record)
            exports.family_notes(record)
        return len(captured)

    assert len(exports.meeting_record(small.meeting).families) == 3
    assert len(exports.meeting_record(large.meeting).families) == 12
    assert queries(small.meeting) == queries(large.meeting)


def test_the_word_record_has_the_documents_columns_a_row_a_family_in_cohort_order(built):
    document = _docx(exports.record_docx(exports.meeting_record(built.meeting)))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    for part in (section.header, section.footer):
        text = "\n".join(p.text for p in part.paragraphs)
        assert MARKING in text and "Mendip" in text and "DRAFT" not in text
    body = "\n".join(p.text for p in document.paragraphs)
    assert document.paragraphs[0].text == exports.RECORD_TITLE
    assert f"Date: {format_date(built.meeting.date)}, 10am to 12pm" in body
    assert "Present: Helen Tester (Chair" in body and "Jo Tester (CSC locality" in body
    table = document.tables[0]
    header = table.rows[0]
    assert [cell.text for cell in header.cells] == list(exports.RECORD_COLUMNS)
    assert header._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    rows = table.rows[1:]
    assert [row.cells[0].paragraphs[0].text for row in rows] == _mothers(built)
    first, case = rows[0].cells, built.discussions[0].case
    assert first[0].text.splitlines()[1] == f"born {format_date(case.mother.date_of_birth)}"
    partner = case.partners.get()
    assert first[1].text.startswith(f"{partner.person.full_name} (father)")
    assert first[2].text == format_date(case.edd)
    assert first[3].text.startswith("Concerns for family 1")
    assert first[4].text == "Assessment"
    due = format_date(built.meeting.date + timedelta(days=14))
    assert (
        f"CSC action for family 1 – Jo Tester, Children's Social Care – by {due}" in first[5].text
    )
    assert "PHN action for family 1 – Sam Tester, Public Health Nursing" in first[5].text
    assert rows[1].cells[1].text == "None recorded"  # no partner
    next_day = format_date(built.next_meeting.date)
    assert f"Next meeting: {next_day}, 2pm to 4pm, Shepton Mallet hub" in body
    # Addenda come last, after the next meeting.
    assert body.index("Addenda") > body.index("Next meeting")
    assert body.rstrip().splitlines()[-2] == "The EDD was confirmed by scan after the meeting"


def test_the_pdf_record_reads_back_with_the_marking_on_every_page(built):
    content = exports.record_pdf(exports.meeting_record(built.meeting))
    reader = PdfReader(io.BytesIO(content))
    box = reader.pages[0].mediabox
    assert box.width > box.height  # landscape
    pages = _pdf_pages(content)
    for text in pages:
        assert text.count(MARKING) >= 2 and "Mendip" in text  # header and footer
    text = "\n".join(pages)
    assert exports.RECORD_TITLE in text
    for column in ("Mother name & DOB", "Current Concerns", "Level of CSC input", "Actions"):
        assert column in text
    positions = [text.index(name) for name in _mothers(built)]
    assert positions == sorted(positions)
    assert "Next meeting:" in text and format_date(built.next_meeting.date) in text
    assert text.index("Addenda") > text.index("Next meeting:")
    assert "DRAFT" not in text


def test_a_meeting_not_yet_finalised_exports_a_draft(db):
    built = finalised_meeting(families=2, finalise=False)
    record = exports.meeting_record(built.meeting)
    assert record.draft and record.filename("tracking-meeting", "docx").endswith("-draft.docx")
    document = _docx(exports.record_docx(record))
    assert "DRAFT" in document.sections[0].header.paragraphs[0].text
    assert document.paragraphs[0].text.startswith("DRAFT")
    assert all("DRAFT" in page for page in _pdf_pages(exports.record_pdf(record)))
    assert exports.case_note_text(record, record.families[0]).startswith("DRAFT")


def test_attendees_show_deputies_and_apologies_and_a_missing_lead_is_said(db):
    built = finalised_meeting(families=1, finalise=False)
    members = {m.role: m for m in built.meeting.members.all()}
    services.attendance_record(
        actor=built.chair,
        context=None,
        meeting=built.meeting,
        attendance={
            members[MemberRole.NAMED_PHN].pk: (Attendance.DEPUTY, "Dee Dawlish"),
            members[MemberRole.OPERATIONS_MANAGER].pk: (Attendance.APOLOGIES, ""),
        },
    )
    record = exports.meeting_record(built.meeting)
    lines = dict(record.attendance_lines)
    assert "Dee Dawlish (deputy for Sam Tester, Named PHN" in lines["Present"]
    assert lines["Apologies"].startswith("Jo Tester (CSC locality operations manager")
    # The deputy who came names the PHN; the OM sent apologies and is still the OM named.
    assert record.named_phn == "Dee Dawlish" and record.operations_manager == "Jo Tester"
    members[MemberRole.OPERATIONS_MANAGER].delete()
    record = exports.meeting_record(built.meeting)
    assert "by OM (not represented), Named Midwife for Safeguarding (Helen Tester)" in (
        record.reason_for_contact
    )


def test_what_was_typed_is_shown_as_text_and_an_empty_cohort_still_exports(db):
    built = finalised_meeting(families=1, finalise=False)
    discussion = built.discussions[0]
    typed = "Dad's <b>new</b> partner & friends\nSecond line"
    services.discussion_record(
        actor=built.chair, context=None, discussion=discussion, version=None,
        record=services.DiscussionRecord(typed, "", discussion.level_of_csc_input, frozenset()),
    )  # fmt: skip
    record = exports.meeting_record(built.meeting)
    cell = _docx(exports.record_docx(record)).tables[0].rows[1].cells[3]
    assert [p.text for p in cell.paragraphs] == typed.splitlines()
    assert (
        "Dad's <b>new</b> partner & friends Second line"
        in _pdf_pages(exports.record_pdf(record))[0]
    )
    services.cohort_remove(actor=built.chair, context=None, discussion=discussion,
                           reason="Moved away")  # fmt: skip
    empty = exports.meeting_record(built.meeting)
    assert empty.families == () and empty.case_ids == []
    assert len(_docx(exports.record_docx(empty)).tables[0].rows) == 1
    assert "No families in this meeting's cohort." in _pdf_pages(exports.record_pdf(empty))[0]


def test_an_open_action_from_an_earlier_meeting_is_carried_forward(built):
    earlier = Meeting.objects.create(
        locality=built.meeting.locality, date=built.meeting.date - timedelta(days=28),
        start_time=time(10), end_time=time(12), chair=built.chair, created_by=built.chair,
        status=MeetingStatus.FINALISED,
    )  # fmt: skip
    case = built.discussions[1].case
    Action.objects.create(case=case, meeting=earlier, description="Book the ICPC",
                          owner_agency="phn", due_date=earlier.date + timedelta(days=7),
                          created_by=built.chair)  # fmt: skip
    family = exports.meeting_record(built.meeting).families[1]
    carried = family.actions[-1]
    assert carried.text.endswith(f"(carried forward from {format_date(earlier.date)})")
    assert carried in family.actions_of("phn")


def test_the_pack_pdf_has_a_family_a_page_with_the_marking(built):
    record = exports.meeting_record(built.meeting)
    pages = _pdf_pages(exports.pack_pdf(built.meeting, record))
    assert len(pages) >= 3
    for text in pages:
        assert MARKING in text and "Mendip" in text
    for name in _mothers(built):
        assert sum(f"Unborn baby of {name}" in page for page in pages) == 1
    assert "Named professionals" in pages[0] and "Expected due date" in pages[0]


# Appendix 2 and the other agencies' entries.


def test_the_case_note_page_has_each_agencys_text_ready_to_copy(client, built):
    client.force_login(built.operations_manager)
    response = client.get(reverse("meeting_case_notes", args=[built.meeting.id]))
    assert response.status_code == 200
    page = response.content.decode()
    first = built.discussions[0]
    due = format_date(built.meeting.date + timedelta(days=14))
    later = format_date(built.meeting.date + timedelta(days=21))
    note = response.context["families"][0].texts[0].text
    assert note.splitlines()[:2] == [exports.CASE_NOTE_TITLE, "Pre-Birth tracking"]
    assert (
        "Reason for contact: Pre-birth tracking by OM (Jo Tester), Named Midwife for Safeguarding"
        " (Helen Tester) and Named PHN for children (Sam Tester)" in note
    )
    assert f"• {first.key_point_list[0]}\n• {first.key_point_list[1]}" in note
    assert f"• CSC action for family 1 – Jo Tester, Children's Social Care – by {due}" in note
    assert "• The EDD was confirmed by scan after the meeting (added" in note  # the addendum
    phn = response.context["families"][0].texts[1].text
    assert f"• PHN action for family 1 – Sam Tester, Public Health Nursing – by {later}" in phn
    assert "CSC action" not in phn and "Midwifery action" not in phn
    assert "No actions for Public Health Nursing" in response.context["families"][1].texts[1].text
    maternity = response.context["families"][0].texts[2].text
    assert f"mother {first.case.mother.full_name}, born" in maternity
    assert "Level of CSC input: Assessment" in maternity
    assert first.key_point_list[0] in maternity
    assert (
        "• Midwifery action for family 1 – Midwifery" in maternity and "PHN action" not in maternity
    )
    # Without JavaScript: read-only boxes to select from; the Copy buttons wait for it.
    assert page.count("readonly") == 3 * len(built.discussions)
    assert 'data-app-copy-button="csc-' in page and " hidden>" in page
    assert "app/copy.js" in page
    assert "Jo Tester, Children&#x27;s Social Care" in page  # escaped, as text


def test_the_case_note_downloads_as_word(client, built):
    client.force_login(built.named_phn)
    discussion = built.discussions[0]
    url = reverse("meeting_case_note_docx", args=[built.meeting.id, discussion.pk])
    response = client.get(url)
    assert response.status_code == 200
    name = f"case-note-{discussion.case.reference.lower()}-tracking-meeting-mendip"
    assert (
        f'filename="{name}-{built.meeting.date:%Y-%m-%d}.docx"' in response["Content-Disposition"]
    )
    document = _docx(response.content)
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == [exports.CASE_NOTE_TITLE, "Pre-Birth tracking"]
    assert any(
        t.startswith("Reason for contact: Pre-birth tracking by OM (Jo Tester)") for t in texts
    )
    assert discussion.key_point_list[0] in texts
    assert any(t.startswith("CSC action for family 1 – Jo Tester") for t in texts)
    assert MARKING in document.sections[0].header.paragraphs[0].text
    event = _exported(case=discussion.case)
    assert event.extra_data["case_ids"] == [str(discussion.case_id)]
    assert (event.extra_data["export"], event.extra_data["format"]) == ("case_note", "docx")


# Downloads: who, what, and the audit.


@pytest.mark.parametrize(
    ("name", "content_type", "filename"),
    [
        ("meeting_record_docx", exports.CONTENT_TYPES["docx"], "tracking-meeting-mendip-{}.docx"),
        ("meeting_record_pdf", "application/pdf", "tracking-meeting-mendip-{}.pdf"),
        ("meeting_pack_pdf", "application/pdf", "tracking-meeting-pack-mendip-{}.pdf"),
    ],
)
def test_a_download_is_an_attachment_not_stored_and_audited_with_its_cases(
    client, built, name, content_type, filename
):
    client.force_login(built.operations_manager)
    response = client.get(reverse(name, args=[built.meeting.id]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    expected = filename.format(f"{built.meeting.date:%Y-%m-%d}")
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert "no-store" in response["Cache-Control"]
    event = _exported(actor=built.operations_manager)
    assert event.extra_data["case_ids"] == sorted(str(c.pk) for c in built.cases)
    assert event.extra_data["format"] == name.rsplit("_", 1)[1]
    assert event.extra_data["meeting"] == str(built.meeting.id)
    # Not also recorded as a plain view: one row says what left the service.
    assert not AuditEvent.objects.filter(event_type=AuditEventType.MEETING_VIEWED).exists()


def test_the_named_phn_and_ops_manager_download_and_a_social_worker_cannot(client, built):
    urls = [
        reverse("meeting_record_docx", args=[built.meeting.id]),
        reverse("meeting_record_pdf", args=[built.meeting.id]),
        reverse("meeting_pack_pdf", args=[built.meeting.id]),
        reverse("meeting_case_notes", args=[built.meeting.id]),
        reverse("meeting_case_note_docx", args=[built.meeting.id, built.discussions[0].pk]),
    ]
    for user in (built.named_phn, built.operations_manager):
        client.force_login(user)
        assert [client.get(url).status_code for url in urls] == [200] * 5
    client.force_login(built.social_worker)  # sees the cases, not the meeting
    assert [client.get(url).status_code for url in urls] == [403] * 5
    client.logout()
    assert all(client.get(url).status_code == 302 for url in urls)  # to sign in
    before = AuditEvent.objects.filter(event_type=AuditEventType.MEETING_EXPORTED).count()
    assert before == 10


def test_another_locality_and_unknown_ids_get_404(client, built, db):
    other = finalised_meeting(families=1, locality="sedgemoor")
    meeting, discussion = built.meeting, built.discussions[0]
    outsider = make_staff("nora-elsewhere", RoleCode.NAMED_MIDWIFE, "sedgemoor")
    client.force_login(outsider)
    for name in ("meeting_record_docx", "meeting_record_pdf", "meeting_pack_pdf",
                 "meeting_case_notes"):  # fmt: skip
        assert client.get(reverse(name, args=[meeting.id])).status_code == 404, name
        assert client.get(reverse(name, args=[other.discussions[0].case_id])).status_code == 404
    note = reverse("meeting_case_note_docx", args=[meeting.id, discussion.pk])
    assert client.get(note).status_code == 404
    client.force_login(built.operations_manager)
    other_family = reverse("meeting_case_note_docx", args=[meeting.id, other.discussions[0].pk])
    assert client.get(other_family).status_code == 404
    assert (
        client.get(reverse("meeting_case_note_docx", args=[meeting.id, 999999])).status_code == 404
    )
    assert not AuditEvent.objects.filter(event_type=AuditEventType.MEETING_EXPORTED).exists()


def test_a_family_taken_out_of_the_cohort_is_not_exported(client, db):
    built = finalised_meeting(families=2, finalise=False)
    taken_out = built.discussions[1]
    services.cohort_remove(actor=built.chair, context=None, discussion=taken_out,
                           reason="Moved away")  # fmt: skip
    record = exports.meeting_record(built.meeting)
    assert [f.discussion_id for f in record.families] == [built.discussions[0].pk]
    client.force_login(built.chair)
    url = reverse("meeting_case_note_docx", args=[built.meeting.id, taken_out.pk])
    assert client.get(url).status_code == 404


def test_the_meeting_page_links_to_the_exports_for_its_readers_not_guests(client, built):
    client.force_login(built.chair)
    page = client.get(reverse("meeting_detail", args=[built.meeting.id])).content.decode()
    assert reverse("meeting_record_docx", args=[built.meeting.id]) in page
    assert reverse("meeting_case_notes", args=[built.meeting.id]) in page
    guest = make_staff("gita-guest", RoleCode.GUEST, "mendip")
    services.attendance_record(actor=built.chair, context=None, meeting=built.next_meeting,
                               attendance={}, guests=[guest])  # fmt: skip
    client.force_login(guest)
    response = client.get(reverse("meeting_detail", args=[built.next_meeting.id]))
    assert response.status_code == 200
    assert reverse("meeting_record_docx", args=[built.next_meeting.id]) not in (
        response.content.decode()
    )
    url = reverse("meeting_record_docx", args=[built.next_meeting.id])
    assert client.get(url).status_code == 403


# The command.


def test_the_command_writes_the_record_and_audits_it(built, tmp_path):
    day = f"{built.meeting.date:%Y-%m-%d}"
    out = io.StringIO()
    target = tmp_path / "record.docx"
    call_command("meeting_record", locality="mendip", date=day, format="docx",
                 output=str(target), stdout=out)  # fmt: skip
    assert "Wrote the record of the Mendip tracking meeting" in out.getvalue()
    table = _docx(target.read_bytes()).tables[0]
    assert [r.cells[0].paragraphs[0].text for r in table.rows[1:]] == _mothers(built)
    pdf = tmp_path / "record.pdf"
    call_command("meeting_record", locality="mendip", date="last", format="PDF",
                 output=str(pdf), stdout=io.StringIO())  # fmt: skip
    assert exports.RECORD_TITLE in "\n".join(_pdf_pages(pdf.read_bytes()))
    events = AuditEvent.objects.filter(event_type=AuditEventType.MEETING_EXPORTED)
    assert events.count() == 2
    for event in events:
        assert event.actor is None and event.actor_username.startswith("command line (")
        assert event.extra_data["case_ids"] == sorted(str(c.pk) for c in built.cases)
    assert {e.extra_data["format"] for e in events} == {"docx", "pdf"}


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"locality": "atlantis"}, "locality"),
        ({"locality": ""}, "locality"),
        ({"date": "2027-13-01"}, "date"),
        ({"date": "next tuesday"}, "date"),
        ({"date": "1999-01-01"}, "date"),  # no meeting that day
        ({"format": "odt"}, "format"),
        ({"format": None}, "format"),
        ({"output": "/no/such/folder/record.docx"}, "output"),
        ({"output": "."}, "output"),  # a folder
        ({"output": None}, "output"),
    ],
)
def test_the_command_names_the_bad_field_and_exits_2(built, tmp_path, options, field):
    values = {"locality": "mendip", "date": f"{built.meeting.date:%Y-%m-%d}", "format": "docx",
              "output": str(tmp_path / "record.docx"), **options}  # fmt: skip
    with pytest.raises(CommandError) as raised:
        call_command("meeting_record", **{k: v for k, v in values.items() if v is not None})
    assert raised.value.returncode == 2
    assert str(raised.value).startswith(f"{field}: ")
    assert not AuditEvent.objects.filter(event_type=AuditEventType.MEETING_EXPORTED).exists()


def test_last_needs_a_finalised_meeting(db, tmp_path):
    finalised_meeting(families=1, finalise=False)
    with pytest.raises(CommandError, match="^date: no finalised tracking meeting in Mendip") as e:
        call_command("meeting_record", locality="mendip", date="last", format="pdf",
                     output=str(tmp_path / "r.pdf"))  # fmt: skip
    assert e.value.returncode == 2
    assert Locality.objects.filter(slug="mendip").exists()


def test_from_the_command_line_bad_input_exits_2_with_the_field(tmp_path):
    env = {**os.environ, "PREBIRTH_VAR_DIR": str(tmp_path)}
    ran = subprocess.run(
        [sys.executable, "manage.py", "meeting_record", "--locality", "mendip", "--date", "last",
         "--format", "odt", "--output", str(tmp_path / "r.odt")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert ran.returncode == 2, ran.stderr
    assert "format: give --format docx or pdf" in ran.stderr
    assert not (tmp_path / "r.odt").exists()


def test_the_exports_benchmark_runs_on_a_small_meeting(tmp_path):
    # A clean environment, as tests/test_bench_runs.py: never the test run's database.
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "TZ"}}
    ran = subprocess.run(
        [sys.executable, "bench/exports.py", "--families", "3", "--repeats", "1",
         "--var-dir", str(tmp_path / "bench"), "--output", str(tmp_path / "report.md")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr[-2000:]
    report = (tmp_path / "report.md").read_text()
    assert "3 families" in report
    for export in ("record, Word", "record, PDF", "pack, PDF"):
        assert f"| {export} |" in report
