"""The case page's documents section (templates/cases/_documents.html)."""

from django import template

from documents.selectors import latest_documents

register = template.Library()


@register.simple_tag
def latest_documents_of(case, limit: int = 3):
    """The newest documents in use on a case the page was given: one query."""
    return latest_documents(case, limit=limit)
