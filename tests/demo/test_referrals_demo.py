"""The demo's referred cases carry their referral record, and its allocated cases their
allocation with directions, without changing the facts seed_demo set."""

from datetime import date

from audit.models import AuditEvent, AuditEventType
from cases.models import Case
from referrals.models import Allocation, Referral

TODAY = date(2026, 11, 23)


def test_every_referred_demo_case_has_its_referral_and_every_allocated_one_its_allocation(
    demo,
):
    referred = Case.objects.filter(referral_date__isnull=False)
    referrals = {r.case_id: r for r in Referral.objects.prefetch_related("risk_factors")}
    assert set(referrals) == set(referred.values_list("id", flat=True))
    for case in referred:
        referral = referrals[case.id]
        assert referral.received_on == case.referral_date
        assert referral.referrer_name and referral.risk_factors.exists()
    allocated = Case.objects.filter(
        allocation_date__isnull=False, named_social_worker__isnull=False
    )
    allocations = {a.case_id: a for a in Allocation.objects.all()}
    assert set(allocations) == set(allocated.values_list("id", flat=True))
    for case in allocated:
        allocation = allocations[case.id]
        assert allocation.allocated_on == case.allocation_date
        assert allocation.allocated_to_id == case.named_social_worker_id
        assert allocation.directions
    # The detail was recorded; the facts seed_demo set were left as they were.
    by_referrals = AuditEvent.objects.filter(
        event_type__in=[AuditEventType.REFERRAL_RECORDED, AuditEventType.CASE_ALLOCATED]
    )
    assert by_referrals.count() == len(referrals) + len(allocations)
    assert not AuditEvent.objects.filter(
        event_type=AuditEventType.CASE_CHANGED, actor__roles__code="team_manager"
    ).exists()
