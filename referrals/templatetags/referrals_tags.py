"""The referral and allocation on the case page (templates/cases/_referrals.html)."""

from django import template

from referrals.selectors import ReferralSummary, case_referral_summary
from referrals.services import can_allocate, can_record_referral

register = template.Library()


@register.simple_tag
def referral_summary(case) -> ReferralSummary:
    """The case's referral, its routing and its allocations (the page has audited the read)."""
    return case_referral_summary(case)


@register.filter
def may_record_referral(user) -> bool:
    return can_record_referral(user)


@register.filter
def may_allocate(user) -> bool:
    return can_allocate(user)
