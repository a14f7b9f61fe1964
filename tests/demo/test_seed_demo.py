"""The demo: a live caseload at every stage, the same every time, never in production."""

import re
from collections import Counter
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Locality, RoleCode, User
from assessments.models import Assessment
from audit.models import AuditEvent, AuditEventType
from cases.management.commands.seed_demo import (
    DEMO_PASSWORD,
    LOCALITY_TEAM_MANAGERS,
    PERSONAS,
)
from cases.models import Case, CscInput, PregnancyOutcome
from meetings.models import Action, ActionStatus, Addendum, Meeting, MeetingStatus, Supervision
from meetings.selectors import meeting_pack
from referrals.models import Allocation
from rules import nhs_number as nhs
from tests.conftest import sign_in_code

TODAY = date(2026, 11, 23)


def test_the_demo_has_120_cases_across_the_four_localities(demo):
    per_locality = Counter(Case.objects.values_list("locality__name", flat=True))

    assert sum(per_locality.values()) == 120
    assert set(per_locality) == {
        "Mendip",
        "Sedgemoor",
        "South Somerset",
        "Taunton and West Somerset",
    }
    assert set(per_locality.values()) == {30}


def test_the_demo_covers_every_stage(demo):
    levels = set(Case.objects.values_list("csc_input", flat=True))
    outcomes = set(Case.objects.values_list("outcome", flat=True))

    assert levels == set(CscInput.values)
    assert PregnancyOutcome.LIVE_BIRTH in outcomes
    assert outcomes & {PregnancyOutcome.MISCARRIAGE, PregnancyOutcome.STILLBIRTH,
                       PregnancyOutcome.TERMINATION}  # fmt: skip
    unborn = Case.objects.filter(outcome="")
    assert unborn.filter(edd__gt=TODAY).count() >= 60
    born = Case.objects.filter(outcome=PregnancyOutcome.LIVE_BIRTH)
    planned = born.filter(planned_discharge_date__isnull=False)
    assert 0 < planned.count() < born.count()
    assert planned.filter(discharge__isnull=True).exists()  # still in hospital, date planned


def test_the_demo_does_milestones_by_their_work_never_by_a_tick(demo):
    from timeline.models import CaseMilestone, MilestoneEvent
    from timeline.services import milestone_done_by_step

    ticked = MilestoneEvent.objects.filter(done_date__isnull=False).values_list(
        "milestone_id", flat=True
    )
    assert not [m for m in ticked if milestone_done_by_step(m)]
    # The assessment is authorised, in every locality by its team manager.
    authorised = CaseMilestone.objects.filter(
        milestone_id="assessment_completed", done_date__isnull=False
    )
    assert authorised.exists()
    assert {row.case.locality.slug for row in authorised.select_related("case__locality")} == set(
        Locality.objects.filter(case__isnull=False).values_list("slug", flat=True)
    )


def test_there_is_a_demo_user_for_every_role(demo):
    roles = set(User.objects.values_list("roles__code", flat=True))

    assert roles == set(RoleCode.values)


def test_every_locality_has_a_team_manager_who_signs_in_to_its_own_allocation_queue(demo, client):
    managers = {p.locality: p.username for p in [*PERSONAS, *LOCALITY_TEAM_MANAGERS]
                if p.role == RoleCode.TEAM_MANAGER}  # fmt: skip
    assert set(managers) == set(Locality.objects.values_list("slug", flat=True))
    for slug, username in managers.items():
        with time_machine.travel(TODAY, tick=False):
            signed_in = client.post(
                reverse("login"), {"username": username, "password": DEMO_PASSWORD}
            )
            code = sign_in_code(User.objects.get(username=username))
            client.post(reverse("two_factor_verify"), {"code": code})
            queue = client.get(reverse("allocation_queue"))
        assert signed_in.status_code == 302, username
        shown = {case.locality.slug for case in queue.context["page"].object_list}
        assert shown == {slug}, username  # their locality's referrals, no other's
        # They allocated their locality's cases and authorised its assessments.
        allocated_by = set(Allocation.objects.filter(case__locality__slug=slug)
                           .values_list("allocated_by__username", flat=True))  # fmt: skip
        assert allocated_by == {username}
        authorised_by = set(Assessment.objects.filter(case__locality__slug=slug,
                                                      authorised_on__isnull=False)
                            .values_list("decided_by__username", flat=True))  # fmt: skip
        assert authorised_by == {username}
        client.post(reverse("logout"))


def test_make_demo_prints_every_team_manager_sign_in(demo):
    out = StringIO()

    call_command("seed_demo", stdout=out)

    printed = out.getvalue()
    for username, locality in (
        ("mark", "Mendip"),
        ("kieran", "Sedgemoor"),
        ("lucy", "South Somerset"),
        ("ravi", "Taunton and West Somerset"),
    ):
        assert re.search(rf"^  {username} +Team manager, .*\({locality}\)$", printed, re.M)


def test_demo_people_are_synthetic(demo):
    numbers = list(Case.objects.values_list("mother__nhs_number", flat=True))

    assert all(nhs.is_synthetic(n) and nhs.is_valid(n) for n in numbers)


def _meetings(locality: Locality, status: str):
    return list(Meeting.objects.filter(locality=locality, status=status))


def test_every_locality_has_its_last_meeting_recorded_and_finalised(demo):
    deputies, apologies, born_since_meeting = 0, 0, 0
    for locality in Locality.objects.all():
        (meeting,) = _meetings(locality, MeetingStatus.FINALISED)
        assert TODAY - timedelta(days=35) < meeting.date < TODAY, locality
        members = {m.role: m for m in meeting.members.select_related("user")}
        assert {"chair", "operations_manager", "named_phn"} <= set(members)
        assert all(m.user.localities.filter(pk=locality.pk).exists() for m in members.values())
        assert all(m.attendance for m in members.values()), "attendance is recorded"
        deputies += sum(m.attendance == "deputy" and bool(m.deputy_name)
                        for m in members.values())  # fmt: skip
        apologies += sum(m.attendance == "apologies" for m in members.values())
        discussed = [d for d in meeting.discussions.select_related("case") if d.in_cohort]
        assert len(discussed) >= 5
        for discussion in discussed:
            assert discussion.current_concerns and discussion.key_point_list
            assert discussion.level_of_csc_input == discussion.case.csc_input
            assert discussion.themes.exists()
            assert {s.agency for s in discussion.case.supervisions.all()} == {"csc", "midwifery",
                                                                             "phn"}  # fmt: skip
        # A baby born since was unborn on the day, and the record says so.
        for pack in meeting_pack(meeting):
            born_since = pack.case.birth_date and pack.case.birth_date > meeting.date
            assert pack.stage.endswith("weeks pregnant") if born_since else "-" not in pack.stage
            born_since_meeting += bool(born_since)
        # Families referred after the day were not discussed: taken out, with the reason.
        for discussion in meeting.discussions.exclude(change=""):
            assert discussion.case.referral_date > meeting.date
            assert "after this meeting" in discussion.change_reason
        actions = list(meeting.actions.select_related("owner"))
        done = [a for a in actions if a.status == ActionStatus.DONE]
        still_open = [a for a in actions if a.status == ActionStatus.OPEN]
        assert done and all(a.completed_on == TODAY and a.completed_by for a in done)
        assert any(a.due_date < TODAY for a in still_open), "some are overdue"
        assert all(a.owner is not None for a in actions)
        stale = meeting.date - timedelta(weeks=4)
        assert Supervision.objects.filter(meeting=meeting, supervised_on__lt=stale).exists()
    assert deputies >= 1 and apologies >= 1 and born_since_meeting >= 1
    assert Addendum.objects.count() == 1
    # Recorded through the services: the audit trail is the real one.
    chairs = set(Meeting.objects.values_list("chair", flat=True))
    for event in (AuditEventType.DISCUSSION_RECORDED, AuditEventType.MEETING_FINALISED):
        actors = set(AuditEvent.objects.filter(event_type=event).values_list("actor", flat=True))
        assert actors == chairs, event


def test_every_locality_has_its_next_meeting_with_the_cohort_proposed(demo):
    for locality in Locality.objects.all():
        (meeting,) = _meetings(locality, MeetingStatus.SCHEDULED)
        (last,) = _meetings(locality, MeetingStatus.FINALISED)
        assert TODAY <= meeting.date < TODAY + timedelta(days=35)
        assert meeting.date.weekday() == last.date.weekday()  # the same day of the month
        assert meeting.cohort_proposed_on == TODAY
        assert meeting.members.filter(role="chair", user=meeting.chair).exists()
        assert meeting.members.count() >= 3
        packs = meeting_pack(meeting)
        assert packs and all(p.discussion.rule_reason for p in packs)
        # Last meeting's open actions are carried forward into the pack.
        assert any(p.earlier_actions for p in packs)
        assert meeting.invitations_sent_at is None  # the chair sends them in the demo


def test_ruth_finds_every_access_to_one_mothers_record_and_exports_it(demo, client):
    with time_machine.travel(TODAY, tick=False):
        client.post(reverse("login"), {"username": "ruth", "password": DEMO_PASSWORD})
        client.post(reverse("two_factor_verify"), {"code": sign_in_code(
            User.objects.get(username="ruth"))})  # fmt: skip
        home = client.get(reverse("home"))
        case = Case.objects.filter(locality__slug="sedgemoor").order_by("reference").first()
        found = client.get(reverse("dpo_search"), {"nhs_number": case.mother.nhs_number})
        log = client.get(reverse("dpo_access_log", args=[case.id]))
        exported = client.get(reverse("dpo_access_log_csv", args=[case.id]))

    assert home["Location"] == reverse("dpo_search")
    assert [c.pk for c in found.context["cases"]] == [case.pk]
    assert log.context["page_obj"].paginator.count >= 1
    assert "Registered the case" in log.content.decode()
    rows = exported.content.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 1 + log.context["page_obj"].paginator.count + 1  # her own look too


def test_running_the_demo_again_changes_nothing(demo):
    def counts():
        return [m.objects.count() for m in (Case, User, Meeting, Action, Supervision, Addendum)]

    before = counts()

    call_command("seed_demo", verbosity=0)

    assert counts() == before


def test_the_demo_never_runs_in_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="never runs in production"):
        call_command("seed_demo")


def test_every_demo_person_signs_in_with_the_code_demo_code_prints(demo, client, settings):
    settings.DEBUG = True  # the demo's settings (the test runner turns DEBUG off)
    assert not User.objects.exclude(totpdevice__confirmed=True).exists()
    out = StringIO()
    call_command("demo_code", "priya", stdout=out, stderr=StringIO())
    code = out.getvalue().strip()
    assert re.fullmatch(r"\d{6}", code)

    client.post(reverse("login"), {"username": "priya", "password": DEMO_PASSWORD})
    response = client.post(reverse("two_factor_verify"), {"code": code})

    assert response.status_code == 302
    assert client.get(reverse("my_work")).status_code == 200


def test_demo_code_is_refused_outside_the_demo_and_names_a_missing_person(demo, settings):
    settings.DEBUG = True
    with pytest.raises(CommandError) as missing:
        call_command("demo_code", "nobody")
    assert missing.value.returncode == 2 and "username" in str(missing.value)
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("demo_code", "priya")
    assert refused.value.returncode == 2 and "only in the demo" in str(refused.value)
