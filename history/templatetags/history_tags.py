"""The case page's last few history entries (templates/cases/_history.html)."""

from django import template

from history.selectors import recent_history as _recent_history

register = template.Library()


@register.simple_tag
def recent_history(case):
    """The last entries of a case the page has already read (and audited)."""
    return _recent_history(case)
