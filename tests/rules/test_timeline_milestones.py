"""One worked example for every row of the milestone table, dates worked out by hand.

The case: EDD 10 June 2027, so 0+0 is 3 September 2026, 16+0 is 24 December 2026,
26+0 is 4 March 2027 and 30+0 is 1 April 2027.
"""

from dataclasses import replace
from datetime import date, datetime

import pytest

from rules.protocol import default_protocol, named_protocol
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


# The discharge planning meeting is "held prior to the baby being discharged": due on the
# earliest known of the planned and the actual discharge dates; with neither, the day
# after the birth (Tuesday 8 June 2027), so it is asked for at once.


def test_discharge_planning_with_no_discharge_date_is_due_the_day_after_the_birth():
    on_the_birth_day = milestone(replace(BORN, today=date(2027, 6, 8)),
                                 "discharge_planning_meeting")  # fmt: skip

    assert on_the_birth_day.due == date(2027, 6, 9)
    assert on_the_birth_day.status == "due_soon"
    later = milestone(BORN, "discharge_planning_meeting")  # 14 June, nothing recorded
    assert (later.status, later.days_overdue) == ("overdue", 5)


def test_discharge_planning_is_due_on_the_planned_discharge_date_and_warns_before_it():
    facts = replace(BORN, planned_discharge_date=date(2027, 6, 12), placement="home")

    before = milestone(replace(facts, today=date(2027, 6, 9)), "discharge_planning_meeting")
    warned = milestone(replace(facts, today=date(2027, 6, 10)), "discharge_planning_meeting")

    assert before.due == date(2027, 6, 12)
    assert before.status == "upcoming"
    assert warned.status == "due_soon"  # two days ahead of the planned discharge
    assert milestone(facts, "visit_schedule").due == date(2027, 6, 12)


def test_discharge_planning_follows_a_discharge_earlier_than_planned():
    facts = replace(BORN, planned_discharge_date=date(2027, 6, 12),
                    discharge=datetime(2027, 6, 11, 15, 30), placement="home")  # fmt: skip

    assert milestone(facts, "discharge_planning_meeting").due == date(2027, 6, 11)
    assert milestone(facts, "visit_schedule").due == date(2027, 6, 11)


def test_discharge_planning_stays_due_before_the_planned_date_when_discharge_is_delayed():
    facts = replace(BORN, today=date(2027, 6, 20), planned_discharge_date=date(2027, 6, 10),
                    discharge=datetime(2027, 6, 13, 11, 0), placement="home",
                    events={"discharge_planning_meeting": date(2027, 6, 9)})  # fmt: skip

    meeting = milestone(facts, "discharge_planning_meeting")

    assert (meeting.due, meeting.status) == (date(2027, 6, 10), "done")


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


def test_due_soon_starts_when_the_warning_window_opens():
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


# Bank holidays. Christmas 2026: Friday 25 December, and Monday 28 December in place of
# Boxing Day (a Saturday); New Year's Day is Friday 1 January 2027. Easter 2027: Good
# Friday 26 March and Easter Monday 29 March; the early May bank holiday is 3 May 2027.


def test_allocation_after_a_christmas_eve_referral_skips_christmas_and_the_substitute_day():
    # Referred on Thursday 24 December 2026, exactly 16+0: not late.
    facts = CaseFacts(edd=EDD, today=date(2026, 12, 24), referral_date=date(2026, 12, 24))
    timeline = compute_timeline(facts, PROTOCOL)

    assert timeline.late_referral_days == 0
    # Not Fri 25 (Christmas), Sat 26, Sun 27, Mon 28 (substitute Boxing Day): Tuesday 29th.
    assert timeline.milestone("allocation").due == date(2026, 12, 29)
    assert timeline.milestone("allocation").status == "due_soon"


def test_ten_working_days_from_allocation_cross_christmas_and_new_year():
    # Allocated Wednesday 23 December 2026: 24 Dec (1), 29, 30, 31 Dec (2-4), not 1 Jan,
    # 4-8 Jan (5-9), Monday 11 January 2027 (10).
    facts = CaseFacts(
        edd=EDD, today=date(2026, 12, 23), referral_date=date(2026, 12, 22),
        allocation_date=date(2026, 12, 23),
    )  # fmt: skip

    assert milestone(facts, "checkpoint_10_day").due == date(2027, 1, 11)


@pytest.mark.parametrize(
    ("milestone_id", "due"),
    [
        # Allocated Thursday 18 March 2027: 19, 22-25 March (1-5), not Good Friday 26 or
        # Easter Monday 29, 30 March-2 April (6-9), Monday 5 April (10).
        ("intro_home_visit", date(2027, 4, 5)),
        # 6-9 April (11-14), Monday 12 April (15).
        ("multi_agency_meeting", date(2027, 4, 12)),
        # 13 April-30 April (16-29), not Monday 3 May, Tuesday 4 May (30).
        ("checkpoint_30_day", date(2027, 5, 4)),
        # Referred Wednesday 17 March: 45 working days is Monday 24 May 2027.
        ("assessment_completed", date(2027, 5, 24)),
    ],
)
def test_working_days_skip_easter_and_the_early_may_bank_holiday(milestone_id, due):
    facts = CaseFacts(
        edd=date(2027, 7, 15), today=date(2027, 3, 18), referral_date=date(2027, 3, 17),
        allocation_date=date(2027, 3, 18),
    )  # fmt: skip

    assert milestone(facts, milestone_id).due == due


def test_a_hours_based_milestone_is_due_soon_on_its_day_and_overdue_the_day_after():
    facts = replace(BORN, discharge=datetime(2027, 6, 11, 15, 30), placement="home")

    on_the_day = milestone(replace(facts, today=date(2027, 6, 13)), "home_visit_48h")
    day_after = milestone(replace(facts, today=date(2027, 6, 14)), "home_visit_48h")

    # `today` is a date: the engine cannot tell 9am from 5pm, so the day itself is not late.
    assert (on_the_day.status, on_the_day.days_overdue) == ("due_soon", 0)
    assert (day_after.status, day_after.days_overdue) == ("overdue", 1)


def test_a_home_visit_the_day_after_its_48_hours_is_done_late_by_a_day():
    facts = replace(
        BORN, discharge=datetime(2027, 6, 11, 15, 30), placement="home",
        events={"home_visit_48h": date(2027, 6, 14)},
    )  # fmt: skip

    result = milestone(facts, "home_visit_48h")
    assert (result.status, result.days_overdue) == ("done_late", 1)


def test_a_foster_placement_later_than_discharge_counts_72_hours_from_its_date():
    facts = replace(
        BORN, today=date(2027, 6, 14), discharge=datetime(2027, 6, 11, 10, 0),
        placement="foster", placement_date=date(2027, 6, 12),
    )  # fmt: skip

    assert milestone(facts, "foster_visit_72h").due == datetime(2027, 6, 15, 0, 0)


def test_a_foster_visit_awaits_a_placement_date_or_discharge():
    facts = replace(BORN, placement="foster")

    assert milestone(facts, "foster_visit_72h").status == "awaiting"
    assert milestone(facts, "foster_visit_72h").due is None


def test_tracking_ends_28_days_after_birth_for_a_baby_in_foster_care():
    facts = replace(BORN, placement="foster", discharge=datetime(2027, 6, 10, 9, 0))

    assert milestone(facts, "tracking_end").due == date(2027, 7, 6)


def test_a_referral_after_the_birth_is_late_not_an_error():
    facts = CaseFacts(
        edd=EDD, today=date(2027, 6, 20), birth_date=date(2027, 6, 5),
        pregnancy_outcome="live_birth", referral_date=date(2027, 6, 15),
    )  # fmt: skip
    timeline = compute_timeline(facts, PROTOCOL)

    # 24 December 2026 to 15 June 2027: 7 + 31 + 28 + 31 + 30 + 31 + 15 days.
    assert timeline.late_referral_days == 173
    assert timeline.team == "duty_and_assessment"


def test_a_loss_before_referral_closes_the_referral():
    facts = CaseFacts(edd=EDD, today=date(2027, 1, 10), pregnancy_outcome="miscarriage")

    assert milestone(facts, "referral").status == "closed"
    assert compute_timeline(facts, PROTOCOL).late_referral_days is None


def test_a_neonatal_death_closes_what_is_open_and_keeps_what_was_done_after_the_birth():
    facts = replace(
        BORN, today=date(2027, 6, 20), pregnancy_outcome="neonatal_death", placement="home",
        discharge=datetime(2027, 6, 11, 15, 30),
        events={"discharge_planning_meeting": date(2027, 6, 10)},
    )  # fmt: skip
    timeline = compute_timeline(facts, PROTOCOL)

    assert timeline.milestone("discharge_planning_meeting").status == "done"
    assert timeline.milestone("home_visit_48h").status == "closed"
    assert timeline.milestone("cp_review_conference").status == "closed"
    assert timeline.milestone("icpc").status == "closed"


def test_a_not_applicable_milestone_stays_so_after_a_loss():
    facts = replace(
        ASSESSING, pregnancy_outcome="termination",
        events={"genogram": NotApplicable("Genogram from the sibling's assessment")},
    )  # fmt: skip

    assert milestone(facts, "genogram").status == "not_applicable"


def test_pre_proceedings_milestones_can_be_marked_not_applicable():
    facts = replace(
        ASSESSING, pre_proceedings=True,
        events={"legal_planning_meeting": NotApplicable("Legal advice given at the ICPC")},
    )  # fmt: skip

    assert milestone(facts, "legal_planning_meeting").status == "not_applicable"
    assert milestone(facts, "plo_letter").status == "upcoming"


def test_milestones_come_in_protocol_order():
    facts = replace(
        BORN, pre_proceedings=True, bla_panel=True, placement="parent_and_child",
        placement_date=date(2027, 6, 10),
    )  # fmt: skip

    assert ids(facts) == [rule.id for rule in PROTOCOL.milestones if rule.id in set(ids(facts))]
    assert "home_visit_48h" not in ids(facts)
    assert "visit_schedule" not in ids(facts)


# The example protocol: ICPC by 30+0 (at least 10 weeks before the EDD), BLA panel by
# 32+0, CP review 10 working days after birth. With EDD 10 June 2027, 30+0 is Thursday
# 1 April 2027 and 32+0 is Thursday 15 April 2027.
ALTERNATIVE = named_protocol("example_alternative")


def test_the_example_protocol_holds_the_icpc_by_30_weeks():
    facts = replace(ASSESSING, significant_harm=True)
    timeline = compute_timeline(facts, ALTERNATIVE)

    assert timeline.milestone("icpc").due == date(2027, 4, 1)
    assert timeline.milestone("birth_plan").due == date(2027, 4, 1)


def test_the_example_protocol_still_holds_the_icpc_15_working_days_after_a_strategy_discussion():
    facts = replace(ASSESSING, significant_harm=True, strategy_discussion_date=date(2027, 2, 10))

    assert compute_timeline(facts, ALTERNATIVE).milestone("icpc").due == date(2027, 3, 3)


def test_the_example_protocol_holds_the_bla_panel_by_32_weeks():
    facts = replace(ASSESSING, bla_panel=True)

    assert compute_timeline(facts, ALTERNATIVE).milestone("bla_panel").due == date(2027, 4, 15)


def test_the_example_protocol_reviews_the_cp_plan_10_working_days_after_birth():
    # Born Tuesday 8 June 2027: 9-11 June (1-3), 14-18 June (4-8), 21, 22 June (9, 10).
    timeline = compute_timeline(BORN, ALTERNATIVE)

    assert timeline.milestone("cp_review_conference").due == date(2027, 6, 22)
    assert timeline.protocol_name.startswith("Example:")


def test_the_example_protocol_leaves_the_other_dates_alone():
    facts = replace(ASSESSING, significant_harm=True, bla_panel=True)
    default = {m.id: m.due for m in compute_timeline(facts, PROTOCOL).milestones}
    other = {m.id: m.due for m in compute_timeline(facts, ALTERNATIVE).milestones}

    changed = {key for key in default if default[key] != other[key]}
    assert changed == {"icpc", "birth_plan", "bla_panel"}
