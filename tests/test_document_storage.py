"""Where a document's bytes are kept: outside the web root, named by the document's id,
readable by the service alone; a deployment that points DOCUMENTS_ROOT at something the
web server serves does not start."""

import hashlib
import stat
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from documents import services, storage
from documents.checks import documents_root_is_private
from tests.document_fixtures import PDF, stored_files


@pytest.fixture
def document(named_midwife, social_worker, make_case, django_capture_on_commit_callbacks):
    """A document whose upload has committed (its file renamed into place)."""
    case = make_case(named_midwife, named_social_worker=social_worker)
    with django_capture_on_commit_callbacks(execute=True):
        return services.document_upload(
            actor=social_worker, context=None, case=case, kind="letter", title="Letter",
            file_name="letter.pdf", content=PDF,
        )  # fmt: skip


def test_the_file_is_kept_under_its_id_readable_by_the_service_alone(document, settings):
    name = str(document.id)
    path = Path(settings.DOCUMENTS_ROOT) / name[:2] / name

    assert stored_files() == [path]
    assert path.read_bytes() == PDF
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert document.size == len(PDF)
    assert document.content_type == "application/pdf"


def test_a_stored_file_is_never_replaced(document):
    with pytest.raises(FileExistsError):
        storage.write(document.id, b"%PDF-other")

    assert storage.path_of(document.id).read_bytes() == PDF
    assert len(stored_files()) == 1  # no temporary file left behind


def test_a_path_is_only_ever_made_from_a_document_id():
    with pytest.raises(ValueError):
        storage.path_of("../../etc/passwd")


def test_the_default_folder_is_var_documents_outside_the_web_root(settings):
    from config import settings as configured

    assert configured.DOCUMENTS_ROOT == configured.VAR_DIR / "documents"
    assert configured.DOCUMENTS_MAX_MB == 20
    settings.DOCUMENTS_ROOT = configured.DOCUMENTS_ROOT
    assert documents_root_is_private(None) == []


@pytest.mark.parametrize(
    "inside",
    [
        lambda s: Path(s.STATIC_ROOT) / "documents",
        lambda s: Path(s.STATICFILES_DIRS[0]) / "uploads",
        lambda s: Path(s.TEMPLATES[0]["DIRS"][0]),
    ],
)
def test_a_documents_folder_the_web_server_could_serve_is_refused(settings, inside):
    settings.DOCUMENTS_ROOT = inside(settings)

    (error,) = documents_root_is_private(None)

    assert error.id == "documents.E001"
    assert "DOCUMENTS_ROOT" in error.msg


def test_the_check_runs_with_the_others(settings):
    settings.DOCUMENTS_ROOT = Path(settings.STATIC_ROOT) / "documents"

    assert "documents.E001" in {error.id for error in run_checks()}
    with pytest.raises(SystemCheckError):
        call_command("check")


def test_a_limit_below_one_megabyte_is_refused(settings):
    settings.DOCUMENTS_MAX_MB = 0

    assert [error.id for error in documents_root_is_private(None)] == ["documents.E002"]
