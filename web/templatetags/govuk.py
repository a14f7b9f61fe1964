"""GOV.UK Design System components, each rendered by exactly one template.

Loaded as a builtin (see TEMPLATES in settings), so templates use these without
`{% load %}`: `{% field form.edd %}`, `{% error_summary form %}`,
`{% pagination page_obj %}`, and the filters `govuk_date`, `govuk_datetime`,
`nhs_number`, `gestation`, `counted` and `filters_applied`.
"""

import uuid
from datetime import date, datetime

from django import forms, template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html

from rules import nhs_number as nhs
from rules.dates import format_date, format_datetime
from rules.gestation import gestation_on
from web.forms import DATE_PARTS, DateInputField

register = template.Library()


@register.filter
def govuk_date(value: date | datetime | None) -> str:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return format_date(value)


@register.filter
def govuk_datetime(value: datetime | None) -> str:
    return format_datetime(value) if value else ""


@register.filter
def nhs_number(value: str) -> str:
    return nhs.format_nhs_number(value) if value else ""


@register.filter
def gestation(edd: date | None, on: date | None = None) -> str:
    if edd is None:
        return ""
    return str(gestation_on(edd, on or timezone.localdate()))


def _field_template(field: forms.Field) -> str:
    if isinstance(field, DateInputField):
        return "components/fields/date.html"
    widget = field.widget
    # CheckboxSelectMultiple is a RadioSelect to Django: ask about it first, or a
    # "select all that apply" question shows radios and loses every choice but one.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "components/fields/checkboxes.html"
    if isinstance(widget, forms.RadioSelect):
        return "components/fields/radios.html"
    if isinstance(widget, forms.CheckboxInput):
        return "components/fields/checkbox.html"
    if isinstance(widget, forms.Select):
        return "components/fields/select.html"
    if isinstance(widget, forms.Textarea):
        return "components/fields/textarea.html"
    if isinstance(widget, forms.FileInput):
        return "components/fields/file.html"
    return "components/fields/input.html"


@register.simple_tag
def submission_token():
    """A one-time token for a form that creates something: sent twice, it is saved once
    (web.middleware.DoubleSubmissionMiddleware)."""
    return format_html('<input type="hidden" name="submission" value="{}">', uuid.uuid4())


@register.simple_tag
def field(bound_field, label_size: str = "", width: str = "", legend_size: str = ""):
    form = bound_field.form
    date_parts = None
    if isinstance(bound_field.field, DateInputField):
        values = bound_field.field.widget.decompress(bound_field.value())
        date_parts = [
            {
                "part": part,
                "id": f"{bound_field.auto_id}_{part}",
                "name": f"{bound_field.html_name}_{part}",
                "value": value,
            }
            for part, value in zip(DATE_PARTS, values, strict=True)
        ]
    value = bound_field.value()
    if isinstance(value, list | tuple):
        chosen = {str(v) for v in value}
    else:
        chosen = set() if value is None else {str(value)}
    return render_to_string(
        _field_template(bound_field.field),
        {
            "field": bound_field,
            # Worked out once: a list of choices asks for each choice.
            "chosen_values": chosen,
            "auto_id": bound_field.auto_id,
            "html_name": bound_field.html_name,
            # A hint or an error to show and to point aria-describedby at.
            "described": bool(bound_field.help_text or bound_field.errors),
            "label_size": label_size,
            "legend_size": legend_size,
            "width": width,
            "date_parts": date_parts,
            "error_part": (
                form.date_error_part(bound_field.name) if hasattr(form, "date_error_part") else None
            ),
        },
    )


@register.inclusion_tag("components/error_summary.html")
def error_summary(form):
    return {"items": form.error_summary() if form is not None and form.errors else []}


@register.inclusion_tag("components/pagination.html", takes_context=True)
def pagination(context, page_obj, param: str = "page", label: str = "Pagination"):
    """`param` and `label`: the query parameter of this list's page, and the name of its
    navigation, when a page has more than one list."""
    request = context["request"]
    params = request.GET.copy()

    def url(number: int) -> str:
        params[param] = number
        return "?" + params.urlencode()

    items = []
    if page_obj.paginator.num_pages > 1:
        for number in page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=1, on_ends=1
        ):
            if number == page_obj.paginator.ELLIPSIS:
                items.append({"ellipsis": True})
            else:
                items.append(
                    {"number": number, "href": url(number), "current": number == page_obj.number}
                )
    return {
        "page_obj": page_obj,
        "label": label,
        "items": items,
        "previous_href": url(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_href": url(page_obj.next_page_number()) if page_obj.has_next() else "",
    }


@register.simple_tag(takes_context=True)
def sort_link(context, key: str, label: str):
    """A column heading that sorts the list, keeping the other filters."""
    request = context["request"]
    params = request.GET.copy()
    current = params.get("sort", "")
    descending = current == key
    params["sort"] = f"-{key}" if descending else key
    params.pop("page", None)
    return {
        "href": "?" + params.urlencode(),
        "label": label,
        "aria_sort": (
            "ascending" if current == key else "descending" if current == f"-{key}" else "none"
        ),
    }


@register.simple_tag(takes_context=True)
def error_title_prefix(context) -> str:
    """ "Error: " at the start of the page title when any form on the page has errors,
    so screen reader users hear it first (GOV.UK Design System, validation pattern)."""
    for value in context.flatten().values():
        if isinstance(value, forms.BaseForm) and value.is_bound and value.errors:
            return "Error: "
    return ""


@register.filter
def counted(number: int | None, noun: str) -> str:
    """A count with its noun, singular for one: `{{ n|counted:"day" }}` gives "1 day",
    "3 days"; an irregular plural after a comma: `{{ n|counted:"baby,babies" }}`."""
    singular, _, plural = noun.partition(",")
    number = number or 0
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


@register.filter
def filters_applied(form: forms.BaseForm) -> bool:
    """Whether a list's filters (behind "Show filters") are in use: any field changed but
    the search box `q` and the sort order, which are not behind it."""
    return form.is_bound and any(name not in {"q", "sort"} for name in form.changed_data)
