"""The pre-birth liaison meeting with the specialist midwives (the procedure's first
paragraph): its three lists proposed by rule, recorded on the same page as a tracking
meeting, with the threshold for assessment discussed."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleCode
from cases.models import CscInput
from meetings.models import Discussion, Meeting, MeetingKind
from meetings.services import liaison_period_start


@pytest.fixture
def families(make_case, social_worker, make_user):
    today = timezone.localdate()
    elsewhere = make_user("olly", RoleCode.SOCIAL_WORKER, localities=("sedgemoor",))
    return {
        # 25+5 weeks, never referred.
        "unreferred": make_case(social_worker, given_name="Una", family_name="Rees",
                                edd=today + timedelta(days=100), csc_input=CscInput.NONE),
        # Referred 5 days ago at 20+0: late, in the period.
        "late": make_case(social_worker, given_name="Lara", family_name="Tate",
                          edd=today + timedelta(days=135), referral_date=today - timedelta(days=5)),
        # Referred 60 days ago at 12+0, never allocated: its allocation is overdue.
        "stuck": make_case(social_worker, given_name="Stella", family_name="Kirk",
                           edd=today + timedelta(days=136),
                           referral_date=today - timedelta(days=60)),
        # Referred and allocated today at 12+0: nothing to discuss.
        "on_track": make_case(social_worker, given_name="Olive", family_name="Nash",
                              edd=today + timedelta(days=196), referral_date=today,
                              allocation_date=today),
        "closed": make_case(social_worker, given_name="Clare", family_name="Shaw",
                            csc_input=CscInput.CLOSED),
        "sedgemoor": make_case(elsewhere, locality_slug="sedgemoor", given_name="Sian",
                               family_name="Moor", csc_input=CscInput.NONE),
    }  # fmt: skip


def _schedule_liaison(client, locality, helen, day):
    return client.post(
        reverse("meeting_schedule"),
        {
            "kind": "liaison",
            "locality": locality("mendip").pk,
            "date_day": day.day,
            "date_month": day.month,
            "date_year": day.year,
            "start_time": "2pm",
            "end_time": "3pm",
            "venue": "Maternity unit, seminar room",
            "online_link": "",
            "chair": helen.pk,
            "repeat": 1,
        },
    )


@pytest.fixture
def liaison(client, locality, named_midwife, families):
    client.force_login(named_midwife)
    response = _schedule_liaison(client, locality, named_midwife, timezone.localdate())
    assert response.status_code == 302, response.content.decode()[:3000]
    return Meeting.objects.get(kind=MeetingKind.LIAISON)


def test_the_three_lists_are_proposed_by_rule(liaison, families):
    lists = {d.case_id: (d.liaison_list, d.rule_reason) for d in liaison.discussions.all()}

    assert set(lists) == {families[n].pk for n in ("unreferred", "late", "stuck")}
    assert lists[families["unreferred"].pk][0] == "not_referred"
    assert lists[families["unreferred"].pk][1].startswith("Not yet referred: 25+5 weeks pregnant;")
    assert lists[families["late"].pk][0] == "late_referral"
    assert "at 20+0 weeks, 28 days after 16+0" in lists[families["late"].pk][1]
    assert lists[families["stuck"].pk] == ("not_progressing", "Referred: 1 overdue milestone")
    in_order = [d.liaison_list for d in liaison.discussions.order_by("position")]
    assert in_order == ["not_referred", "late_referral", "not_progressing"]


def test_the_page_shows_each_list_under_its_heading_and_records_the_threshold(
    client, liaison, families
):
    page = client.get(reverse("meeting_detail", args=[liaison.id])).content.decode()

    assert "Pre-birth liaison meeting" in page
    headings = ["not yet referred", "Late referrals", "Referred, and plans not progressing"]
    assert all(heading in page for heading in headings)
    assert [page.index(h) for h in headings] == sorted(page.index(h) for h in headings)
    assert "Threshold for assessment" in page

    discussion = liaison.discussions.get(case=families["unreferred"])
    data = {"save": str(discussion.pk)}
    for each in liaison.discussions.all():
        prefix = f"f{each.pk}"
        data.update({
            f"{prefix}-version": each.version,
            f"{prefix}-current_concerns": "",
            f"{prefix}-key_points": "",
            f"{prefix}-threshold_notes": "",
            f"{prefix}-level_of_csc_input": each.level_of_csc_input,
            f"{prefix}-other_themes": "",
        })  # fmt: skip
    prefix = f"f{discussion.pk}"
    data[f"{prefix}-current_concerns"] = "Booked late; housing unsettled"
    data[f"{prefix}-threshold_notes"] = "Meets the threshold: refer today"
    response = client.post(reverse("meeting_detail", args=[liaison.id]), data)

    assert response.status_code == 302
    discussion.refresh_from_db()
    assert discussion.threshold_notes == "Meets the threshold: refer today"
    assert discussion.current_concerns == "Booked late; housing unsettled"


def test_a_tracking_meeting_has_no_threshold_field_and_keeps_its_title(
    client, liaison, named_midwife
):
    tracking = Meeting.objects.create(
        kind=MeetingKind.TRACKING, locality=liaison.locality, date=liaison.date,
        start_time=liaison.start_time, end_time=liaison.end_time, chair=named_midwife,
        created_by=named_midwife,
    )  # fmt: skip
    page = client.get(reverse("meeting_detail", args=[tracking.id])).content.decode()

    assert "Pre-birth tracking meeting," in page
    assert "Threshold for assessment" not in page


def test_late_referrals_are_counted_since_the_previous_liaison_meeting(liaison, named_midwife):
    later = Meeting.objects.create(
        kind=MeetingKind.LIAISON, locality=liaison.locality, date=liaison.date + timedelta(days=35),
        start_time=liaison.start_time, end_time=liaison.end_time, chair=named_midwife,
        created_by=named_midwife,
    )  # fmt: skip
    # A tracking meeting in between does not start a liaison meeting's period.
    between = liaison.date + timedelta(days=20)
    tracking = Meeting.objects.create(
        kind=MeetingKind.TRACKING, locality=liaison.locality, date=between,
        start_time=liaison.start_time, end_time=liaison.end_time, chair=named_midwife,
        created_by=named_midwife,
    )  # fmt: skip

    assert liaison_period_start(later) == liaison.date
    assert liaison_period_start(liaison) == liaison.date - timedelta(weeks=4)
    assert tracking.date > liaison.date


def test_proposing_again_keeps_what_was_recorded_and_adds_no_one_twice(client, liaison, families):
    discussion = liaison.discussions.get(case=families["stuck"])
    Discussion.objects.filter(pk=discussion.pk).update(threshold_notes="Discussed", version=1)

    response = client.post(reverse("cohort_propose", args=[liaison.id]))

    assert response.status_code == 302
    assert liaison.discussions.count() == 3
    assert liaison.discussions.filter(pk=discussion.pk, threshold_notes="Discussed").exists()


def test_a_social_worker_cannot_schedule_and_another_locality_gets_404(
    client, liaison, social_worker, make_user
):
    client.force_login(social_worker)
    assert client.get(reverse("meeting_detail", args=[liaison.id])).status_code == 403
    client.force_login(make_user("nora", RoleCode.NAMED_MIDWIFE, localities=("sedgemoor",)))
    assert client.get(reverse("meeting_detail", args=[liaison.id])).status_code == 404


def test_a_liaison_meetings_record_has_its_own_title_and_the_families(client, liaison, families):
    import io

    from docx import Document

    response = client.get(reverse("meeting_record_docx", args=[liaison.id]))

    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Pre-birth liaison meeting with the specialist midwives" in text
    assert "Senior Leads" not in text
    rows = [row.cells[0].text for row in document.tables[0].rows[1:]]
    assert len(rows) == 3
    assert any("Una Rees" in row for row in rows)
