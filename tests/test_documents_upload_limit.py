"""A file over the limit is refused as it arrives, not after the whole request has been
received and stored: a request that says it is too big is read no further than its
first file, and a file that turns out too big is kept no further than the limit. The
person is told on the form, and keeps the kind and title they gave."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, MemoryFileUploadHandler
from django.core.handlers.wsgi import WSGIRequest
from django.test import Client
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from documents.models import Document
from documents.uploads import FORM_ALLOWANCE, UploadLimit
from tests.document_fixtures import PDF, stored_files, upload

MB = 1024 * 1024


@pytest.fixture
def case(named_midwife, social_worker, make_case):
    return make_case(named_midwife, named_social_worker=social_worker)


@pytest.fixture
def one_megabyte(settings):
    settings.DOCUMENTS_MAX_MB = 1


@pytest.fixture
def kept(settings):
    """What reached the handlers that store files, in each request to the service."""
    settings.FILE_UPLOAD_HANDLERS = [
        "tests.test_documents_upload_limit.Kept",
        *settings.FILE_UPLOAD_HANDLERS,
    ]
    Kept.seen = []
    return Kept.seen


class Kept(FileUploadHandler):
    """Stands for the handlers that store a file: counts what reaches them (`seen`:
    every request's count, when made by the settings)."""

    seen: list["Kept"] = []

    def __init__(self, request):
        super().__init__(request)
        self.bytes = 0
        Kept.seen.append(self)

    def receive_data_chunk(self, raw_data, start):
        self.bytes += len(raw_data)
        return raw_data

    def file_complete(self, file_size):
        return None


def _parsed(fields: dict, *, declared: int | None = None, limit: int = MB):
    """Django's own parsing of a multipart body, the limit first among the handlers.
    Returns the request, the limit, what reached the storing handlers, and how far into
    the body was read."""
    body = encode_multipart(BOUNDARY, fields)
    stream = io.BytesIO(body)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "POST",
            "PATH_INFO": "/",
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "CONTENT_TYPE": MULTIPART_CONTENT,
            "CONTENT_LENGTH": str(len(body) if declared is None else declared),
            "wsgi.input": stream,
        }
    )
    limited, kept = UploadLimit(request, limit), Kept(request)
    request.upload_handlers = [limited, kept, MemoryFileUploadHandler(request)]
    request.POST  # noqa: B018  (parses the body)
    return request, limited, kept, stream.tell()


def test_a_request_saying_it_is_too_big_is_read_no_further_than_its_first_file():
    fields = {
        "csrfmiddlewaretoken": "token",
        "kind": "genogram",
        "title": "Genogram v2",
        "file": SimpleUploadedFile("big.pdf", PDF + b"x" * (3 * MB)),
    }

    request, limited, kept, read = _parsed(fields)

    assert limited.too_large
    assert request.POST["title"] == "Genogram v2" and request.POST["kind"] == "genogram"
    assert "file" not in request.FILES
    assert kept.bytes == 0
    assert read < 128 * 1024  # of a body of more than 3 MB


def test_a_file_bigger_than_the_limit_is_kept_no_further_than_the_limit():
    """The request says it is small enough (the form's allowance), the file is not."""
    fields = {"title": "Letter", "file": SimpleUploadedFile("big.pdf", b"x" * (MB + 1))}

    request, limited, kept, _ = _parsed(fields)

    assert limited.too_large
    assert "file" not in request.FILES
    assert kept.bytes <= MB
    assert request.POST["title"] == "Letter"


def test_the_files_of_a_request_count_together():
    fields = {"a": SimpleUploadedFile("a.pdf", b"x" * (600 * 1024)),
              "b": SimpleUploadedFile("b.pdf", b"x" * (600 * 1024))}  # fmt: skip

    request, limited, kept, _ = _parsed(fields)

    assert limited.too_large
    assert kept.bytes <= MB


def test_a_file_within_the_limit_is_received_whole():
    content = PDF + b"x" * (MB - len(PDF))

    request, limited, kept, _ = _parsed({"file": SimpleUploadedFile("ok.pdf", content)})

    assert not limited.too_large
    assert request.FILES["file"].read() == content
    assert kept.bytes == MB


def test_a_request_that_understates_its_length_is_read_no_further_than_it_said():
    fields = {"title": "Letter", "file": SimpleUploadedFile("g.pdf", PDF + b"x" * (3 * MB))}

    request, limited, kept, read = _parsed(fields, declared=MB)

    assert read <= MB
    assert kept.bytes <= MB


def test_the_page_says_the_file_is_too_big_and_keeps_the_kind_and_title(
    client, case, social_worker, one_megabyte, kept
):
    client.force_login(social_worker)

    response = upload(client, case, kind="chronology", title="Chronology v2",
                      content=PDF + b"x" * (2 * MB))  # fmt: skip

    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(r"<title>Error: Upload a document", page)
    assert "There is a problem" in page
    assert 'href="#id_file"' in page
    assert page.count("The selected file must be smaller than 1MB") == 2  # summary, field
    assert "Select a file" not in page
    assert 'value="Chronology v2"' in page
    assert 'value="chronology" checked' in page
    assert [handler.bytes for handler in kept] == [0]  # none of the file was kept
    assert Document.objects.count() == 0
    assert stored_files() == []


def test_a_file_just_over_the_limit_is_refused_the_same_way(
    client, case, social_worker, one_megabyte, kept
):
    client.force_login(social_worker)
    just_over = PDF + b"x" * (MB + 1 - len(PDF))
    assert len(just_over) + 1000 < MB + FORM_ALLOWANCE  # the request says it is small enough

    response = upload(client, case, title="Genogram", content=just_over)

    page = response.content.decode()
    assert page.count("The selected file must be smaller than 1MB") == 2
    assert 'value="Genogram"' in page
    assert [handler.bytes <= MB for handler in kept] == [True]
    assert Document.objects.count() == 0 and stored_files() == []


def test_a_file_of_exactly_the_limit_is_kept(client, case, social_worker, one_megabyte):
    client.force_login(social_worker)

    response = upload(client, case, content=PDF + b"x" * (MB - len(PDF)))

    assert response.status_code == 302
    assert Document.objects.get().size == MB


def test_the_upload_still_needs_the_form_security_token(case, social_worker, one_megabyte):
    """The view is exempt from the middleware's check only to make it itself, after the
    limit is in place."""
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(social_worker)

    small = upload(strict, case)
    too_big = upload(strict, case, content=PDF + b"x" * (2 * MB))

    assert small.status_code == 403 and too_big.status_code == 403
    assert Document.objects.count() == 0 and stored_files() == []


def test_with_the_token_a_strict_client_uploads(case, social_worker):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(social_worker)
    form = strict.get(reverse("document_upload", args=[case.id]))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode())

    response = strict.post(
        reverse("document_upload", args=[case.id]),
        {"csrfmiddlewaretoken": token.group(1), "kind": "letter", "title": "Letter",
         "file": SimpleUploadedFile("Letter.pdf", PDF)},
    )  # fmt: skip

    assert response.status_code == 302
    assert Document.objects.get().title == "Letter"
