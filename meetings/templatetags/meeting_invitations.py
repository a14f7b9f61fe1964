"""`{% members_without_email members as missing %}`: who a meeting's invitations cannot
reach, for the warning beside the "Send invitations" button."""

from django import template

from meetings.invitations import without_email

register = template.Library()


@register.simple_tag
def members_without_email(members) -> list:
    return without_email(list(members))
