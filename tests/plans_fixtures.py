"""Shared by the plans tests: a case in assessment, and reading its milestones."""

from datetime import date, timedelta

import pytest

from cases import services as case_services

TODAY = date(2027, 3, 10)


def milestone(case, milestone_id):
    return case.milestones.filter(milestone_id=milestone_id).first()


def date_fields(name: str, day: date) -> dict:
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


@pytest.fixture
def assessed_case(make_case, social_worker):
    """Registered in Mendip, referred and allocated: about 24 weeks pregnant today."""

    def make(**details):
        case = make_case(social_worker, edd=TODAY + timedelta(weeks=16), **details)
        case_services.case_facts_update(
            actor=social_worker, context=None, case=case,
            referral_date=TODAY - timedelta(days=40), allocation_date=TODAY - timedelta(days=39),
        )  # fmt: skip
        return case

    return make
