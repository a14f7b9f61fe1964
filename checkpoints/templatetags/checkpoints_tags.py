"""The case page's checkpoints section: a compact summary, in two queries."""

from django import template
from django.utils import timezone

from checkpoints.selectors import case_summary
from checkpoints.services import can_record_checkpoints

register = template.Library()


@register.inclusion_tag("checkpoints/_case_summary.html", takes_context=True)
def checkpoints_summary(context, case):
    """How many of the seven checkpoints are done, the next one due, and the specialist
    assessments with their flags. The case was read (and audited) by the case page."""
    return {
        "case": case,
        "summary": case_summary(case, timezone.now()),
        "can_record": can_record_checkpoints(context["user"]),
    }
