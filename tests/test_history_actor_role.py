"""The case history names who did something with the role and agency they had then: each
audit row about a case keeps its actor's description from the moment it was written, and
rows from before that was kept fall back to the person's current role."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.models import Agency, AgencyCode, Role, RoleCode
from audit.models import AuditEvent, AuditEventType
from audit.services import ACTOR_ROLE
from cases import services

LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 12, 2, 10, 0, tzinfo=LONDON), tick=False):
        yield


@pytest.fixture
def case(make_case, social_worker):
    return make_case(social_worker, edd=TODAY + timedelta(days=140))


def entries(client, case):
    response = client.get(reverse("case_history", args=[case.id]))
    assert response.status_code == 200
    return [entry for _, day in response.context["days"] for entry in day]


def promote(user) -> None:
    """The social worker becomes a team manager (their job title unchanged: none)."""
    user.roles.set([Role.objects.get(code=RoleCode.TEAM_MANAGER)])


def test_the_row_keeps_the_actors_role_and_agency_when_written(case, social_worker):
    created = AuditEvent.objects.get(case=case, event_type=AuditEventType.CASE_CREATED)
    assert created.extra_data[ACTOR_ROLE] == "Social worker, Children's Social Care"


def test_after_a_change_of_role_the_history_still_shows_the_role_they_had(
    client, case, social_worker, team_manager
):
    services.edd_revise(actor=social_worker, context=None, case=case,
                        edd=case.edd + timedelta(days=3), reason="Dating scan")  # fmt: skip
    promote(social_worker)
    social_worker.agency = Agency.objects.get(code=AgencyCode.COUNCIL)
    social_worker.save()
    client.force_login(team_manager)

    shown = {entry.event_type: entry.who_detail for entry in entries(client, case)}

    assert shown[AuditEventType.EDD_REVISED] == "Social worker, Children's Social Care"
    assert shown[AuditEventType.CASE_CREATED] == "Social worker, Children's Social Care"


def test_what_they_do_after_the_change_shows_the_new_role(
    client, case, social_worker, team_manager
):
    promote(social_worker)
    services.edd_revise(actor=social_worker, context=None, case=case,
                        edd=case.edd + timedelta(days=3), reason="Dating scan")  # fmt: skip
    client.force_login(team_manager)

    shown = {entry.event_type: entry.who_detail for entry in entries(client, case)}

    assert shown[AuditEventType.EDD_REVISED] == "Team manager, Children's Social Care"
    assert shown[AuditEventType.CASE_CREATED] == "Social worker, Children's Social Care"


def test_an_older_row_without_it_shows_the_current_role(client, case, social_worker, team_manager):
    """Rows written before the role was kept: only the person's role now is known."""
    AuditEvent.objects.create(
        actor=social_worker, actor_username=social_worker.username, case=case,
        event_type=AuditEventType.EDD_REVISED,
        extra_data={"summary": "Expected due date revised", "on": "2026-12-01"},
    )  # fmt: skip
    promote(social_worker)
    client.force_login(team_manager)

    shown = [e.who_detail for e in entries(client, case) if e.event_type == "edd_revised"]

    assert shown == ["Team manager, Children's Social Care"]
