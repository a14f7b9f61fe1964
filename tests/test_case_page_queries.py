"""The case page, with every section of the pre-birth assessment's work on it, reads the
same number of queries however much work a case has: it grows with the sections, never
with the rows. (Each app's tests check its own section; this checks them together.)"""

import random
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from faker import Faker

from accounts.models import RoleCode
from cases.management.commands.seed_demo import _seed_case
from visits.models import BabySeen
from visits.services import case_note_add, visit_record


@pytest.fixture
def seed(make_user, social_worker, team_manager, locality):
    team = {
        RoleCode.SOCIAL_WORKER: [social_worker, team_manager],
        RoleCode.MIDWIFE: [make_user("maria", RoleCode.MIDWIFE)],
        RoleCode.HEALTH_VISITOR: [make_user("hannah", RoleCode.HEALTH_VISITOR)],
    }

    def seeded(stage: str):
        # The same seed gives the same work, so two cases differ only in what a test adds.
        fake = Faker("en_GB")
        fake.seed_instance(11)
        return _seed_case(fake, random.Random(11), timezone.localdate(),
                          ZoneInfo(settings.TIME_ZONE), locality("mendip"), team,
                          team[RoleCode.MIDWIFE][0], stage)  # fmt: skip

    return seeded


def queries(client, case) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("case_detail", args=[case.id]))
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("stage", ["cp_plan", "pre_proceedings", "born_at_home"])
def test_more_work_on_a_case_does_not_add_queries_to_its_page(client, seed, social_worker, stage):
    plain, busy = seed(stage), seed(stage)
    client.force_login(social_worker)
    before = queries(client, plain)
    assert queries(client, busy) == before
    now = timezone.now()
    baby_seen = BabySeen.YES if busy.is_born else BabySeen.UNBORN
    for n in range(6):
        visit_record(actor=social_worker, context=None, case=busy,
                     visited_at=now - timedelta(hours=n + 1), type="other",
                     seen=["mother"], baby_seen=baby_seen)  # fmt: skip
        case_note_add(actor=social_worker, context=None, case=busy, kind="case_note",
                      text=f"Note {n}")  # fmt: skip

    assert queries(client, busy) == before
    # The page has every section's heading: it was measured at its fullest.
    page = client.get(reverse("case_detail", args=[busy.id])).content.decode()
    for section in ('id="referral"', 'id="allocation"', 'id="assessment"', 'id="documents"',
                    'id="history"', "Note 5"):  # fmt: skip
        assert section in page, section
