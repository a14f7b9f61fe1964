"""Who may see, download, upload and withdraw a case's documents: a user who cannot see
the case gets 404 for every one of its documents' pages; a guest reads and downloads
but uploads nothing; every download goes through the audited view, with headers that
keep the browser from running or caching the file."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from documents import services
from documents.models import Document
from tests.document_fixtures import PDF, stored_files, upload


@pytest.fixture
def case(named_midwife, social_worker, make_case):
    return make_case(named_midwife, named_social_worker=social_worker)


@pytest.fixture
def document(case, social_worker):
    return services.document_upload(
        actor=social_worker, context=None, case=case, kind="genogram", title="Genogram",
        file_name="C:\\Users\\priya\\Genogram (final).pdf", content=PDF,
    )  # fmt: skip


def urls(case, document) -> dict[str, str]:
    return {
        "list": reverse("document_list", args=[case.id]),
        "upload": reverse("document_upload", args=[case.id]),
        "download": reverse("document_download", args=[case.id, document.id]),
        "withdraw": reverse("document_withdraw", args=[case.id, document.id]),
    }


def test_someone_who_cannot_see_the_case_gets_404_for_all_its_documents(
    client, case, document, outsider
):
    client.force_login(outsider)

    for name, url in urls(case, document).items():
        assert client.get(url).status_code == 404, name
    assert client.post(urls(case, document)["upload"], {"kind": "letter"}).status_code == 404
    assert client.post(urls(case, document)["withdraw"], {"reason": "x"}).status_code == 404
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED).exists()
    assert Document.objects.get().withdrawn_at is None


@pytest.mark.parametrize("persona", ["analyst", "administrator"])
def test_people_who_see_no_case_data_get_404(client, case, document, persona, request):
    client.force_login(request.getfixturevalue(persona))

    for name, url in urls(case, document).items():
        assert client.get(url).status_code == 404, name


def test_a_document_is_only_found_under_its_own_case(
    client, case, document, social_worker, make_case, named_midwife
):
    other = make_case(named_midwife, named_social_worker=social_worker, family_name="Other")
    client.force_login(social_worker)

    response = client.get(reverse("document_download", args=[other.id, document.id]))

    assert response.status_code == 404


def test_signed_out_people_are_sent_to_sign_in(client, case, document):
    for url in urls(case, document).values():
        response = client.get(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_a_guest_reads_and_downloads_but_cannot_upload_or_withdraw(client, case, document, guest):
    client.force_login(guest)
    pages = urls(case, document)

    listed = client.get(pages["list"])
    assert listed.status_code == 200
    assert "Genogram" in listed.content.decode()
    assert "Upload a document" not in listed.content.decode()
    assert client.get(pages["download"]).status_code == 200
    assert client.get(pages["upload"]).status_code == 403
    assert upload(client, case, kind="letter", title="Letter").status_code == 403
    assert client.get(pages["withdraw"]).status_code == 403
    assert client.post(pages["withdraw"], {"reason": "x"}).status_code == 403
    with pytest.raises(services.PermissionDenied):
        services.document_upload(
            actor=guest, context=None, case=case, kind="letter", title="Letter",
            file_name="l.pdf", content=PDF,
        )  # fmt: skip
    assert Document.objects.count() == 1
    assert len(stored_files()) == 1


def test_a_download_is_the_file_as_an_attachment_that_the_browser_will_not_run(
    client, case, document, named_midwife
):
    client.force_login(named_midwife)

    response = client.get(urls(case, document)["download"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="Genogram (final).pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Security-Policy"] == "sandbox"


def test_every_download_is_audited_naming_the_document(client, case, document, guest):
    client.force_login(guest)

    client.get(urls(case, document)["download"])
    client.get(urls(case, document)["download"])

    events = AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED)
    assert events.count() == 2
    event = events.first()
    assert event.actor == guest and event.case_id == case.id
    assert event.extra_data["record_id"] == str(document.id)
    assert event.extra_data["sha256"] == document.sha256
    assert event.extra_data["summary"] == "Genogram ‘Genogram’ downloaded (Genogram (final).pdf)"


def test_the_list_is_audited_as_a_read_of_the_case(client, case, document, guest):
    client.force_login(guest)

    client.get(urls(case, document)["list"])

    assert AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_VIEWED, actor=guest, case=case
    ).exists()


def test_a_withdrawn_document_is_listed_as_withdrawn_and_cannot_be_downloaded(
    client, case, document, social_worker
):
    services.document_withdraw(actor=social_worker, context=None, document=document,
                               reason="Replaced by a newer version")  # fmt: skip
    client.force_login(social_worker)

    assert client.get(urls(case, document)["download"]).status_code == 404
    page = client.get(urls(case, document)["list"]).content.decode()
    assert "Withdrawn" in page and "Replaced by a newer version" in page
    assert urls(case, document)["download"] not in page
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_DOWNLOADED).exists()


def test_a_health_visitor_may_upload_a_report(client, case, make_user):
    health_visitor = make_user("hannah", RoleCode.HEALTH_VISITOR)
    client.force_login(health_visitor)

    assert upload(client, case, kind="report", title="Health visiting report").status_code == 302

    assert Document.objects.get().uploader_agency == "phn"


def test_the_case_page_shows_the_latest_documents_in_constant_queries(client, case, social_worker):
    client.force_login(social_worker)
    detail = reverse("case_detail", args=[case.id])
    add = lambda n: services.document_upload(  # noqa: E731
        actor=social_worker, context=None, case=case, kind="letter", title=f"Letter {n}",
        file_name="l.pdf", content=PDF,
    )  # fmt: skip
    add(1)
    with CaptureQueriesContext(connection) as one:
        client.get(detail)
    for n in range(2, 7):
        add(n)

    with CaptureQueriesContext(connection) as many:
        page = client.get(detail).content.decode()

    assert len(many) == len(one)
    # The documents section (the case history's section further down names uploads too).
    section = page.split('id="documents"', 1)[1].split("<h2", 1)[0]
    assert "Letter 6" in section and "Letter 4" in section and "Letter 3" not in section
    assert "Upload a document" in page and "All documents" in page
    assert reverse("document_list", args=[case.id]) in page
