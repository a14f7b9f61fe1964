"""Case history: the page (filtered by category and days, a page at a time) and its PDF."""

from itertools import groupby

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from history.exports import history_pdf_file
from history.forms import HistoryFilterForm
from history.selectors import case_history
from web.pages import audit_context, render_case_page


def _form(request) -> HistoryFilterForm:
    asked = any(name != "page" for name in request.GET)
    return HistoryFilterForm(request.GET if asked else None)


@login_required
@require_GET
def history_page(request, case_id):
    form = _form(request)
    filters = form.filters()
    case, page = case_history(
        request.user,
        case_id,
        context=audit_context(request),
        filters=filters,
        page=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render_case_page(
        request,
        case,
        "history/case_history.html",
        {
            "form": form,
            "filters": filters,
            "page_obj": page,
            "days": [
                (day, list(group))
                for day, group in groupby(page.object_list, lambda entry: entry.happened_on)
            ],  # fmt: skip
            "pdf_query": query.urlencode(),
        },
    )


@login_required
@require_GET
def history_pdf(request, case_id):
    export = history_pdf_file(
        actor=request.user,
        context=audit_context(request),
        case_id=case_id,
        filters=_form(request).filters(),
    )
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
