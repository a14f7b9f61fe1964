"""Whether to offer a meeting's exports: `{% if user|can_export_meetings %}`."""

from django import template

from accounts.permissions import can_read_meetings

register = template.Library()


@register.filter
def can_export_meetings(user) -> bool:
    """The meeting readers of the locality (not guests): see meetings.views_exports."""
    return can_read_meetings(user)
