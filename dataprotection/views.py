"""The data protection officer's pages. Thin: parse, call one selector or export, render.
Every selector refuses anyone but the officer (dataprotection.selectors.require_officer)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dataprotection import exports, selectors, subject_access
from dataprotection.forms import AccessLogFilterForm, CaseSearchForm
from web.pages import audit_context


@login_required
@require_GET
def search(request):
    selectors.require_officer(request.user)
    form = CaseSearchForm(request.GET or None)
    cases = None
    if form.is_valid():
        cases = selectors.find_cases(
            request.user, context=audit_context(request), query=form.query()
        )
    return render(
        request,
        "dataprotection/search.html",
        {
            "form": form,
            "cases": cases[: selectors.MOST_RESULTS] if cases is not None else None,
            "more": cases is not None and len(cases) > selectors.MOST_RESULTS,
            "most": selectors.MOST_RESULTS,
            "nav": "data_protection",
        },
    )


@login_required
@require_GET
def restrictions(request):
    rows = selectors.restricted_cases(request.user, context=audit_context(request))
    return render(
        request, "dataprotection/restrictions.html", {"rows": rows, "nav": "data_protection"}
    )


def _filter_form(request, case) -> AccessLogFilterForm:
    asked = any(name != "page" for name in request.GET)
    return AccessLogFilterForm(request.GET if asked else None, people=selectors.people_in_log(case))


@login_required
@require_GET
def access_log_page(request, case_id):
    case = selectors.case_for_officer(request.user, case_id)
    form = _filter_form(request, case)
    filters = form.filters()
    page = selectors.access_log(
        request.user,
        case,
        context=audit_context(request),
        filters=filters,
        page_number=request.GET.get("page"),
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "dataprotection/access_log.html",
        {
            "case": case,
            "form": form,
            "filters": filters,
            "page_obj": page,
            "export_query": query.urlencode(),
            "nav": "data_protection",
        },
    )


def _download(export) -> HttpResponse:
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def access_log_csv(request, case_id):
    case = selectors.case_for_officer(request.user, case_id)
    filters = _filter_form(request, case).filters()
    return _download(
        exports.access_log_csv(
            actor=request.user, context=audit_context(request), case=case, filters=filters
        )
    )


@login_required
@require_GET
def access_log_pdf(request, case_id):
    case = selectors.case_for_officer(request.user, case_id)
    filters = _filter_form(request, case).filters()
    return _download(
        exports.access_log_pdf(
            actor=request.user, context=audit_context(request), case=case, filters=filters
        )
    )


@login_required
@require_GET
def subject_access_json(request, case_id):
    return _download(
        subject_access.subject_access_json(
            actor=request.user, context=audit_context(request), case_id=case_id
        )
    )


@login_required
@require_GET
def subject_access_pdf(request, case_id):
    return _download(
        subject_access.subject_access_pdf(
            actor=request.user, context=audit_context(request), case_id=case_id
        )
    )
