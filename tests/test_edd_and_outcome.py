"""Revising the EDD keeps its history; recording the outcome, including twins and losses."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from cases.models import Baby, Case
from tests.milestone_ticks import done_by_step

TODAY = date(2026, 11, 23)
LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def signed_in(client, social_worker):
    client.force_login(social_worker)
    return client


@time_machine.travel(TODAY, tick=False)
def test_revising_the_edd_keeps_every_value_with_its_reason(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 6, 10))
    url = reverse("edd_revise", args=[case.id])

    for day, reason in (("3", "Scan"), ("5", "Rescan")):
        version = Case.objects.get(pk=case.pk).version  # as the page would show it
        signed_in.post(url, {"edd_day": day, "edd_month": "6", "edd_year": "2027",
                             "reason": reason, "version": version})  # fmt: skip

    case.refresh_from_db()
    assert case.edd == date(2027, 6, 5)
    history = [(r.edd, r.previous_edd, r.reason) for r in case.edd_revisions.all()]
    assert history == [
        (date(2027, 6, 5), date(2027, 6, 3), "Rescan"),
        (date(2027, 6, 3), date(2027, 6, 10), "Scan"),
        (date(2027, 6, 10), None, "Expected due date when the case was registered"),
    ]
    event = AuditEvent.objects.filter(event_type=AuditEventType.EDD_REVISED).first()
    assert event.extra_data["changes"]["edd"] == {"before": "2027-06-03", "after": "2027-06-05"}
    page = signed_in.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "was 10 June 2027" in page


@time_machine.travel(TODAY, tick=False)
def test_revising_the_edd_needs_a_reason(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 6, 10))

    response = signed_in.post(
        reverse("edd_revise", args=[case.id]),
        {"edd_day": "3", "edd_month": "6", "edd_year": "2027", "reason": ""},
    )

    assert "Enter why the due date has changed" in response.content.decode()
    case.refresh_from_db()
    assert case.edd == date(2027, 6, 10)


@time_machine.travel(TODAY, tick=False)
def test_recording_the_live_birth_of_twins(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2026, 12, 1))
    url = reverse("outcome_record", args=[case.id])
    assert "Add another baby" in signed_in.get(url).content.decode()

    response = signed_in.post(
        url + "?babies=2",
        {
            "babies": "2",
            "outcome": "live_birth",
            "outcome_date_day": "20",
            "outcome_date_month": "11",
            "outcome_date_year": "2026",
            "baby_1_time": "23:50",
            "baby_1_sex": "female",
            "baby_1_given_name": "Mia",
            "baby_1_family_name": "Ashdown",
            "baby_2_time": "11:58pm",
            "baby_2_sex": "male",
            "baby_2_weight": "2450",
        },
    )

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.outcome == "live_birth"
    assert case.birth_date == date(2026, 11, 20)
    babies = list(Baby.objects.filter(case=case))
    assert [(b.birth_order, b.sex, b.born_at.hour, b.born_at.minute) for b in babies] == [
        (1, "female", 23, 50),
        (2, "male", 23, 58),
    ]
    assert babies[1].birth_weight_grams == 2450
    assert case.display_name == "Baby of Kerry Ashdown"


@time_machine.travel(TODAY, tick=False)
def test_a_live_birth_without_a_time_of_birth_is_refused(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2026, 12, 1))

    response = signed_in.post(
        reverse("outcome_record", args=[case.id]),
        {
            "outcome": "live_birth",
            "outcome_date_day": "20",
            "outcome_date_month": "11",
            "outcome_date_year": "2026",
            "baby_1_sex": "female",
        },
    )

    assert "Enter the time of birth" in response.content.decode()
    case.refresh_from_db()
    assert case.outcome == ""


@time_machine.travel(TODAY, tick=False)
def test_a_loss_is_recorded_gently_and_stops_the_reminders(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 3, 1))

    response = signed_in.post(
        reverse("outcome_record", args=[case.id]),
        {
            "outcome": "miscarriage",
            "outcome_date_day": "18",
            "outcome_date_month": "11",
            "outcome_date_year": "2026",
        },
        follow=True,
    )

    page = response.content.decode()
    case.refresh_from_db()
    assert case.outcome == "miscarriage"
    assert case.birth_date is None
    assert case.edd == date(2027, 3, 1)
    assert "This pregnancy ended in a miscarriage on 18 November 2026" in page
    assert "All reminders for this case have stopped" in page
    assert "Unborn baby" not in page
    assert signed_in.get(reverse("outcome_record", args=[case.id])).status_code == 403


def _record_twins(client, case, second_time="11:58pm"):
    return client.post(
        reverse("outcome_record", args=[case.id]) + "?babies=2",
        {
            "babies": "2", "outcome": "live_birth",
            "outcome_date_day": "20", "outcome_date_month": "11", "outcome_date_year": "2026",
            "baby_1_time": "23:50", "baby_1_sex": "female", "baby_1_given_name": "Mia",
            "baby_2_time": second_time, "baby_2_sex": "male", "baby_2_given_name": "Leo",
        },
    )  # fmt: skip


@time_machine.travel(TODAY, tick=False)
def test_a_twin_born_after_midnight_is_born_on_the_next_day(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2026, 12, 1))

    _record_twins(signed_in, case, second_time="00:10")

    case.refresh_from_db()
    first, second = Baby.objects.filter(case=case)
    assert first.born_at.astimezone(LONDON).date() == date(2026, 11, 20)
    assert second.born_at.astimezone(LONDON).date() == date(2026, 11, 21)
    assert (second.born_at - first.born_at).total_seconds() == 20 * 60
    assert case.birth_date == date(2026, 11, 20)


@time_machine.travel(TODAY, tick=False)
def test_when_one_twin_dies_the_case_stays_open_for_the_other(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2026, 12, 1))
    _record_twins(signed_in, case)
    detail = signed_in.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "Record the death of Mia" in detail

    response = signed_in.post(
        reverse("baby_death_record", args=[case.id, 1]),
        {"died_on_day": "22", "died_on_month": "11", "died_on_year": "2026"},
        follow=True,
    )

    case.refresh_from_db()
    assert case.outcome == "live_birth"
    assert Baby.objects.get(case=case, birth_order=1).died_on == date(2026, 11, 22)
    page = response.content.decode()
    assert "22 November 2026" in page
    assert "Record the death of Mia" not in page
    assert case.milestones.filter(state="closed").count() == 0


@time_machine.travel(TODAY, tick=False)
def test_a_neonatal_death_after_the_birth_closes_the_case_and_keeps_what_was_done(
    signed_in, named_midwife, social_worker, make_case
):
    case = make_case(named_midwife, edd=date(2026, 12, 1), named_social_worker=social_worker)
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case,
        referral_date=date(2026, 10, 1), allocation_date=date(2026, 10, 2),
    )  # fmt: skip
    done_by_step(case, "intro_home_visit", date(2026, 10, 9))  # the visit, recorded
    _record_twins(signed_in, case)
    url = reverse("baby_death_record", args=[case.id, 2])
    first_death = {"died_on_day": "21", "died_on_month": "11", "died_on_year": "2026"}
    signed_in.post(reverse("baby_death_record", args=[case.id, 1]), first_death)

    # A date before the birth is refused, with what was typed kept.
    refused = signed_in.post(
        url, {"died_on_day": "19", "died_on_month": "11", "died_on_year": "2026"}
    ).content.decode()
    assert "must be on or after the date of birth, 20 November 2026" in refused
    assert 'value="19"' in refused
    assert "<title>Error: " in refused

    signed_in.post(url, {"died_on_day": "22", "died_on_month": "11", "died_on_year": "2026"})

    case.refresh_from_db()
    assert case.outcome == "neonatal_death"
    assert case.outcome_date == date(2026, 11, 22)
    assert case.birth_date == date(2026, 11, 20)
    states = dict(case.milestones.values_list("milestone_id", "state"))
    assert states["intro_home_visit"] == "done"
    assert states["referral"] == "done_late"
    assert states["checkpoint_30_day"] == "closed"
    assert "open" not in states.values()
    event = AuditEvent.objects.filter(event_type=AuditEventType.BABY_DEATH_RECORDED).first()
    assert event.extra_data["changes"]["outcome"] == {
        "before": "live_birth", "after": "neonatal_death"
    }  # fmt: skip
    page = signed_in.get(reverse("case_detail", args=[case.id])).content.decode()
    assert "This pregnancy ended with the death of the babies on 22 November 2026" in page
    assert signed_in.get(url).status_code == 404  # nothing more to record
    again = signed_in.post(url, {"died_on_day": "22", "died_on_month": "11",
                                 "died_on_year": "2026"})  # fmt: skip
    assert "death is already recorded" in again.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_adding_another_baby_keeps_what_was_typed(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2026, 12, 1))

    response = signed_in.post(
        reverse("outcome_record", args=[case.id]),
        {
            "babies": "1", "add_baby": "1", "outcome": "live_birth",
            "outcome_date_day": "20", "outcome_date_month": "11", "outcome_date_year": "2026",
            "baby_1_time": "23:50", "baby_1_sex": "female", "baby_1_given_name": "Mia",
        },
    )  # fmt: skip

    page = response.content.decode()
    assert response.context["form"].baby_count == 2
    assert not response.context["form"].errors
    assert "There is a problem" not in page
    for typed in ('value="20"', 'value="2026"', 'value="23:50"', 'value="Mia"'):
        assert typed in page
    assert 'value="live_birth" checked' in page
    assert 'name="baby_2_time"' in page
    case.refresh_from_db()
    assert case.outcome == ""


@pytest.mark.parametrize(
    ("now", "first", "second", "message"),
    [
        ((10, 0), "14:00", "13:50", "Enter the babies in the order they were born"),
        # Just after midnight: the second twin, born after midnight, would be in the future.
        ((0, 5), "23:50", "00:10", "The time of birth must be in the past"),
    ],
)
def test_times_of_birth_that_cannot_be_right_are_refused(
    signed_in, named_midwife, make_case, now, first, second, message
):
    case = make_case(named_midwife, edd=date(2026, 12, 1))
    with time_machine.travel(datetime(2026, 11, 23, *now, tzinfo=LONDON), tick=False):
        response = signed_in.post(
            reverse("outcome_record", args=[case.id]) + "?babies=2",
            {
                "babies": "2", "outcome": "live_birth",
                "outcome_date_day": "22", "outcome_date_month": "11", "outcome_date_year": "2026",
                "baby_1_time": first, "baby_1_sex": "female",
                "baby_2_time": second, "baby_2_sex": "male",
            },
        )  # fmt: skip

    assert message in response.content.decode()
    assert 'href="#id_baby_2_time"' in response.content.decode()
    case.refresh_from_db()
    assert case.outcome == ""


@time_machine.travel(TODAY, tick=False)
def test_the_neonatal_death_date_is_the_last_death_whatever_order_they_are_recorded_in(
    signed_in, named_midwife, make_case
):
    case = make_case(named_midwife, edd=date(2026, 12, 1))
    _record_twins(signed_in, case)
    for order, day in ((2, "22"), (1, "21")):
        signed_in.post(
            reverse("baby_death_record", args=[case.id, order]),
            {"died_on_day": day, "died_on_month": "11", "died_on_year": "2026"},
        )

    case.refresh_from_db()
    assert case.outcome == "neonatal_death"
    assert case.outcome_date == date(2026, 11, 22)
    assert case.display_name == "Baby of Kerry Ashdown"


@time_machine.travel(TODAY, tick=False)
def test_a_death_recorded_in_error_can_be_withdrawn_and_the_timeline_reopens(
    signed_in, named_midwife, make_case
):
    case = make_case(named_midwife, edd=date(2026, 12, 1))
    _record_twins(signed_in, case)
    open_before = set(case.milestones.filter(state="open").values_list("milestone_id", flat=True))
    died = {"died_on_day": "22", "died_on_month": "11", "died_on_year": "2026"}
    for order in (1, 2):
        signed_in.post(reverse("baby_death_record", args=[case.id, order]), died)
    case.refresh_from_db()
    assert case.outcome == "neonatal_death"
    url = reverse("baby_death_withdraw", args=[case.id, 2])

    no_reason = signed_in.post(url, {"reason": " "}).content.decode()
    assert "Enter why the record of this death is being withdrawn" in no_reason
    signed_in.post(url, {"reason": "Recorded against the wrong family"})

    case.refresh_from_db()
    assert case.outcome == "live_birth"
    assert case.outcome_date == date(2026, 11, 20)
    assert Baby.objects.get(case=case, birth_order=2).died_on is None
    assert Baby.objects.get(case=case, birth_order=1).died_on == date(2026, 11, 22)
    open_after = set(case.milestones.filter(state="open").values_list("milestone_id", flat=True))
    assert open_after == open_before != set()
    event = AuditEvent.objects.filter(event_type=AuditEventType.BABY_DEATH_WITHDRAWN).get()
    assert event.extra_data["reason"] == "Recorded against the wrong family"
    assert event.extra_data["changes"]["outcome"] == {
        "before": "neonatal_death", "after": "live_birth"
    }  # fmt: skip
    assert signed_in.get(url).status_code == 404  # nothing left to withdraw for baby 2
    # A second withdrawal from a page opened before the first: a message, not an error.
    again = signed_in.post(url, {"reason": "Recorded against the wrong family"})
    assert again.status_code == 200
    assert "No death is recorded for this baby" in again.content.decode()


def _post_twins(client, case, day, first, second):
    d, m, y = day.day, day.month, day.year
    return client.post(
        reverse("outcome_record", args=[case.id]) + "?babies=2",
        {
            "babies": "2", "outcome": "live_birth",
            "outcome_date_day": d, "outcome_date_month": m, "outcome_date_year": y,
            "baby_1_time": first, "baby_1_sex": "female",
            "baby_2_time": second, "baby_2_sex": "male",
        },
    )  # fmt: skip


@time_machine.travel(datetime(2027, 11, 20, 12, tzinfo=LONDON), tick=False)
@pytest.mark.parametrize(
    ("day", "first", "second", "minutes_apart"),
    [
        (date(2027, 11, 10), "08:00", "21:00", 13 * 60),  # a long labour, one day
        (date(2027, 10, 31), "01:50", "01:05", 15),  # 01:50 BST, then 01:05 GMT
        (date(2027, 3, 27), "23:40", "03:10", 150),  # over midnight and the spring change
    ],
)
def test_times_of_birth_are_real_intervals_across_midnight_and_clock_changes(
    signed_in, named_midwife, make_case, day, first, second, minutes_apart
):
    case = make_case(named_midwife, edd=day + timedelta(days=5))
    signed_in.force_login(named_midwife)  # the session from before the clock moved has expired

    assert _post_twins(signed_in, case, day, first, second).status_code == 302

    one, two = Baby.objects.filter(case=case)
    assert (two.born_at - one.born_at) == timedelta(minutes=minutes_apart)


@time_machine.travel(datetime(2027, 4, 20, 12, tzinfo=LONDON), tick=False)
def test_a_time_the_clocks_skipped_is_refused(signed_in, named_midwife, make_case):
    case = make_case(named_midwife, edd=date(2027, 4, 1))
    signed_in.force_login(named_midwife)

    page = _post_twins(signed_in, case, date(2027, 3, 28), "00:50", "01:30").content.decode()

    assert "There was no 1:30am on 28 March 2027" in page
    assert not Baby.objects.filter(case=case).exists()
