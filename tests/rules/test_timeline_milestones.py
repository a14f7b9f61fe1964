"""One worked example for every row of the milestone table, dates worked out by hand.

The case: EDD 10 June 2027, so 0+0 is 3 September 2026, 16+0 is 24 December 2026,
26+0 is 4 March 2027 and 30+0 is 1 April 2027.
"""

from dataclasses import replace
from datetime import date, datetime

import pytest

from rules.protocol import default_protocol
from rules.timeline import CaseFacts, NotApplicable, compute_timeline

EDD = date(2027, 6, 10)
PROTOCOL = default_protocol()
# Referred on Wednesday 20 January 2027 (19+6), allocated the next day.
ASSESSING = CaseFacts(
    edd=EDD,
    today=date(2027, 1, 22),
    referral_date=date(2027, 1, 20),
    allocation_date=date(2027, 1, 21),
)


def milestone(facts, milestone_id):
    return compute_timeline(facts, PROTOCOL).milestone(milestone_id)


def ids(facts):
    return [result.id for result in compute_timeline(facts, PROTOCOL).milestones]


def test_referral_is_due_at_16_weeks():
    before = CaseFacts(edd=EDD, today=date(2026, 12, 1))

    assert milestone(before, "referral").due == date(2026, 12, 24)
    assert milestone(before, "referral").status == "upcoming"
    assert ids(before) == ["referral"]


def test_a_late_referral_is_done_late_and_counts_the_days():
    timeline = compute_timeline(ASSESSING, PROTOCOL)

    assert timeline.milestone("referral").status == "done_late"
    assert timeline.milestone("referral").days_overdue == 27
    assert timeline.late_referral_days == 27


def test_a_referral_on_time_is_not_late():
    facts = replace(ASSESSING, referral_date=date(2026, 12, 24), allocation_date=None)

    assert compute_timeline(facts, PROTOCOL).late_referral_days == 0
    assert milestone(facts, "referral").status == "done"


def test_no_referral_means_no_team_and_no_lateness_figure():
    timeline = compute_timeline(CaseFacts(edd=EDD, today=date(2026, 12, 1)), PROTOCOL)

    assert timeline.team is None
    assert timeline.late_referral_days is None


def test_allocation_is_due_the_working_day_after_referral():
    facts = replace(ASSESSING, allocation_date=None)

    assert milestone(facts, "allocation").due == date(2027, 1, 21)
    assert "assessment_opened" not in ids(facts)


def test_assessment_opened_is_due_on_the_day_of_allocation():
    assert milestone(ASSESSING, "assessment_opened").due == date(2027, 1, 21)


@pytest.mark.parametrize(
    ("milestone_id", "due"),
    [
        # 10 working days after Thursday 21 January 2027
        ("intro_home_visit", date(2027, 2, 4)),
        ("agencies_informed", date(2027, 2, 4)),
        ("checkpoint_10_day", date(2027, 2, 4)),
        # 15 working days
        ("multi_agency_meeting", date(2027, 2, 11)),
        # 30 working days
        ("checkpoint_30_day", date(2027, 3, 4)),
        ("genogram", date(2027, 3, 4)),
        ("chronology", date(2027, 3, 4)),
        ("family_network", date(2027, 3, 4)),
        # 45 working days after the referral on 20 January 2027
        ("assessment_completed", date(2027, 3, 24)),
    ],
)
def test_assessment_milestones_count_working_days(milestone_id, due):
    assert milestone(ASSESSING, milestone_id).due == due


def test_icpc_is_due_at_26_weeks_without_a_strategy_discussion():
    facts = replace(ASSESSING, significant_harm=True)

    assert milestone(facts, "icpc").due == date(2027, 3, 4)
    assert milestone(facts, "birth_plan").due == date(2027, 3, 4)


def test_icpc_is_due_15_working_days_after_the_strategy_discussion_if_that_is_sooner():
    facts = replace(ASSESSING, significant_harm=True, strategy_discussion_date=date(2027, 2, 10))

    assert milestone(facts, "icpc").due == date(2027, 3, 3)
    assert milestone(facts, "birth_plan").due == date(2027, 3, 3)


def test_icpc_stays_at_26_weeks_when_the_strategy_discussion_is_later():
    facts = replace(ASSESSING, significant_harm=True, strategy_discussion_date=date(2027, 2, 22))

    assert milestone(facts, "icpc").due == date(2027, 3, 4)


def test_pre_proceedings_milestones_have_no_date_and_stay_open_until_done():
    facts = replace(ASSESSING, pre_proceedings=True, events={"plo_letter": date(2027, 1, 22)})

    for milestone_id in ("legal_planning_meeting", "initial_plo_meeting"):
        assert milestone(facts, milestone_id).due is None
        assert milestone(facts, milestone_id).status == "upcoming"
    assert milestone(facts, "plo_letter").status == "done"


def test_bla_panel_is_due_at_30_weeks():
    facts = replace(ASSESSING, bla_panel=True)

    assert milestone(facts, "bla_panel").due == date(2027, 4, 1)


BORN = replace(
    ASSESSING,
    today=date(2027, 6, 14),
    birth_date=date(2027, 6, 8),
    pregnancy_outcome="live_birth",
    cp_plan=True,
    significant_harm=True,
)


def test_discharge_planning_awaits_the_discharge_date():
    assert milestone(BORN, "discharge_planning_meeting").status == "awaiting"
    assert milestone(BORN, "discharge_planning_meeting").due is None


def test_going_home_gives_a_visit_schedule_and_a_home_visit_within_48_hours():
    facts = replace(BORN, discharge=datetime(2027, 6, 11, 15, 30), placement="home")

    assert milestone(facts, "discharge_planning_meeting").due == date(2027, 6, 11)
    assert milestone(facts, "visit_schedule").due == date(2027, 6, 11)
    assert milestone(facts, "home_visit_48h").due == datetime(2027, 6, 13, 15, 30)
    assert milestone(facts, "home_visit_48h").status == "overdue"
    assert "foster_visit_72h" not in ids(facts)


def test_a_foster_placement_gives_a_visit_within_72_hours():
    facts = replace(
        BORN, discharge=datetime(2027, 6, 11, 10, 0), placement="foster",
        placement_date=date(2027, 6, 11),
    )  # fmt: skip

    assert milestone(facts, "foster_visit_72h").due == datetime(2027, 6, 14, 10, 0)
    assert milestone(facts, "foster_visit_72h").status == "due_soon"
    assert "visit_schedule" not in ids(facts)
    assert "home_visit_48h" not in ids(facts)


def test_the_cp_review_conference_is_due_28_days_after_birth():
    assert milestone(BORN, "cp_review_conference").due == date(2027, 7, 6)


def test_a_parent_and_child_placement_has_a_mid_point_review_at_8_weeks():
    facts = replace(BORN, placement="parent_and_child", placement_date=date(2027, 6, 10))

    assert milestone(facts, "pc_midpoint_review").due == date(2027, 8, 5)
    assert milestone(facts, "tracking_end").due == date(2027, 8, 5)
    assert milestone(facts, "tracking_end").status == "upcoming"


def test_the_mid_point_review_is_due_soon_once_its_6_to_8_week_window_opens():
    placed = replace(BORN, placement="parent_and_child", placement_date=date(2027, 6, 10))

    assert milestone(replace(placed, today=date(2027, 7, 21)), "pc_midpoint_review").status == (
        "upcoming"
    )
    assert milestone(replace(placed, today=date(2027, 7, 22)), "pc_midpoint_review").status == (
        "due_soon"
    )


def test_tracking_ends_when_the_mid_point_review_is_held():
    facts = replace(
        BORN, today=date(2027, 8, 1), placement="parent_and_child",
        placement_date=date(2027, 6, 10), events={"pc_midpoint_review": date(2027, 7, 28)},
    )  # fmt: skip

    assert milestone(facts, "tracking_end").status == "done"
    assert milestone(facts, "tracking_end").done == date(2027, 7, 28)


def test_tracking_ends_28_days_after_birth_in_the_community():
    at_home = replace(BORN, placement="home", discharge=datetime(2027, 6, 10, 9, 0))
    still = milestone(at_home, "tracking_end")
    ended = milestone(replace(at_home, today=date(2027, 7, 6)), "tracking_end")

    assert still.due == date(2027, 7, 6)
    assert still.status == "upcoming"
    assert (ended.status, ended.done) == ("done", date(2027, 7, 6))


def test_routing_at_29_weeks_6_days_goes_to_safeguarding_if_complex():
    facts = CaseFacts(edd=EDD, today=date(2027, 4, 1), referral_date=date(2027, 3, 31),
                      complex=True)  # fmt: skip

    assert compute_timeline(facts, PROTOCOL).team == "safeguarding"


def test_routing_at_30_weeks_stays_with_duty_and_assessment_even_if_complex():
    facts = CaseFacts(edd=EDD, today=date(2027, 4, 1), referral_date=date(2027, 4, 1),
                      complex=True)  # fmt: skip

    assert compute_timeline(facts, PROTOCOL).team == "duty_and_assessment"


def test_a_simple_referral_goes_to_duty_and_assessment():
    facts = replace(ASSESSING, complex=False)

    assert compute_timeline(facts, PROTOCOL).team == "duty_and_assessment"


def test_a_loss_closes_everything_open_and_keeps_what_was_done():
    facts = replace(
        ASSESSING, today=date(2027, 2, 20), pregnancy_outcome="miscarriage",
        events={"intro_home_visit": date(2027, 2, 1)},
    )  # fmt: skip
    timeline = compute_timeline(facts, PROTOCOL)

    assert timeline.milestone("intro_home_visit").status == "done"
    assert timeline.milestone("allocation").status == "done"
    assert timeline.milestone("multi_agency_meeting").status == "closed"
    assert timeline.milestone("assessment_completed").status == "closed"
    assert not [m for m in timeline.milestones if m.status in {"overdue", "due_soon"}]


def test_a_birth_before_the_icpc_leaves_it_overdue():
    facts = replace(BORN, events={})

    assert milestone(facts, "icpc").status == "overdue"
    assert milestone(facts, "icpc").days_overdue == (date(2027, 6, 14) - date(2027, 3, 4)).days


def test_a_milestone_marked_not_applicable_keeps_its_reason():
    facts = replace(BORN, events={"icpc": NotApplicable("Risk reduced: no conference needed")})

    result = milestone(facts, "icpc")
    assert result.status == "not_applicable"
    assert result.not_applicable_reason == "Risk reduced: no conference needed"


def test_due_soon_starts_ten_working_days_before():
    # multi_agency_meeting is due 11 February 2027 with a 5-working-day window.
    assert milestone(replace(ASSESSING, today=date(2027, 2, 3)), "multi_agency_meeting").status == (
        "upcoming"
    )
    assert milestone(replace(ASSESSING, today=date(2027, 2, 4)), "multi_agency_meeting").status == (
        "due_soon"
    )
    assert milestone(
        replace(ASSESSING, today=date(2027, 2, 11)), "multi_agency_meeting"
    ).status == ("due_soon")
    overdue = milestone(replace(ASSESSING, today=date(2027, 2, 12)), "multi_agency_meeting")
    assert (overdue.status, overdue.days_overdue) == ("overdue", 1)
