"""The demo seeded into an empty database: the same every time, and a demo made by an
older version brought up to date by running it again. (The tests of the demo as seeded
share one seed, in tests/demo/.)"""

from datetime import date
from io import StringIO

import time_machine
from django.core.management import call_command
from django.db import transaction

from accounts.models import RoleCode, User
from cases.management.commands import seed_demo
from cases.management.commands.seed_demo import PERSONAS, seed
from cases.models import Case
from meetings.models import Action, Meeting, MeetingStatus, Supervision
from referrals.models import Allocation

TODAY = date(2026, 11, 23)


def test_the_demo_is_the_same_every_time(db, locality):
    def seed_and_describe():
        with time_machine.travel(TODAY, tick=False), transaction.atomic():
            seed(today=TODAY, cases_per_locality=30)
            described = list(
                Case.objects.order_by("mother__nhs_number").values_list(
                    "mother__nhs_number", "mother__given_name", "mother__family_name", "edd",
                    "csc_input", "outcome", "locality__slug", "named_social_worker__username",
                )
            )  # fmt: skip
            meetings = sorted(
                Meeting.objects.values_list(
                    "locality__slug", "date", "start_time", "status", "chair__username",
                    "members__user__username", "members__attendance",
                )
            )  # fmt: skip
            discussed = sorted(
                (d.meeting.locality.slug, str(d.meeting.date), d.case.mother.nhs_number,
                 d.change, d.current_concerns, d.key_points,
                 tuple(sorted(d.themes.values_list("code", flat=True))))
                for m in Meeting.objects.all()
                for d in m.discussions.select_related("case__mother", "meeting__locality")
            )  # fmt: skip
            actions = sorted(
                Action.objects.values_list(
                    "case__mother__nhs_number", "description", "owner__username", "due_date",
                    "status",
                )
            )  # fmt: skip
            supervision = sorted(
                Supervision.objects.values_list("case__mother__nhs_number", "agency",
                                                "supervised_on")
            )  # fmt: skip
            allocations = sorted(
                Allocation.objects.values_list("case__mother__nhs_number", "allocated_on",
                                               "allocated_by__username")
            )  # fmt: skip
            transaction.set_rollback(True)  # undo it all, audit rows included
        return described, meetings, discussed, actions, supervision, allocations

    first = seed_and_describe()
    second = seed_and_describe()

    assert len(first[0]) == 120
    assert len(first[1]) > 8 and first[3]
    assert first == second


def test_a_demo_made_before_it_had_meetings_gets_them_once(db, locality, monkeypatch):
    with time_machine.travel(TODAY, tick=False):
        monkeypatch.setattr(seed_demo, "seed_meetings", lambda **kwargs: [])
        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)
        assert Case.objects.exists() and not Meeting.objects.exists()
        monkeypatch.undo()

        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)
        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)

    assert Meeting.objects.filter(status=MeetingStatus.FINALISED).count() == 4
    assert Meeting.objects.filter(status=MeetingStatus.SCHEDULED).count() == 4
    assert User.objects.filter(username="rosa").count() == 1


def test_a_demo_made_before_every_locality_had_its_team_manager_gets_them_once(
    db, locality, monkeypatch
):
    with time_machine.travel(TODAY, tick=False):
        monkeypatch.setattr(seed_demo, "LOCALITY_TEAM_MANAGERS", [])
        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)
        assert not User.objects.filter(username__in=["kieran", "lucy", "ravi"]).exists()
        monkeypatch.undo()

        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)
        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)

    for username, slug in (("kieran", "sedgemoor"), ("lucy", "south-somerset"),
                           ("ravi", "taunton-and-west-somerset")):  # fmt: skip
        (manager,) = User.objects.filter(username=username)
        assert manager.has_usable_password() and manager.has_role(RoleCode.TEAM_MANAGER)
        assert list(manager.localities.values_list("slug", flat=True)) == [slug]


def test_a_demo_made_before_the_data_protection_officer_gets_ruth_once(db, locality, monkeypatch):
    with time_machine.travel(TODAY, tick=False):
        monkeypatch.setattr(seed_demo, "PERSONAS", [p for p in PERSONAS if p.username != "ruth"])
        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)
        assert not User.objects.filter(username="ruth").exists()
        monkeypatch.undo()

        out = StringIO()
        call_command("seed_demo", "--cases-per-locality", "8", stdout=out)
        call_command("seed_demo", "--cases-per-locality", "8", verbosity=0)

    assert "Added ruth." in out.getvalue()
    (ruth,) = User.objects.filter(username="ruth")
    assert ruth.has_usable_password() and ruth.has_role(RoleCode.DATA_PROTECTION_OFFICER)
    assert ruth.localities.count() == 4
