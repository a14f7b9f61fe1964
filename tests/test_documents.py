"""Uploading documents to a case: a genogram or chronology uploaded by children's social
care completes its milestone; a file that is not what it says, or too big, is refused
with nothing stored; withdrawing takes the step away again."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from documents import services
from documents.models import Document
from tests.document_fixtures import EXE, PDF, docx, stored_files, upload
from timeline.models import CaseMilestone, CaseStep

LONDON = ZoneInfo("Europe/London")
TODAY = date(2027, 2, 15)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def allocated(named_midwife, social_worker, make_case):
    """A case allocated on 21 January 2027: its genogram and chronology are due."""
    case = make_case(named_midwife, edd=date(2027, 6, 10), named_social_worker=social_worker)
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case,
        referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21),
    )  # fmt: skip
    return case


def milestone(case, milestone_id) -> CaseMilestone:
    return CaseMilestone.objects.get(case=case, milestone_id=milestone_id)


@pytest.mark.parametrize(("kind", "milestone_id"), [("genogram", "genogram"),
                                                    ("chronology", "chronology")])  # fmt: skip
def test_a_genogram_or_chronology_uploaded_by_the_social_worker_completes_its_milestone(
    client, allocated, social_worker, kind, milestone_id
):
    assert milestone(allocated, milestone_id).done_date is None
    client.force_login(social_worker)

    response = upload(client, allocated, kind=kind, title=f"{kind} for the assessment")

    assert response.status_code == 302
    assert response["Location"] == reverse("document_list", args=[allocated.id])
    row = milestone(allocated, milestone_id)
    assert row.done_date == TODAY
    assert row.status_on(TODAY) == "done"
    (step,) = CaseStep.objects.filter(case=allocated)
    assert (step.kind, step.agency, step.done_on) == (f"document_{kind}", "csc", TODAY)


def test_a_letter_completes_no_milestone(client, allocated, social_worker):
    client.force_login(social_worker)

    assert upload(client, allocated, kind="letter", title="Letter to parents").status_code == 302

    assert not CaseStep.objects.filter(case=allocated).exists()
    assert Document.objects.get().kind == "letter"


def test_a_genogram_uploaded_by_a_midwife_is_kept_but_does_not_do_the_csc_milestone(
    client, allocated, named_midwife
):
    client.force_login(named_midwife)

    assert upload(client, allocated).status_code == 302

    document = Document.objects.get()
    assert document.uploader_agency == "midwifery"
    assert milestone(allocated, "genogram").done_date is None
    assert not CaseStep.objects.exists()


def test_withdrawing_the_genogram_opens_its_milestone_again(client, allocated, social_worker):
    client.force_login(social_worker)
    upload(client, allocated)
    document = Document.objects.get()

    response = client.post(
        reverse("document_withdraw", args=[allocated.id, document.id]),
        {"reason": "Uploaded to the wrong case"},
    )

    assert response.status_code == 302
    document.refresh_from_db()
    assert document.withdrawn_at is not None and document.withdrawn_by == social_worker
    assert document.withdrawn_reason == "Uploaded to the wrong case"
    assert milestone(allocated, "genogram").done_date is None
    assert not CaseStep.objects.exists()


def test_the_earliest_genogram_in_use_is_the_one_that_counts(allocated, social_worker):
    first = services.document_upload(
        actor=social_worker, context=None, case=allocated, kind="genogram", title="First",
        file_name="g.pdf", content=PDF, uploaded_at=datetime(2027, 2, 1, 9, tzinfo=LONDON),
    )  # fmt: skip
    services.document_upload(
        actor=social_worker, context=None, case=allocated, kind="genogram", title="Second",
        file_name="g.pdf", content=PDF,
    )  # fmt: skip
    assert milestone(allocated, "genogram").done_date == date(2027, 2, 1)

    services.document_withdraw(actor=social_worker, context=None, document=first, reason="Old")

    assert milestone(allocated, "genogram").done_date == TODAY


def test_a_program_renamed_to_pdf_is_refused_and_nothing_is_stored(
    client, allocated, social_worker
):
    client.force_login(social_worker)

    response = upload(client, allocated, title="Chronology v2", name="chronology.pdf",
                      content=EXE)  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The selected file must be a PDF, a Word document (.docx)" in page
    assert 'href="#id_file"' in page
    assert 'value="Chronology v2"' in page  # what was typed is kept
    assert Document.objects.count() == 0
    assert stored_files() == []
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_UPLOADED).exists()
    assert milestone(allocated, "genogram").done_date is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.pdf", b"", "The selected file is empty"),
        ("letter.docx", PDF, "is a PDF, but its name ends .docx"),
        ("archive.docx", b"PK\x03\x04" + b"\x00" * 40, "must be a PDF"),
        ("macros.docx", docx({"word/vbaProject.bin": b"\xd0\xcf"}), "with macros"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(
    client, allocated, social_worker, name, content, message
):
    client.force_login(social_worker)

    response = upload(client, allocated, kind="letter", title="Letter", name=name,
                      content=content)  # fmt: skip

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Document.objects.count() == 0
    assert stored_files() == []


def test_a_word_document_is_kept_as_one(client, allocated, social_worker):
    client.force_login(social_worker)

    assert upload(client, allocated, kind="report", title="Report", name="Report.docx",
                  content=docx()).status_code == 302  # fmt: skip

    document = Document.objects.get()
    assert document.content_type == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert document.original_name == "Report.docx"


def test_a_file_over_the_limit_is_refused_with_the_limit_named(
    client, allocated, social_worker, settings
):
    settings.DOCUMENTS_MAX_MB = 1
    client.force_login(social_worker)
    too_big = PDF + b"\n%" + b"x" * (1024 * 1024)

    response = upload(client, allocated, content=too_big)

    assert response.status_code == 200
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert Document.objects.count() == 0 and stored_files() == []


def test_the_service_refuses_a_file_over_the_limit_too(allocated, social_worker, settings):
    settings.DOCUMENTS_MAX_MB = 1

    with pytest.raises(services.ValidationError) as refused:
        services.document_upload(
            actor=social_worker, context=None, case=allocated, kind="letter", title="Letter",
            file_name="big.pdf", content=PDF + b"x" * (1024 * 1024),
        )  # fmt: skip

    assert refused.value.message_dict == {"file": ["The selected file must be smaller than 1MB"]}


def test_a_problem_elsewhere_keeps_the_kind_and_title_and_asks_for_the_file_again(
    client, allocated, social_worker
):
    client.force_login(social_worker)

    response = client.post(
        reverse("document_upload", args=[allocated.id]),
        {"kind": "chronology", "title": "", "file": upload_file()},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter a title for the document" in page
    assert 'value="chronology" checked' in page
    assert "Choose the file again: ‘Chronology.pdf’ was not kept" in page
    assert Document.objects.count() == 0 and stored_files() == []


def upload_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("Chronology.pdf", PDF)


def test_no_file_and_no_kind_are_named_in_the_error_summary(client, allocated, social_worker):
    client.force_login(social_worker)

    response = client.post(reverse("document_upload", args=[allocated.id]), {"title": "A"})

    page = response.content.decode()
    assert 'href="#id_kind_0"' in page and "Select what kind of document it is" in page
    assert 'href="#id_file"' in page and "Select a file" in page


def test_the_upload_form_is_a_govuk_file_upload(client, allocated, social_worker):
    client.force_login(social_worker)

    page = client.get(reverse("document_upload", args=[allocated.id]) + "?kind=genogram")

    html = page.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'class="govuk-file-upload"' in html and 'type="file"' in html
    assert 'accept=".pdf,.docx,.png,.jpg,.jpeg,.heic,.heif"' in html
    assert 'value="genogram" checked' in html
    assert "smaller than 20MB" in html


def test_a_failed_transaction_leaves_no_file_behind(allocated, social_worker, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit failure")

    monkeypatch.setattr(services, "audit_record", broken)

    with pytest.raises(RuntimeError):
        services.document_upload(
            actor=social_worker, context=None, case=allocated, kind="genogram",
            title="Genogram", file_name="g.pdf", content=PDF,
        )  # fmt: skip

    assert Document.objects.count() == 0
    assert stored_files() == []
    assert milestone(allocated, "genogram").done_date is None


def test_the_upload_is_audited_with_its_summary_and_hash(client, allocated, social_worker):
    client.force_login(social_worker)
    upload(client, allocated, title="Maternal family")
    document = Document.objects.get()

    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_UPLOADED)

    assert event.case_id == allocated.id and event.actor == social_worker
    assert event.extra_data["summary"] == (
        f"Genogram ‘Maternal family’ uploaded: Genogram.pdf, PDF, {services.size_text(len(PDF))}"
    )
    assert event.extra_data["record"] == "documents.document"
    assert event.extra_data["record_id"] == str(document.id)
    assert event.extra_data["sha256"] == document.sha256
    assert event.extra_data["on"] == "2027-02-15"
    assert event.extra_data["step"] == "document_genogram"
    assert event.extra_data["changes"]["title"] == {"before": None, "after": "Maternal family"}


def test_a_withdrawal_is_audited_with_its_reason(allocated, social_worker):
    document = services.document_upload(
        actor=social_worker, context=None, case=allocated, kind="letter", title="Letter",
        file_name="l.pdf", content=PDF,
    )  # fmt: skip

    services.document_withdraw(actor=social_worker, context=None, document=document,
                               reason="Wrong family")  # fmt: skip

    event = AuditEvent.objects.get(event_type=AuditEventType.DOCUMENT_WITHDRAWN)
    assert event.extra_data["summary"] == "Letter ‘Letter’ withdrawn: Wrong family"
    assert event.extra_data["record_id"] == str(document.id)
    assert event.extra_data["changes"]["withdrawn_reason"] == {"before": "",
                                                               "after": "Wrong family"}  # fmt: skip


def test_withdrawing_needs_a_reason_and_happens_once(client, allocated, social_worker):
    document = services.document_upload(
        actor=social_worker, context=None, case=allocated, kind="letter", title="Letter",
        file_name="l.pdf", content=PDF,
    )  # fmt: skip
    client.force_login(social_worker)
    url = reverse("document_withdraw", args=[allocated.id, document.id])

    response = client.post(url, {"reason": "  "})

    assert "Enter why the document is being withdrawn" in response.content.decode()
    document.refresh_from_db()
    assert document.withdrawn_at is None

    services.document_withdraw(actor=social_worker, context=None, document=document, reason="x")
    again = client.post(url, {"reason": "Again"}).content.decode()
    assert "<title>Error: " in again
    assert "This document was already withdrawn on" in again  # the service's refusal, shown
    with pytest.raises(services.ValidationError, match="already withdrawn"):
        services.document_withdraw(actor=social_worker, context=None, document=document,
                                   reason="again")  # fmt: skip


def test_a_team_manager_may_withdraw_anyones_document(allocated, social_worker, team_manager):
    document = services.document_upload(
        actor=social_worker, context=None, case=allocated, kind="letter", title="Letter",
        file_name="l.pdf", content=PDF,
    )  # fmt: skip

    services.document_withdraw(actor=team_manager, context=None, document=document,
                               reason="Duplicate")  # fmt: skip

    assert Document.objects.get().withdrawn_by == team_manager


def test_another_worker_cannot_withdraw_someone_elses_document(
    client, allocated, social_worker, make_user
):
    colleague = make_user("sara", RoleCode.SOCIAL_WORKER)
    document = services.document_upload(
        actor=social_worker, context=None, case=allocated, kind="letter", title="Letter",
        file_name="l.pdf", content=PDF,
    )  # fmt: skip
    client.force_login(colleague)
    url = reverse("document_withdraw", args=[allocated.id, document.id])

    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "Not mine"}).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.document_withdraw(actor=colleague, context=None, document=document,
                                   reason="Not mine")  # fmt: skip
    assert Document.objects.get().withdrawn_at is None
    assert (
        "Withdraw"
        not in client.get(reverse("document_list", args=[allocated.id]))
        .content.decode()
        .split("<table")[1]
    )
