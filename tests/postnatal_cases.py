"""Cases after a live birth, for the birth-and-after tests (tests/test_postnatal_*.py).

Born Tuesday 8 June 2027 at 4am; today is Wednesday 9 June 2027, 11am, unless a test
travels on.
"""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent
from cases import services as case_services
from timeline.models import CaseMilestone

LONDON = ZoneInfo("Europe/London")
BIRTH = date(2027, 6, 8)
TODAY = date(2027, 6, 9)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 6, 9, 11, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def midwife(make_user):
    """A community midwife in Mendip."""
    return make_user("maria", RoleCode.MIDWIFE)


@pytest.fixture
def health_visitor(make_user):
    return make_user("hannah", RoleCode.HEALTH_VISITOR)


@pytest.fixture
def unborn(named_midwife, social_worker, make_case):
    case = make_case(
        named_midwife, edd=date(2027, 6, 10), named_social_worker=social_worker,
        named_midwife=named_midwife, csc_input="child_protection",
    )  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case, referral_date=date(2026, 12, 20),
        allocation_date=date(2026, 12, 21), significant_harm=True,
    )  # fmt: skip
    return case


@pytest.fixture
def born(unborn, named_midwife):
    case_services.outcome_record(
        actor=named_midwife, context=None, case=unborn, outcome="live_birth", outcome_date=BIRTH,
        babies=[case_services.BabyDetails(born_at=datetime.combine(BIRTH, time(4), tzinfo=LONDON),
                                          sex="female")],
    )  # fmt: skip
    unborn.refresh_from_db()
    return unborn


def milestone(case, milestone_id: str) -> CaseMilestone:
    return CaseMilestone.objects.get(case=case, milestone_id=milestone_id)


def audit_rows(case, event_type) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(case=case, event_type=event_type).order_by("at", "id"))


def url(name: str, case) -> str:
    return reverse(name, kwargs={"case_id": case.id})


def date_fields(name: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}_day": "", f"{name}_month": "", f"{name}_year": ""}
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month),
            f"{name}_year": str(day.year)}  # fmt: skip
