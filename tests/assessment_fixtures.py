"""A case allocated for a pre-birth assessment, with its named professionals, and helpers
to fill its areas in: shared by the tests/test_assessment*.py files."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from accounts.models import RoleCode
from assessments import services
from cases import services as case_services
from rules import assessment as rules

LONDON = ZoneInfo("Europe/London")
TODAY = date(2027, 2, 15)
EDD = date(2027, 6, 10)
REFERRAL = date(2027, 1, 20)
ALLOCATION = date(2027, 1, 21)


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(datetime(2027, 2, 15, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def midwife(make_user):
    return make_user("maria", RoleCode.MIDWIFE)


@pytest.fixture
def health_visitor(make_user):
    return make_user("hannah", RoleCode.HEALTH_VISITOR)


@pytest.fixture
def other_manager(make_user):
    return make_user("tessa", RoleCode.TEAM_MANAGER)


@pytest.fixture
def unallocated(named_midwife, social_worker, midwife, health_visitor, make_case):
    return make_case(
        named_midwife, edd=EDD, named_social_worker=social_worker, named_midwife=midwife,
        named_health_visitor=health_visitor,
    )  # fmt: skip


@pytest.fixture
def allocated(unallocated, social_worker):
    case_services.case_facts_update(
        actor=social_worker, context=None, case=unallocated,
        referral_date=REFERRAL, allocation_date=ALLOCATION, complex=True,
    )  # fmt: skip
    return unallocated


@pytest.fixture
def opened(allocated, social_worker):
    return services.assessment_open(actor=social_worker, context=None, case=allocated)


def fill(assessment, actor, codes=rules.AREA_CODES, action=rules.COMPLETE):
    """Write each area (the analysis last) and mark it completed (or save it as a draft)."""
    for code in sorted(codes, key=lambda code: code == rules.ANALYSIS):
        services.area_save(
            actor=actor, context=None, assessment=assessment, code=code,
            text=f"What the assessment found about {code}.", action=action, version=None,
        )  # fmt: skip


@pytest.fixture
def submitted(opened, social_worker):
    fill(opened, social_worker)
    return services.assessment_submit(actor=social_worker, context=None, assessment=opened)
