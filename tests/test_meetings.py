"""Tracking meetings in the service: scheduling, the cohort, recording every family on
one page without losing anything, two members at once, finalising and addenda."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases.models import CscInput
from meetings import services
from meetings.models import Action, Addendum, CohortChange, Discussion, Meeting, Theme


@pytest.fixture
def jo(make_user):
    return make_user("jo", RoleCode.OPERATIONS_MANAGER)


@pytest.fixture
def sam(make_user):
    return make_user("sam", RoleCode.NAMED_PHN)


def _next_weekday(weekday: int, weeks_ahead: int = 1) -> date:
    today = timezone.localdate()
    return today + timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks_ahead)


def _date_fields(prefix: str, day: date) -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


def _schedule(client, locality, helen, members, day, repeat=1, **overrides):
    data = {
        "kind": "tracking",
        "locality": locality("mendip").pk,
        **_date_fields("date", day),
        "start_time": "10am",
        "end_time": "12pm",
        "venue": "Frome Medical Centre, room 2",
        "online_link": "",
        "chair": helen.pk,
        "members": [m.pk for m in members],
        "repeat": repeat,
        **overrides,
    }
    return client.post(reverse("meeting_schedule"), data)


@pytest.fixture
def cases(make_case, social_worker):
    """Three Mendip families open to CSC (in the cohort by rule), one not open (out)."""
    return {
        "kerry": make_case(social_worker, given_name="Kerry", family_name="Ashdown"),
        "lucy": make_case(
            social_worker,
            given_name="Lucy",
            family_name="Brent",
            csc_input=CscInput.CHILD_PROTECTION,
        ),  # fmt: skip
        "zara": make_case(
            social_worker, given_name="Zara", family_name="Coombe", csc_input=CscInput.CHILD_IN_NEED
        ),  # fmt: skip
        "none": make_case(
            social_worker, given_name="Nina", family_name="Dunster", csc_input=CscInput.NONE
        ),  # fmt: skip
    }


@pytest.fixture
def meeting(client, locality, named_midwife, jo, sam, cases):
    client.force_login(named_midwife)
    response = _schedule(client, locality, named_midwife, [jo, sam], _next_weekday(1))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Meeting.objects.get()


def test_scheduling_invites_members_and_proposes_the_cohort_by_rule(meeting, cases, named_midwife):
    members = {m.user.username: m.role for m in meeting.members.all()}
    assert members == {"helen": "chair", "jo": "operations_manager", "sam": "named_phn"}
    in_cohort = {d.case_id for d in meeting.discussions.all()}
    assert in_cohort == {cases["kerry"].pk, cases["lucy"].pk, cases["zara"].pk}
    assert all(d.rule_reason for d in meeting.discussions.all())
    assert AuditEvent.objects.filter(event_type=AuditEventType.MEETING_SCHEDULED).count() == 1


def test_a_monthly_series_keeps_the_weekday_of_the_month(client, locality, named_midwife, jo):
    client.force_login(named_midwife)
    first = _next_weekday(1, weeks_ahead=2)
    assert _schedule(client, locality, named_midwife, [jo], first, repeat=3).status_code == 302
    meetings = list(Meeting.objects.order_by("date"))
    assert len(meetings) == 3 and meetings[0].date == first
    assert {m.date.weekday() for m in meetings} == {1}
    assert len({m.series for m in meetings}) == 1 and meetings[0].series is not None


def test_bad_scheduling_is_reshown_with_what_was_typed(client, locality, named_midwife, jo):
    client.force_login(named_midwife)
    response = _schedule(client, locality, named_midwife, [jo], _next_weekday(2),
                         start_time="3pm", end_time="2pm", venue="Somewhere typed")  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and "The end time must be after the start time" in page
    assert 'value="Somewhere typed"' in page
    response = _schedule(client, locality, named_midwife, [jo], _next_weekday(2), venue="")
    assert "Enter a venue or an online meeting link" in response.content.decode()
    assert not Meeting.objects.exists()


def test_only_chairs_schedule_and_other_localities_get_404(
    client, meeting, social_worker, make_user
):
    client.force_login(social_worker)
    assert client.get(reverse("meeting_schedule")).status_code == 403
    assert client.get(reverse("meeting_detail", args=[meeting.id])).status_code == 403
    elsewhere = make_user("nora", RoleCode.NAMED_MIDWIFE, localities=("sedgemoor",))
    client.force_login(elsewhere)
    for name in ("meeting_detail", "meeting_pack", "cohort_add", "meeting_finalise"):
        assert client.get(reverse(name, args=[meeting.id])).status_code == 404, name


def _family_data(discussion, **values) -> dict:
    prefix = f"f{discussion.pk}"
    data = {
        f"{prefix}-version": discussion.version,
        f"{prefix}-current_concerns": discussion.current_concerns,
        f"{prefix}-key_points": discussion.key_points,
        f"{prefix}-level_of_csc_input": discussion.level_of_csc_input,
        f"{prefix}-other_themes": "",
    }
    data.update({f"{prefix}-{k}": v for k, v in values.items()})
    return data


def _page_data(meeting, **families) -> dict:
    data = {}
    for discussion in meeting.discussions.all():
        data.update(_family_data(discussion, **families.get(str(discussion.pk), {})))
    return data


def test_saving_one_family_keeps_what_was_typed_for_the_others(client, meeting, cases):
    kerry, lucy, _ = list(meeting.discussions.order_by("position"))
    housing = Theme.objects.get(code="housing")
    due = timezone.localdate() + timedelta(days=14)
    data = _page_data(
        meeting,
        **{
            str(kerry.pk): {
                "current_concerns": "Domestic abuse disclosed",
                "key_points": "Father not engaging\n- ICPC to be booked",
                "themes": [housing.pk],
            },  # fmt: skip
            # An action with no agency: this family's box is wrong.
            str(lucy.pk): {
                "current_concerns": "Typed for Lucy",
                "action_description": "Book the ICPC",
                **_date_fields("action_due", due),
            },  # fmt: skip
        },
    )
    response = client.post(reverse("meeting_detail", args=[meeting.id]), {**data, "save": kerry.pk})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Select the agency that owns the action" in page
    assert "Typed for Lucy" in page and "Book the ICPC" in page  # re-shown as typed
    kerry.refresh_from_db()
    assert kerry.current_concerns == "Domestic abuse disclosed"
    assert kerry.key_point_list == ["Father not engaging", "ICPC to be booked"]
    assert list(kerry.themes.all()) == [housing]
    lucy.refresh_from_db()
    assert lucy.current_concerns == "" and not Action.objects.exists()


def test_an_action_and_supervision_are_recorded_and_audited(client, meeting, cases, jo):
    kerry = meeting.discussions.order_by("position").first()
    due = timezone.localdate() + timedelta(days=14)
    supervised = timezone.localdate() - timedelta(days=40)
    data = _page_data(meeting, **{str(kerry.pk): {
        "action_description": "Book the ICPC", "action_agency": "csc",
        "action_owner": jo.pk, **_date_fields("action_due", due),
        **_date_fields("supervision_csc", supervised)}})  # fmt: skip
    response = client.post(reverse("meeting_detail", args=[meeting.id]), data)
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.owner, action.owner_agency, action.due_date) == (jo, "csc", due)
    assert kerry.case.supervisions.get().supervised_on == supervised
    page = client.get(reverse("meeting_detail", args=[meeting.id])).content.decode()
    assert "Over 4 weeks" in page  # 40 days ago is stale
    events = set(AuditEvent.objects.filter(case=kerry.case).values_list("event_type", flat=True))
    assert {AuditEventType.ACTION_CHANGED, AuditEventType.SUPERVISION_RECORDED} <= events
    # Saving the page again unchanged adds nothing.
    before = AuditEvent.objects.filter(case=kerry.case).count()
    response = client.post(reverse("meeting_detail", args=[meeting.id]), _page_data(meeting))
    assert response.status_code == 302
    assert Action.objects.count() == 1 and kerry.case.supervisions.count() == 1
    writes = AuditEvent.objects.filter(case=kerry.case).exclude(
        event_type__in=[AuditEventType.MEETING_VIEWED]
    )
    assert writes.count() == before


def test_two_members_typing_at_once_are_not_silently_overwritten(
    client, meeting, cases, named_midwife, sam
):
    kerry = meeting.discussions.order_by("position").first()
    seen = _page_data(meeting)  # both opened the page at version 0
    services.discussion_record(
        actor=sam, context=None, discussion=kerry, version=0,
        record=services.DiscussionRecord("Sam's concerns", "", kerry.level_of_csc_input,
                                         frozenset()),
    )  # fmt: skip
    seen[f"f{kerry.pk}-current_concerns"] = "Helen's concerns"
    response = client.post(reverse("meeting_detail", args=[meeting.id]), seen)
    page = response.content.decode()
    assert response.status_code == 200
    assert "saved this family's record while you were typing" in page
    assert "Helen&#x27;s concerns" in page and "Sam&#x27;s concerns" in page
    kerry.refresh_from_db()
    assert kerry.current_concerns == "Sam's concerns"
    # Saving again, having seen Sam's, overwrites deliberately.
    seen[f"f{kerry.pk}-version"] = kerry.version
    assert client.post(reverse("meeting_detail", args=[meeting.id]), seen).status_code == 302
    kerry.refresh_from_db()
    assert kerry.current_concerns == "Helen's concerns"


def test_the_chair_changes_the_cohort_with_a_reason(client, meeting, cases):
    url = reverse("cohort_add", args=[meeting.id])
    response = client.post(url, {"reference": cases["none"].reference, "reason": ""})
    assert "Enter why you are changing the cohort" in response.content.decode()
    reference = cases["none"].reference.removeprefix("PB-")  # typed without "PB-"
    response = client.post(url, {"reference": reference, "reason": "Known to CSC via LCS"})
    assert response.status_code == 302
    added = meeting.discussions.get(case=cases["none"])
    assert (added.change, added.change_reason) == (CohortChange.ADDED, "Known to CSC via LCS")
    zara = meeting.discussions.get(case=cases["zara"])
    remove = reverse("cohort_remove", args=[meeting.id, zara.pk])
    assert client.post(remove, {"reason": "Moved to Sedgemoor"}).status_code == 302
    zara.refresh_from_db()
    assert not zara.in_cohort and zara.change_reason == "Moved to Sedgemoor"
    page = client.get(reverse("meeting_detail", args=[meeting.id])).content.decode()
    assert "Moved to Sedgemoor" in page and "Known to CSC via LCS" in page
    # Proposing again keeps the chair's decisions.
    client.post(reverse("cohort_propose", args=[meeting.id]))
    assert not Discussion.objects.get(pk=zara.pk).in_cohort
    assert Discussion.objects.get(pk=added.pk).in_cohort


def test_finalised_records_are_locked_and_corrected_by_addenda(client, meeting, cases, jo):
    client.post(reverse("meeting_finalise", args=[meeting.id]))
    meeting.refresh_from_db()
    assert meeting.is_finalised
    client.force_login(jo)
    response = client.post(reverse("meeting_detail", args=[meeting.id]), _page_data(meeting))
    assert response.status_code == 403
    kerry = meeting.discussions.order_by("position").first()
    url = reverse("addendum_add", args=[meeting.id])
    response = client.post(url, {"family": kerry.pk, "text": "EDD was 3 June", "reason": ""})
    assert "Enter why" in response.content.decode()
    response = client.post(url, {"family": kerry.pk, "text": "EDD was 3 June",
                                 "reason": "Typed wrongly in the meeting"})  # fmt: skip
    assert response.status_code == 302
    addendum = Addendum.objects.get()
    assert (addendum.recorded_by, addendum.discussion) == (jo, kerry)
    assert AuditEvent.objects.filter(event_type=AuditEventType.ADDENDUM_ADDED, actor=jo).exists()
    assert (
        "Typed wrongly in the meeting"
        in client.get(reverse("meeting_detail", args=[meeting.id])).content.decode()
    )


def test_the_meeting_page_reads_a_fixed_number_of_queries(
    client, meeting, make_case, social_worker, named_midwife
):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("meeting_detail", args=[meeting.id])).status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        make_case(social_worker, given_name=f"Extra{n}", csc_input=CscInput.CHILD_IN_NEED)
    services.cohort_propose(actor=named_midwife, context=None, meeting=meeting)
    assert meeting.discussions.count() == 11
    assert count() == few


def test_with_javascript_a_family_saves_as_it_is_typed(client, meeting, cases, sam):
    kerry = meeting.discussions.order_by("position").first()
    url = reverse("meeting_detail", args=[meeting.id])
    typed = {**_family_data(kerry, current_concerns="Typing…", action_description="Half an"),
             "autosave": kerry.pk}  # fmt: skip
    result = client.post(url, typed).json()
    assert result["saved"] and result["version"] == 1
    kerry.refresh_from_db()
    assert kerry.current_concerns == "Typing…"
    assert not Action.objects.exists()  # a half-typed action waits for the Save button
    # Sam saves meanwhile; the next autosave with the old version is refused, not lost.
    services.discussion_record(
        actor=sam, context=None, discussion=kerry, version=1,
        record=services.DiscussionRecord("Sam's", "", kerry.level_of_csc_input, frozenset()),
    )  # fmt: skip
    typed[f"f{kerry.pk}-version"] = 1
    typed[f"f{kerry.pk}-current_concerns"] = "Typing more"
    result = client.post(url, typed).json()
    assert not result["saved"] and "changed this family's record meanwhile" in result["message"]
    kerry.refresh_from_db()
    assert kerry.current_concerns == "Sam's"


def test_a_level_changed_at_the_meeting_is_flagged_and_leaves_the_case_to_csc(
    client, meeting, cases
):
    kerry = meeting.discussions.get(case=cases["kerry"])
    data = _page_data(meeting, **{str(kerry.pk): {"level_of_csc_input": CscInput.CHILD_PROTECTION}})

    response = client.post(reverse("meeting_detail", args=[meeting.id]), {**data, "save": kerry.pk})

    assert response.status_code == 302
    kerry.refresh_from_db()
    cases["kerry"].refresh_from_db()
    assert kerry.level_of_csc_input == CscInput.CHILD_PROTECTION
    assert cases["kerry"].csc_input == CscInput.ASSESSMENT
    page = client.get(reverse("meeting_detail", args=[meeting.id])).content.decode()
    assert "Meeting recorded Child Protection plan" in page
    assert reverse("case_details_change", args=[cases["kerry"].id]) in page


def test_a_family_posted_without_its_version_is_refused_and_the_others_saved(
    client, meeting, cases, named_midwife
):
    """Without the version a save made meanwhile could not be caught: the family is not
    saved, the page says why and carries the version now, so saving again works."""
    kerry, other = meeting.discussions.order_by("position")[:2]
    data = _page_data(meeting)
    data.pop(f"f{kerry.pk}-version")
    data[f"f{kerry.pk}-current_concerns"] = "Typed on a page kept from before"
    data[f"f{other.pk}-current_concerns"] = "Saved with its version"
    client.force_login(named_midwife)

    response = client.post(reverse("meeting_detail", args=[meeting.id]), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "did not say which version" in page and "govuk-error-summary" in page
    assert "Typed on a page kept from before" in page
    kerry.refresh_from_db()
    other.refresh_from_db()
    assert kerry.current_concerns != "Typed on a page kept from before"
    assert other.current_concerns == "Saved with its version"
    assert f'name="f{kerry.pk}-version" value="{kerry.version}"' in page
    data[f"f{kerry.pk}-version"] = kerry.version
    data[f"f{other.pk}-version"] = other.version
    assert client.post(reverse("meeting_detail", args=[meeting.id]), data).status_code == 302
    kerry.refresh_from_db()
    assert kerry.current_concerns == "Typed on a page kept from before"
