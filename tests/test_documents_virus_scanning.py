"""Every upload goes through the virus scanner first, when the deployment has one: a
file with a virus is refused and audited; a file that cannot be checked is refused too
(fail closed). The ClamAV client is tested against a small clamd speaking the same
protocol on a real socket (tests/fake_clamd.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from audit.models import AuditEvent, AuditEventType
from documents import services
from documents.checks import documents_scanned_in_production
from documents.models import Document
from documents.scanning import Clamd, ScannerUnavailable, Verdict
from tests.document_fixtures import EXE, PDF, stored_files, upload
from tests.fake_clamd import MARKER, FakeClamd, closed_port

ROOT = Path(__file__).resolve().parent.parent
INFECTED = PDF + b"\n%" + MARKER + b"\n"
VIRUS = "The selected file contains a virus"
NOT_CHECKED = "The file could not be checked for viruses. Try again later."


@pytest.fixture
def case(named_midwife, social_worker, make_case):
    return make_case(named_midwife, named_social_worker=social_worker)


@pytest.fixture
def clamd(settings):
    with FakeClamd() as server:
        settings.DOCUMENTS_SCANNER = server.address
        yield server


# The client.


def test_a_clean_file_is_sent_whole_in_chunks_and_passes():
    content = PDF + os.urandom(200 * 1024)  # more than one chunk
    with FakeClamd() as server:
        verdict = Clamd(server.address, timeout=5).scan(content)

    assert verdict == Verdict(infected=False)
    assert server.commands == [b"zINSTREAM"]
    assert server.streams == [content]


def test_a_virus_is_named():
    with FakeClamd() as server:
        verdict = Clamd(server.address, timeout=5).scan(INFECTED)

    assert verdict == Verdict(infected=True, signature="Eicar-Signature")


def test_clamd_on_a_unix_socket():
    with FakeClamd(unix=True) as server:
        assert server.address.startswith("unix:///")
        clean = Clamd(server.address, timeout=5).scan(PDF)
        infected = Clamd(server.address, timeout=5).scan(INFECTED)

    assert not clean.infected and infected.infected


def test_no_clamd_listening_is_unavailable():
    with pytest.raises(ScannerUnavailable, match="clamd at tcp://127.0.0.1"):
        Clamd(closed_port(), timeout=2).scan(PDF)


def test_a_clamd_that_does_not_answer_is_unavailable_after_the_timeout():
    with FakeClamd(silent=True) as server, pytest.raises(ScannerUnavailable):
        Clamd(server.address, timeout=0.5).scan(PDF)


@pytest.mark.parametrize(
    "reply",
    [b"INSTREAM size limit exceeded. ERROR\0", b"stream: OK but not quite\0", b""],
)
def test_any_other_answer_is_unavailable_never_clean(reply):
    with FakeClamd(reply=reply) as server, pytest.raises(ScannerUnavailable):
        Clamd(server.address, timeout=5).scan(PDF)


# The upload.


def test_a_clean_file_is_scanned_then_kept(client, case, social_worker, clamd):
    client.force_login(social_worker)

    response = upload(client, case, title="Genogram")

    assert response.status_code == 302
    assert clamd.streams == [PDF]
    assert Document.objects.get().title == "Genogram"


def test_a_file_with_a_virus_is_refused_and_audited(client, case, social_worker, clamd):
    client.force_login(social_worker)

    response = upload(client, case, kind="letter", title="Letter from the GP",
                      name="letter.pdf", content=INFECTED)  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and 'href="#id_file"' in page
    assert page.count(VIRUS) == 2  # the summary and the field
    assert 'value="Letter from the GP"' in page and 'value="letter" checked' in page
    assert Document.objects.count() == 0 and stored_files() == []
    event = AuditEvent.objects.get(case=case, event_type=AuditEventType.DOCUMENT_VIRUS_FOUND)
    assert event.actor == social_worker
    assert event.extra_data["signature"] == "Eicar-Signature"
    assert event.extra_data["file_name"] == "letter.pdf"
    assert len(event.extra_data["sha256"]) == 64
    assert "letter.pdf (Eicar-Signature)" in event.extra_data["summary"]
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_UPLOADED).exists()


def test_the_virus_audit_row_stays_though_the_upload_is_refused(case, social_worker, clamd):
    with pytest.raises(services.ValidationError) as refused:
        services.document_upload(
            actor=social_worker, context=None, case=case, kind="letter", title="",
            file_name="letter.pdf", content=INFECTED,
        )  # fmt: skip

    assert refused.value.message_dict == {"file": [VIRUS], "title": [services.ENTER_TITLE]}
    assert AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_VIRUS_FOUND).count() == 1


def test_an_upload_that_cannot_be_checked_is_refused(client, case, social_worker, settings):
    settings.DOCUMENTS_SCANNER = closed_port()
    client.force_login(social_worker)

    response = upload(client, case, title="Genogram")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count(NOT_CHECKED) == 2
    assert 'value="Genogram"' in page
    assert Document.objects.count() == 0 and stored_files() == []
    assert not AuditEvent.objects.filter(event_type=AuditEventType.DOCUMENT_UPLOADED).exists()


def test_a_file_refused_by_its_type_is_not_sent_to_the_scanner(client, case, social_worker, clamd):
    client.force_login(social_worker)

    upload(client, case, name="program.pdf", content=EXE)

    assert clamd.streams == []


def test_without_a_scanner_uploads_are_not_scanned(client, case, social_worker, settings):
    settings.DOCUMENTS_SCANNER = None
    client.force_login(social_worker)

    assert upload(client, case, content=INFECTED).status_code == 302


# The settings.


def _production(env: dict, *command: str) -> subprocess.CompletedProcess:
    full = {
        **os.environ,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-for-the-check-0123456789abcdef",
        "ALLOWED_HOSTS": "prebirth.example.org",
        **env,
    }
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "DOCUMENTS_SCANNER"):
        if name not in env:
            full.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *command], cwd=ROOT, env=full,
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_production_does_not_start_without_saying_which_scanner(tmp_path):
    result = _production({"PREBIRTH_VAR_DIR": str(tmp_path)}, "check")

    assert result.returncode != 0
    assert "Environment variable DOCUMENTS_SCANNER must be set" in result.stderr


def test_a_scanner_address_that_is_not_one_stops_the_service(tmp_path):
    env = {"PREBIRTH_VAR_DIR": str(tmp_path), "DOCUMENTS_SCANNER": "clamd.example.org:3310"}

    result = _production(env, "check")

    assert result.returncode != 0
    assert "DOCUMENTS_SCANNER='clamd.example.org:3310' must be" in result.stderr


def test_production_without_scanning_on_purpose_is_noted_but_passes_the_checks(tmp_path):
    env = {"PREBIRTH_VAR_DIR": str(tmp_path), "DOCUMENTS_SCANNER": "none"}

    result = _production(env, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "documents.I001" in result.stdout + result.stderr


def test_the_note_is_for_production_without_a_scanner_only(settings):
    settings.PRODUCTION, settings.DOCUMENTS_SCANNER = True, None
    (note,) = documents_scanned_in_production(None)
    assert note.id == "documents.I001"

    settings.DOCUMENTS_SCANNER = "tcp://127.0.0.1:3310"
    assert documents_scanned_in_production(None) == []
    settings.PRODUCTION, settings.DOCUMENTS_SCANNER = False, None
    assert documents_scanned_in_production(None) == []
