"""A service called from anywhere cannot store impossible facts: the check lives in
rules/facts.py and the services call it, not only the forms."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from cases import services

TODAY = date(2027, 2, 15)


@time_machine.travel(datetime(2027, 2, 15, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
@pytest.mark.parametrize(
    "changes",
    [
        {"referral_date": TODAY + timedelta(days=1)},
        {"allocation_date": date(2027, 1, 20)},  # no referral
        {"referral_date": date(2027, 1, 21), "allocation_date": date(2027, 1, 20)},
        {"discharge": datetime(2027, 2, 10, 10, 0, tzinfo=ZoneInfo("Europe/London"))},
        {"placement": "home"},
        {"referral_date": date(1900, 1, 1)},
    ],
)
def test_impossible_facts_are_refused_and_nothing_changes(
    social_worker, named_midwife, make_case, changes
):
    case = make_case(named_midwife, edd=date(2027, 6, 10))
    version, milestones = case.version, list(case.milestones.values())

    with pytest.raises(ValidationError):
        services.case_facts_update(actor=social_worker, context=None, case=case, **changes)

    case.refresh_from_db()
    assert case.version == version
    assert list(case.milestones.values()) == milestones


@time_machine.travel(datetime(2027, 2, 15, 12, 0, tzinfo=ZoneInfo("Europe/London")), tick=False)
def test_an_edd_revised_beyond_44_weeks_is_refused_by_the_service(
    social_worker, named_midwife, make_case
):
    case = make_case(named_midwife, edd=date(2027, 6, 10))

    with pytest.raises(ValidationError, match="no more than 44 weeks"):
        services.edd_revise(
            actor=social_worker, context=None, case=case, edd=TODAY + timedelta(weeks=45),
            reason="Typed the wrong year",
        )  # fmt: skip
