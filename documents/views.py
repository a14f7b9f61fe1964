"""Documents: thin views."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from cases.selectors import case_for_user
from documents import services
from documents.forms import DocumentUploadForm
from documents.models import DocumentKind
from documents.selectors import case_documents, document_download, document_of
from documents.uploads import UploadLimit
from web.pages import audit_context, render_case_page, withdraw_page


def _posted(request):
    return request.POST if request.method == "POST" else None


@login_required
@require_GET
def document_list(request, case_id):
    case, documents = case_documents(request.user, case_id, context=audit_context(request))
    return render_case_page(
        request,
        case,
        "documents/document_list.html",
        {
            "documents": documents,
            "can_upload": services.can_upload_documents(request.user),
            "can_withdraw": {
                d.pk for d in documents if services.can_withdraw_document(request.user, d)
            },
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@csrf_exempt  # checked by _document_upload, once the limit is in place (Django's way)
def document_upload(request, case_id):
    # Before anything reads the body: the form's security check would otherwise receive
    # and store the whole file first, however big (documents/uploads.py).
    limit = UploadLimit(request, services.max_bytes())
    request.upload_handlers.insert(0, limit)
    return _document_upload(request, case_id, limit)


@csrf_protect
def _document_upload(request, case_id, limit: UploadLimit):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    if not services.can_upload_documents(request.user):
        raise PermissionDenied("You cannot upload documents to cases")
    kind = request.GET.get("kind")
    initial = {"kind": kind} if kind in DocumentKind.values else {}
    posted = _posted(request)
    form = DocumentUploadForm(posted, request.FILES if posted is not None else None,
                              initial=initial, file_too_large=limit.too_large)  # fmt: skip
    if posted is not None and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_upload(
                actor=request.user, context=audit_context(request), case=case,
                kind=form.cleaned_data["kind"], title=form.cleaned_data["title"],
                file_name=upload.name, content=upload.read(),
            )  # fmt: skip
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Document uploaded")
            return redirect(reverse("document_list", kwargs={"case_id": case.id}))
    return render_case_page(request, case, "documents/document_upload.html", {"form": form})


@login_required
@require_GET
def document_download_view(request, case_id, document_id):
    document, handle = document_download(
        request.user, case_id, document_id, context=audit_context(request)
    )
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    # Opened in the browser anyway (a tab, a preview), it runs nothing and reaches nothing.
    response["Content-Security-Policy"] = "sandbox"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def document_withdraw(request, case_id, document_id):
    case = case_for_user(request.user, case_id, context=audit_context(request))
    document = document_of(case, document_id)
    if not services.can_withdraw_document(request.user, document):
        raise PermissionDenied(
            "Only the person who uploaded a document, or a team or operations manager,"
            " can withdraw it"
        )
    return withdraw_page(
        request, case, partial(services.document_withdraw, document=document),
        subject="the document",
        hint="For example, uploaded to the wrong case, or replaced by a newer version",
        done="Document withdrawn", done_url=reverse("document_list", kwargs={"case_id": case.id}),
        template="documents/document_withdraw.html", context={"document": document},
    )  # fmt: skip
