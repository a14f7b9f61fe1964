"""Cases at the points a visit answers, for the visits tests: allocated (the introductory
home visit), gone home (the 48-hour home visit) and fostered (the 72-hour visit). All
built through the services at fixed London times, with the clock frozen at NOW."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import RoleCode
from cases import services as case_services
from timeline.models import CaseMilestone

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2027, 1, 20, 12, 0, tzinfo=LONDON)
TODAY = NOW.date()
REFERRAL = date(2027, 1, 11)
ALLOCATION = date(2027, 1, 12)
BIRTH = date(2027, 1, 15)
DISCHARGE = datetime(2027, 1, 17, 10, 0, tzinfo=LONDON)


def at(day: date, hour: int = 11, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=LONDON)


def milestone(case, milestone_id: str) -> CaseMilestone:
    return CaseMilestone.objects.get(case=case, milestone_id=milestone_id)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def health_visitor(make_user):
    return make_user("hannah", RoleCode.HEALTH_VISITOR)


@pytest.fixture
def allocated(frozen, make_case, social_worker, named_midwife):
    case = make_case(named_midwife, named_social_worker=social_worker, named_midwife=named_midwife)
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=REFERRAL,
        allocation_date=ALLOCATION,
    )  # fmt: skip
    return case


def _born(case, social_worker, named_midwife, **facts):
    case_services.outcome_record(
        actor=named_midwife, context=None, case=case, outcome="live_birth", outcome_date=BIRTH,
        babies=[case_services.BabyDetails(born_at=at(BIRTH, 4), sex="female")],
    )  # fmt: skip
    case_services.case_facts_update(actor=social_worker, context=None, case=case, **facts)
    return case


@pytest.fixture
def gone_home(frozen, make_case, social_worker, named_midwife):
    case = make_case(named_midwife, edd=TODAY - timedelta(days=3),
                     named_social_worker=social_worker, named_midwife=named_midwife)  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=date(2026, 12, 22),
        allocation_date=date(2026, 12, 23),
    )  # fmt: skip
    return _born(case, social_worker, named_midwife, discharge=DISCHARGE, placement="home")


@pytest.fixture
def fostered(frozen, make_case, social_worker, named_midwife):
    case = make_case(named_midwife, edd=TODAY - timedelta(days=3),
                     named_social_worker=social_worker, named_midwife=named_midwife)  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=date(2026, 12, 22),
        allocation_date=date(2026, 12, 23),
    )  # fmt: skip
    return _born(case, social_worker, named_midwife, discharge=DISCHARGE, placement="foster",
                 placement_date=DISCHARGE.date())  # fmt: skip
