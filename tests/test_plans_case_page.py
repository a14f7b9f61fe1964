"""The case page's "Decisions and plans" section: the level, the latest decisions and the
birth plan, in a number of queries that does not grow with the decisions."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plans import services
from tests import plans_fixtures
from tests.plans_fixtures import TODAY

assessed_case = plans_fixtures.assessed_case  # the fixture


def queries(client, case) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("case_detail", args=[case.id])).status_code == 200
    return len(captured)


@time_machine.travel(TODAY, tick=False)
def test_the_case_page_reads_the_same_queries_for_1_decision_as_for_6(
    client, social_worker, assessed_case
):
    case = assessed_case()
    client.force_login(social_worker)
    services.decision_record(actor=social_worker, context=None, case=case,
                             kind="child_in_need", on=TODAY - timedelta(days=20))  # fmt: skip
    one = queries(client, case)
    for n in range(5):
        services.decision_record(actor=social_worker, context=None, case=case,
                                 kind="bla_panel", on=TODAY - timedelta(days=n),
                                 outcome=f"Panel {n}")  # fmt: skip
    services.birth_plan_save(actor=social_worker, context=None, case=case,
                             present_at_birth="Mother", not_to_be_present="The father")  # fmt: skip

    assert queries(client, case) == one
    page = client.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "Panel 0" in page and "Panel 4" not in page  # the three latest only
    assert "The father" in page
