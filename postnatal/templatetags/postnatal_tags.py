"""The case page's birth-and-after summary (templates/cases/_postnatal.html)."""

from django import template

from postnatal.selectors import case_page_summary

register = template.Library()


@register.inclusion_tag("postnatal/_case_summary.html", takes_context=True)
def postnatal_summary(context, case):
    """After a live birth only: the discharge planning meeting and the milestones after
    the birth, each with its status. Two queries; none before the birth."""
    return {"case": case, "summary": case_page_summary(case)}
