"""Only children's social care records decisions and plans; everyone who can see the case
reads them; anyone who cannot see the case gets 404 on every page."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from plans import services
from plans.models import BirthPlan, Decision, PloLetter
from tests import plans_fixtures
from tests.plans_fixtures import TODAY, date_fields

assessed_case = plans_fixtures.assessed_case  # the fixture


def urls(case, decision) -> list[str]:
    return [
        reverse("plans_index", args=[case.id]),
        reverse("plans_decision_choose", args=[case.id]),
        reverse("plans_decision_record", args=[case.id, "icpc"]),
        reverse("plans_decision_withdraw", args=[case.id, decision.id]),
        reverse("plans_birth_plan", args=[case.id]),
        reverse("plans_plo_letter", args=[case.id]),
    ]


@pytest.fixture
def case_with_decision(assessed_case, social_worker):
    with time_machine.travel(TODAY, tick=False):
        case = assessed_case()
        decision = services.decision_record(
            actor=social_worker, context=None, case=case, kind="child_in_need",
            on=TODAY - timedelta(days=1),
        )  # fmt: skip
    return case, decision


@time_machine.travel(TODAY, tick=False)
def test_someone_who_cannot_see_the_case_gets_404_everywhere(client, outsider, case_with_decision):
    case, decision = case_with_decision
    client.force_login(outsider)

    for url in urls(case, decision):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"reason": "x"}).status_code in {404, 405}, url


@time_machine.travel(TODAY, tick=False)
def test_a_midwife_reads_the_plans_but_cannot_record_a_decision(
    client, named_midwife, case_with_decision
):
    case, decision = case_with_decision
    client.force_login(named_midwife)

    assert client.get(reverse("plans_index", args=[case.id])).status_code == 200
    assert client.get(reverse("plans_birth_plan", args=[case.id])).status_code == 200
    assert client.get(reverse("plans_plo_letter", args=[case.id])).status_code == 200
    record = reverse("plans_decision_record", args=[case.id, "no-further-action"])
    assert client.get(record).status_code == 403
    response = client.post(record, {**date_fields("on", TODAY), "outcome": "Close it"})
    assert response.status_code == 403
    birth_plan = {"present_at_birth": "Mother", "not_to_be_present": "No one"}
    assert client.post(reverse("plans_birth_plan", args=[case.id]), birth_plan).status_code == 403
    withdraw = reverse("plans_decision_withdraw", args=[case.id, decision.id])
    assert client.post(withdraw, {"reason": "Wrong"}).status_code == 403
    assert Decision.objects.count() == 1 and not BirthPlan.objects.exists()
    case.refresh_from_db()
    assert case.csc_input == "child_in_need"


@time_machine.travel(TODAY, tick=False)
def test_the_services_refuse_anyone_outside_csc(named_midwife, guest, team_manager, assessed_case):
    case = assessed_case()
    for actor in (named_midwife, guest):
        with pytest.raises(PermissionDenied):
            services.decision_record(actor=actor, context=None, case=case, kind="bla_panel",
                                     on=TODAY, outcome="Agreed")  # fmt: skip
        with pytest.raises(PermissionDenied):
            services.plo_letter_save(actor=actor, context=None, case=case, sent_on=TODAY)
        with pytest.raises(PermissionDenied):
            services.birth_plan_save(
                actor=actor, context=None, case=case, present_at_birth="Mother",
                not_to_be_present="No one",
            )  # fmt: skip
    assert not Decision.objects.exists() and not PloLetter.objects.exists()
    # A CSC team manager may.
    services.decision_record(actor=team_manager, context=None, case=case, kind="bla_panel",
                             on=TODAY, outcome="Agreed")  # fmt: skip


@time_machine.travel(TODAY, tick=False)
def test_a_guest_reads_and_records_nothing(client, guest, case_with_decision):
    case, _ = case_with_decision
    client.force_login(guest)

    page = client.get(reverse("plans_index", args=[case.id]))
    assert page.status_code == 200 and "Child in Need" in page.content.decode()
    assert "Record a decision" not in page.content.decode()
    assert client.get(reverse("plans_decision_choose", args=[case.id])).status_code == 403


@time_machine.travel(TODAY, tick=False)
def test_an_unknown_kind_of_decision_is_404(client, social_worker, assessed_case):
    case = assessed_case()
    client.force_login(social_worker)

    assert client.get(reverse("plans_decision_record", args=[case.id, "tea"])).status_code == 404
