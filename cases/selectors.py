"""Reads of case data that scope themselves to what the user may see.

No view queries Case directly: it asks here, with the user. A case the user may
not see is a 404, never a 403, so case ids cannot be probed.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.permissions import can_read_cases
from cases.models import Case


def visible_cases(user) -> QuerySet[Case]:
    if not can_read_cases(user):
        return Case.objects.none()
    return Case.objects.filter(
        Q(locality_id__in=user.locality_ids)
        | Q(named_social_worker=user)
        | Q(named_midwife=user)
        | Q(named_health_visitor=user)
    )


def case_for_user(user, case_id) -> Case:
    case = (
        visible_cases(user)
        .select_related(
            "locality", "mother", "named_social_worker", "named_midwife", "named_health_visitor"
        )
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("No case found")
    return case
