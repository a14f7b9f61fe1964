"""Restricted cases: the one home of "is this case hidden from this user".

A restricted case is seen only by the people named on its restriction (who could
otherwise see it); to everyone else it does not exist: 404 on its pages, absent from
every list. Each condition is one correlated EXISTS, so a query's cost does not grow
with the number of cases or restrictions.
"""

from django.db.models import Exists, OuterRef

from cases.models import CaseRestriction


def restricted(case_ref: str = "pk") -> Exists:
    """The case (at `case_ref` of the outer query) is restricted, to anyone."""
    return Exists(CaseRestriction.objects.filter(case_id=OuterRef(case_ref)))


def hidden_from(user, case_ref: str = "pk") -> Exists:
    """The case is restricted and `user` is not named on the restriction."""
    named = CaseRestriction.users.through.objects.filter(
        caserestriction_id=OuterRef("pk"), user_id=user.pk
    )
    return Exists(CaseRestriction.objects.filter(~Exists(named), case_id=OuterRef(case_ref)))
