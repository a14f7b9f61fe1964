"""A file is a document's only once the document's row has committed. If the upload
fails, its file goes at once; if a transaction around the upload rolls back, no document
file is left, and the pending one is removed by `manage.py sweep_documents`, which also
finishes a rename cut short and lists files and rows that do not match."""

import os
import time
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.urls import reverse

from documents import services, storage
from documents.models import Document
from tests.document_fixtures import PDF, stored_files


@pytest.fixture
def case(named_midwife, social_worker, make_case):
    return make_case(named_midwife, named_social_worker=social_worker)


def _upload(case, actor, title="Letter"):
    return services.document_upload(
        actor=actor, context=None, case=case, kind="letter", title=title,
        file_name="letter.pdf", content=PDF,
    )  # fmt: skip


def _age(path, seconds):
    then = time.time() - seconds
    os.utime(path, (then, then))


def _sweep(*args):
    from io import StringIO

    out = StringIO()
    call_command("sweep_documents", *args, stdout=out)
    return out.getvalue()


# The test's own transaction never commits: `committed` runs what would run on commit
# (Django's on_commit callbacks) as the block ends. A rollback inside it (an atomic block
# that raises) drops the callbacks registered in it, as a real rollback does.


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_the_file_is_the_documents_once_the_upload_has_committed(case, social_worker, committed):
    with committed():
        document = _upload(case, social_worker)
        assert stored_files() == [storage.pending_path_of(document.id)]

    assert stored_files() == [storage.path_of(document.id)]
    assert storage.path_of(document.id).read_bytes() == PDF


def test_a_rollback_around_the_upload_leaves_no_document_file(case, social_worker, committed):
    """Another service uploads, then fails after the upload service has returned."""
    uploaded = []
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        uploaded.append(_upload(case, social_worker))
        raise RuntimeError("a later step of the outer service failed")

    (document,) = uploaded
    assert not Document.objects.exists()
    assert not storage.path_of(document.id).exists()
    # Django says nothing of a rollback: what is left is the pending file, named by no row
    # and read by no download, until the sweep.
    assert stored_files() == [storage.pending_path_of(document.id)]

    _age(storage.pending_path_of(document.id), 2 * 60 * 60)
    output = _sweep()

    assert stored_files() == []
    assert "1 pending file(s) of uploads that rolled back removed" in output


def test_a_pending_file_less_than_an_hour_old_is_left_as_an_upload_under_way(
    case, social_worker, committed
):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        document = _upload(case, social_worker)
        raise RuntimeError("rolled back")

    _age(storage.pending_path_of(document.id), 10 * 60)
    output = _sweep()

    assert stored_files() == [storage.pending_path_of(document.id)]
    assert "1 pending file(s) less than an hour old left" in output


def test_a_failure_inside_the_upload_removes_its_file_at_once(case, social_worker, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit failure")

    monkeypatch.setattr(services, "audit_record", broken)

    with pytest.raises(RuntimeError):
        _upload(case, social_worker)

    assert stored_files() == []


def test_a_committed_document_whose_rename_was_cut_short_is_read_and_then_finished(
    client, case, social_worker
):
    """Here the test's transaction never commits, so the rename never runs: as if the
    process had stopped between the commit and the rename."""
    document = _upload(case, social_worker)
    pending = storage.pending_path_of(document.id)
    assert stored_files() == [pending]
    _age(pending, 2 * 60 * 60)  # however old: its row exists
    client.force_login(social_worker)

    response = client.get(reverse("document_download", args=[case.id, document.id]))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF

    output = _sweep()

    assert stored_files() == [storage.path_of(document.id)]
    assert "1 pending file(s) of committed documents renamed into place" in output


def test_files_with_no_document_and_documents_with_no_file_are_listed_not_changed(
    case, social_worker, committed
):
    with committed():
        kept = _upload(case, social_worker, title="Kept")
        lost = _upload(case, social_worker, title="Lost")
    storage.path_of(lost.id).unlink()
    stranger = uuid.uuid4()
    storage.write(stranger, PDF)
    storage.commit(stranger)  # a file named for a document the database does not have

    with pytest.raises(CommandError, match="1 file.* with no document, 1 document.* no file"):
        _sweep()

    assert storage.path_of(stranger).exists() and storage.path_of(kept.id).exists()


def test_a_dry_run_changes_nothing(case, social_worker):
    document = _upload(case, social_worker)
    stray = uuid.uuid4()
    storage.write(stray, PDF)
    _age(storage.pending_path_of(stray), 2 * 60 * 60)

    output = _sweep("--dry-run")

    assert stored_files() == sorted(
        [storage.pending_path_of(document.id), storage.pending_path_of(stray)]
    )
    assert "1 pending file(s) of committed documents would be renamed into place" in output
    assert "1 pending file(s) of uploads that rolled back would be removed" in output
