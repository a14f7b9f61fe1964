"""The case page's checkpoints section: a compact summary, in two queries."""

from django import template
from django.utils import timezone

from checkpoints.selectors import case_summary

register = template.Library()


@register.inclusion_tag("checkpoints/_case_summary.html")
def checkpoints_summary(case):
    """How many of the seven checkpoints are done, the next one due, and the specialist
    assessments with their flags. The case was read (and audited) by the case page."""
    return {"case": case, "summary": case_summary(case, timezone.now())}
