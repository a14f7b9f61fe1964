"""Visits and case notes on the case page, and the one GOV.UK component the shared tags do
not render yet: radios with a conditional reveal."""

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from visits.selectors import recent_visits_and_notes
from web.templatetags.govuk import field

register = template.Library()


@register.inclusion_tag("visits/_case_section.html", takes_context=True)
def case_visits(context):
    """The case page's section: the latest visits and notes (two queries)."""
    case = context["case"]
    visits, notes = recent_visits_and_notes(case)
    return {"case": case, "visits": visits, "notes": notes,
            "can_change": context.get("can_change", False)}  # fmt: skip


@register.simple_tag
def radios_revealing(bound_field, reveal: str, *revealed, legend_size: str = ""):
    """GOV.UK radios where choosing `reveal` shows the `revealed` fields beneath it
    (with JavaScript; without, they are always shown and used only for that choice)."""
    chosen = {str(v) for v in ([bound_field.value()] if bound_field.value() else [])}
    return render_to_string(
        "visits/_radios_revealing.html",
        {
            "field": bound_field,
            "auto_id": bound_field.auto_id,
            "html_name": bound_field.html_name,
            "chosen_values": chosen,
            "described": bool(bound_field.help_text or bound_field.errors),
            "legend_size": legend_size,
            "reveal": reveal,
            "revealed": mark_safe("".join(field(f) for f in revealed)),  # noqa: S308 – rendered by the field tag
        },
    )
