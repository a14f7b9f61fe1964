"""The pre-birth assessment on the case page: its state and how far it has got."""

from django import template

from assessments.selectors import assessment_summary

register = template.Library()


@register.simple_tag
def case_assessment(case):
    """The case's assessment summary (one query), or None before it is opened."""
    return assessment_summary(case)
