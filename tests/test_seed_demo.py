"""The demo: a live caseload at every stage, the same every time, never in production."""

from collections import Counter
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from accounts.models import RoleCode, User
from cases.management.commands.seed_demo import seed
from cases.models import Case, CscInput, PregnancyOutcome
from rules import nhs_number as nhs

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(db, locality):
    with time_machine.travel(TODAY, tick=False):
        call_command("seed_demo", verbosity=0)


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


def test_there_is_a_demo_user_for_every_role(demo):
    roles = set(User.objects.values_list("roles__code", flat=True))

    assert roles == set(RoleCode.values)


def test_demo_people_are_synthetic(demo):
    numbers = list(Case.objects.values_list("mother__nhs_number", flat=True))

    assert all(nhs.is_synthetic(n) and nhs.is_valid(n) for n in numbers)


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
            transaction.set_rollback(True)  # undo it all, audit rows included
        return described

    first = seed_and_describe()
    second = seed_and_describe()

    assert len(first) == 120
    assert first == second


def test_running_the_demo_again_changes_nothing(demo):
    before = Case.objects.count()

    call_command("seed_demo", verbosity=0)

    assert Case.objects.count() == before


def test_the_demo_never_runs_in_production(db, settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="never runs in production"):
        call_command("seed_demo")
