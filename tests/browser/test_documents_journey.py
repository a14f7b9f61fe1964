"""A social worker attaches the genogram to the assessment from the case page."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import RoleCode
from cases import services as case_services
from tests.browser.pages import BasePage, CasePage, SignInPage
from tests.conftest import PASSWORD
from tests.document_fixtures import EXE, PDF
from timeline.models import CaseMilestone


class DocumentsPage(BasePage):
    def titles(self) -> list[str]:
        texts = self.page.locator("tbody tr td:first-child a").all_inner_texts()
        return [" ".join(text.split()) for text in texts]


class UploadPage(BasePage):
    def upload(self, kind: str, title: str, name: str, content: bytes):
        self.page.get_by_label(kind, exact=True).check()
        self.page.get_by_label("Title").fill(title)
        self.page.get_by_label("Upload a file").set_input_files(
            files=[{"name": name, "mimeType": "application/pdf", "buffer": content}]
        )
        self.page.get_by_role("button", name="Upload", exact=True).click()
        if self.page.locator(".govuk-error-summary").count():
            return UploadPage(self.page, self.axe)
        return DocumentsPage(self.page, self.axe)

    def error_messages(self) -> list[str]:
        return self.page.locator(".govuk-error-summary__list li").all_inner_texts()


def test_a_social_worker_uploads_the_genogram_and_its_milestone_is_done(
    page, axe, make_user, make_case
):
    """
    Given Priya, the social worker allocated an unborn baby's assessment 10 days ago
    When she uploads a program renamed genogram.pdf from the case page
    Then it is refused with a GOV.UK error summary, her title kept and nothing stored
    When she uploads the real genogram PDF
    Then it is listed, downloads as the same file, appears on the case page,
    and the genogram milestone is done today; no page had an accessibility violation.
    """
    priya = make_user("priya", RoleCode.SOCIAL_WORKER)
    midwife = make_user("maria", RoleCode.MIDWIFE)
    today = timezone.localdate()
    case = make_case(midwife, named_social_worker=priya)
    case_services.case_facts_update(
        actor=priya, context=None, case=case,
        referral_date=today - timedelta(days=11), allocation_date=today - timedelta(days=10),
    )  # fmt: skip

    SignInPage.open(page, axe).sign_in("priya", PASSWORD)
    page.goto(f"/cases/{case.id}/")
    CasePage(page, axe)
    page.get_by_role("link", name="Upload a document").click()
    upload = UploadPage(page, axe)

    refused = upload.upload("Genogram", "Genogram, mother's family", "genogram.pdf", EXE)
    assert refused.error_messages() == [
        "The selected file must be a PDF, a Word document (.docx) or a PNG, JPEG or HEIC image"
    ]
    expect(page.get_by_label("Title")).to_have_value("Genogram, mother's family")
    assert not case.documents.exists()

    documents = refused.upload("Genogram", "Genogram, mother's family", "genogram.pdf", PDF)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Document uploaded")
    assert documents.titles() == ["Genogram, mother's family (download)"]

    with page.expect_download() as download:
        page.get_by_role("link", name="Genogram, mother's family (download)").click()
    assert download.value.suggested_filename == "genogram.pdf"
    with open(download.value.path(), "rb") as downloaded:
        assert downloaded.read() == PDF

    page.get_by_role("link", name="Back to the case").click()
    CasePage(page, axe)
    expect(page.locator("#documents + ul")).to_contain_text("Genogram, mother's family")
    assert CaseMilestone.objects.get(case=case, milestone_id="genogram").done_date == today
