"""Restricted cases: seen only by the people named on the restriction, by no one else,
in the locality too; absent from every list, with the lists' query counts unchanged."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from cases import services as case_services
from cases.models import CaseRestriction
from cases.selectors import restrictions_overview, visible_cases
from meetings import action_log, exports
from meetings import services as meeting_services
from meetings.models import Meeting, MeetingStatus
from meetings.selectors import meeting_pack
from tests.meeting_fixtures import finalised_meeting

EDD = date(2027, 6, 10)
HIDDEN = "Hiddenfamily"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2027, 2, 15, 10, tzinfo=ZoneInfo("Europe/London")),
                             tick=False):  # fmt: skip
        yield


@pytest.fixture
def named_worker(make_user):
    """A Mendip social worker the restriction names."""
    return make_user("nina", RoleCode.SOCIAL_WORKER)


@pytest.fixture
def other_manager(make_user):
    """A Mendip team manager the restriction does not name."""
    return make_user("tina", RoleCode.TEAM_MANAGER)


def priyas_case(make_case, named_midwife, social_worker, family_name):
    case = make_case(named_midwife, edd=EDD, named_social_worker=social_worker,
                     family_name=family_name)  # fmt: skip
    case_services.case_facts_update(
        actor=social_worker, context=None, case=case,
        referral_date=date(2027, 1, 20), allocation_date=date(2027, 1, 21),
    )  # fmt: skip
    return case


@pytest.fixture
def hidden_case(make_case, named_midwife, social_worker):
    """Priya's case, referred and allocated: in her My work, the case list, the team and
    locality views. Restricted by a test when it wants it to be. Beside it another such
    case, never restricted, so no list is ever empty."""
    priyas_case(make_case, named_midwife, social_worker, "Shownfamily")
    return priyas_case(make_case, named_midwife, social_worker, HIDDEN)


def restrict(case, manager, *users, reason="The mother is a member of staff"):
    return case_services.case_restrict(
        actor=manager, context=None, case=case, users=[manager, *users], reason=reason
    )


def test_a_restricted_case_is_404_to_a_social_worker_of_its_locality_not_named(
    client, hidden_case, team_manager, social_worker
):
    restrict(hidden_case, team_manager)
    client.force_login(social_worker)  # named on the case, not on the restriction

    for name in ("case_detail", "case_timeline", "case_history", "case_details_change"):
        response = client.get(reverse(name, kwargs={"case_id": hidden_case.id}))
        assert response.status_code == 404, name


def test_a_restricted_case_is_seen_by_the_people_named(
    client, hidden_case, team_manager, named_worker
):
    restrict(hidden_case, team_manager, named_worker)
    client.force_login(named_worker)

    response = client.get(reverse("case_detail", kwargs={"case_id": hidden_case.id}))

    assert response.status_code == 200
    assert "Restricted" in response.content.decode()


def test_naming_someone_who_cannot_see_the_case_is_refused(hidden_case, team_manager, outsider):
    with pytest.raises(ValidationError, match="already see the case"):
        restrict(hidden_case, team_manager, outsider)
    assert not CaseRestriction.objects.exists()


def test_visible_cases_is_one_query_with_or_without_restrictions(
    hidden_case, make_case, named_midwife, social_worker, team_manager
):
    others = [make_case(named_midwife) for _ in range(3)]
    for case in others:
        restrict(case, team_manager)
    list(visible_cases(social_worker))  # the user's roles and localities, read once

    with CaptureQueriesContext(connection) as captured:
        seen = set(visible_cases(social_worker).values_list("id", flat=True))

    assert len(captured) == 1
    assert hidden_case.id in seen and not seen & {case.id for case in others}


# Every list the case would be in: (url name, who looks). The case is listed before it is
# restricted, gone after, and the page takes the same number of queries.
LISTS = [
    ("case_list", "social_worker", {}),
    ("case_list", "social_worker", {"q": "Kerry"}),
    ("my_work", "social_worker", {}),
    ("team", "other_manager", {}),
    ("locality", "other_manager", {}),
    ("locality", "social_worker", {}),
]


@pytest.mark.parametrize(("page", "who", "query"), LISTS)
def test_a_restricted_case_is_in_no_list_and_the_list_costs_the_same(
    client, request, hidden_case, team_manager, page, who, query
):
    viewer = request.getfixturevalue(who)
    client.force_login(viewer)

    def look() -> tuple[str, int]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(page), query)
        assert response.status_code == 200
        return response.content.decode(), len(captured)

    before, queries_before = look()
    restrict(hidden_case, team_manager)
    after, queries_after = look()

    assert HIDDEN in before and "Shownfamily" in before
    assert HIDDEN not in after and "Shownfamily" in after
    assert queries_after == queries_before


def test_the_named_people_see_it_in_the_case_list_tagged_restricted(
    client, hidden_case, team_manager
):
    restrict(hidden_case, team_manager)
    client.force_login(team_manager)

    page = client.get(reverse("case_list")).content.decode()

    assert HIDDEN in page
    assert 'govuk-tag--red">Restricted' in page


def test_a_restricted_case_is_not_in_the_allocation_queue(
    client, make_case, named_midwife, team_manager, other_manager
):
    case, _ = [make_case(named_midwife, edd=EDD, family_name=name) for name in (HIDDEN, "Shown")]
    for referred in (case, _):
        case_services.case_facts_update(
            actor=other_manager, context=None, case=referred, referral_date=date(2027, 2, 10)
        )
    client.force_login(other_manager)

    def look():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("allocation_queue"))
        return response.content.decode(), len(captured)

    before, queries_before = look()
    restrict(case, team_manager)
    after, queries_after = look()

    assert HIDDEN in before and HIDDEN not in after
    assert queries_after == queries_before


def test_registering_the_same_mother_does_not_show_a_restricted_match(
    hidden_case, team_manager, social_worker
):
    from cases.selectors import possible_duplicates

    restrict(hidden_case, team_manager)
    mother = {"nhs_number": hidden_case.mother.nhs_number, "given_name": "Kerry",
              "family_name": HIDDEN, "date_of_birth": date(1998, 7, 14)}  # fmt: skip

    found = possible_duplicates(social_worker, context=None, mother=mother)

    assert found.shown == ()
    assert found.elsewhere == (hidden_case.id,)  # counted, never shown


# Meetings: a restricted family is left out of the cohort, the pack, the record and the
# action log, for everyone (the meeting is shared across agencies).


@pytest.fixture
def meeting(db):
    return finalised_meeting(families=3, finalise=False)


def test_a_restricted_case_leaves_the_meeting_pack_and_its_exports(meeting, make_user):
    manager = make_user("mo", RoleCode.TEAM_MANAGER)
    hidden = meeting.cases[0]
    before = [pack.case.id for pack in meeting_pack(meeting.meeting)]
    with CaptureQueriesContext(connection) as captured:
        meeting_pack(meeting.meeting)
    queries_before = len(captured)

    restrict(hidden, manager)

    with CaptureQueriesContext(connection) as captured:
        after = [pack.case.id for pack in meeting_pack(meeting.meeting)]
    assert hidden.id in before and hidden.id not in after
    assert len(after) == len(before) - 1
    assert len(captured) == queries_before
    record = exports.meeting_record(meeting.meeting)
    assert hidden.reference not in {family.reference for family in record.families}


def test_a_restricted_case_is_not_proposed_for_a_cohort(meeting, make_user):
    manager = make_user("mo", RoleCode.TEAM_MANAGER)
    hidden = meeting.cases[0]
    restrict(hidden, manager)
    following = (
        meeting.next_meeting
        or Meeting.objects.filter(status=MeetingStatus.SCHEDULED)
        .exclude(pk=meeting.meeting.pk)
        .first()
    )

    meeting_services.cohort_propose(actor=meeting.chair, context=None, meeting=following)

    assert not following.discussions.filter(case=hidden).exists()
    assert following.discussions.exists()


def test_a_restricted_familys_actions_leave_the_action_log(client, meeting, make_user):
    manager = make_user("mo", RoleCode.TEAM_MANAGER)
    hidden = meeting.cases[0]
    viewer = meeting.operations_manager
    client.force_login(viewer)

    def look():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("action_log"), {"status": "all"})
        assert response.status_code == 200
        return response.context["page_obj"], len(captured)

    before, queries_before = look()
    restrict(hidden, manager)
    after, queries_after = look()

    assert hidden.id in {action.case_id for action in before}
    assert hidden.id not in {action.case_id for action in after}
    assert queries_after == queries_before
    assert not action_log.visible_actions(viewer).filter(case=hidden).exists()


# Who may restrict.


def test_social_workers_and_midwives_may_not_restrict(
    client, hidden_case, social_worker, named_midwife
):
    for user in (social_worker, named_midwife):
        client.force_login(user)
        response = client.get(reverse("case_restrict", kwargs={"case_id": hidden_case.id}))
        assert response.status_code == 403
        with pytest.raises(PermissionDenied):
            case_services.case_restrict(actor=user, context=None, case=hidden_case,
                                        users=[user], reason="x")  # fmt: skip


def test_a_manager_of_another_locality_gets_404(client, hidden_case, make_user):
    elsewhere = make_user("sid", RoleCode.TEAM_MANAGER, localities=("sedgemoor",))
    client.force_login(elsewhere)

    response = client.get(reverse("case_restrict", kwargs={"case_id": hidden_case.id}))

    assert response.status_code == 404


def test_a_manager_restricts_the_case_on_its_page_and_it_is_audited(
    client, hidden_case, team_manager, named_worker
):
    client.force_login(team_manager)
    url = reverse("case_restrict", kwargs={"case_id": hidden_case.id})
    assert client.get(url).status_code == 200

    response = client.post(url, {"users": [team_manager.pk, named_worker.pk],
                                 "reason": "Mother works in the team"})  # fmt: skip

    assert response.status_code == 302
    restriction = CaseRestriction.objects.get(case=hidden_case)
    assert set(restriction.users.all()) == {team_manager, named_worker}
    event = AuditEvent.objects.get(event_type=AuditEventType.CASE_RESTRICTED)
    assert event.case_id == hidden_case.id and event.actor == team_manager
    assert event.extra_data["users"] == ["mark", "nina"]

    client.post(url, {"users": [team_manager.pk], "reason": "Mother works in the team"})

    changed = AuditEvent.objects.get(event_type=AuditEventType.RESTRICTION_CHANGED)
    assert changed.extra_data["changes"]["users"] == {
        "before": ["mark", "nina"], "after": ["mark"]
    }  # fmt: skip
    assert list(restriction.users.all()) == [team_manager]


def test_a_reason_is_required(client, hidden_case, team_manager):
    client.force_login(team_manager)

    response = client.post(
        reverse("case_restrict", kwargs={"case_id": hidden_case.id}),
        {"users": [team_manager.pk], "reason": "  "},
    )

    assert response.status_code == 200
    assert "Enter why the case is restricted" in response.content.decode()
    assert not CaseRestriction.objects.exists()


def test_leaving_yourself_out_is_refused_until_you_confirm_you_lose_access(
    client, hidden_case, team_manager, named_worker
):
    client.force_login(team_manager)
    url = reverse("case_restrict", kwargs={"case_id": hidden_case.id})

    refused = client.post(url, {"users": [named_worker.pk], "reason": "Staff member"})
    assert "Choose yourself too" in refused.content.decode()
    assert not CaseRestriction.objects.exists()

    done = client.post(
        url, {"users": [named_worker.pk], "reason": "Staff member", "lose_access": "on"}
    )
    assert done.status_code == 302 and done["Location"] == reverse("case_list")
    assert client.get(reverse("case_detail", kwargs={"case_id": hidden_case.id})).status_code == 404


def test_the_overview_lists_restrictions_without_names(hidden_case, team_manager, named_worker):
    restrict(hidden_case, team_manager, named_worker)

    (row,) = restrictions_overview()

    assert row.reference == hidden_case.reference
    assert row.locality == "Mendip"
    assert row.named_users == 2
    assert row.restricted_by == team_manager.get_full_name()
    assert row.restricted_at.date() == date(2027, 2, 15)
    assert HIDDEN not in repr(row)


def test_overview_query_count_does_not_grow(
    make_case, named_midwife, team_manager, django_assert_num_queries
):
    for _ in range(3):
        restrict(make_case(named_midwife), team_manager)
    with django_assert_num_queries(1):
        assert len(restrictions_overview()) == 3


def test_the_chair_cannot_add_a_restricted_case_by_its_reference(client, meeting, make_user):
    manager = make_user("mo", RoleCode.TEAM_MANAGER)
    hidden = meeting.cases[0]
    restrict(hidden, manager)
    following = (
        Meeting.objects.filter(status=MeetingStatus.SCHEDULED)
        .exclude(pk=meeting.meeting.pk)
        .first()
    )
    client.force_login(meeting.chair)
    before = list(following.discussions.values_list("pk", "change"))

    response = client.post(reverse("cohort_add", args=[following.id]),
                           {"reference": hidden.reference, "reason": "Known to us"})  # fmt: skip

    assert "No case with that reference in Mendip" in response.content.decode()
    assert list(following.discussions.values_list("pk", "change")) == before


def test_the_meeting_page_and_pack_leave_a_restricted_family_out(client, meeting, make_user):
    manager = make_user("mo", RoleCode.TEAM_MANAGER)
    hidden = meeting.cases[0]
    client.force_login(meeting.chair)
    pages = [
        reverse(name, args=[meeting.meeting.id]) for name in ("meeting_detail", "meeting_pack")
    ]
    assert all(hidden.reference in client.get(url).content.decode() for url in pages)

    restrict(hidden, manager)

    for url in pages:
        page = client.get(url).content.decode()
        assert hidden.reference not in page and meeting.cases[1].reference in page


def test_a_manager_named_on_it_lifts_the_restriction_with_a_reason_audited(
    client, hidden_case, team_manager, social_worker
):
    restrict(hidden_case, team_manager)
    client.force_login(team_manager)
    url = reverse("case_unrestrict", kwargs={"case_id": hidden_case.id})

    refused = client.post(url, {"reason": ""})
    assert "Enter why the restriction is being lifted" in refused.content.decode()
    assert client.post(url, {"reason": "Staff member has left"}).status_code == 302

    assert not CaseRestriction.objects.exists()
    event = AuditEvent.objects.filter(event_type=AuditEventType.RESTRICTION_CHANGED).get()
    assert event.extra_data["lifted"] is True
    assert event.extra_data["before"]["users"] == ["mark"]
    client.force_login(social_worker)
    assert client.get(reverse("case_detail", kwargs={"case_id": hidden_case.id})).status_code == 200


def test_lifting_is_a_404_when_not_restricted_and_403_for_a_social_worker(
    client, hidden_case, team_manager, social_worker
):
    url = reverse("case_unrestrict", kwargs={"case_id": hidden_case.id})
    client.force_login(team_manager)
    assert client.get(url).status_code == 404
    client.force_login(social_worker)
    assert client.get(url).status_code == 403


def test_the_meeting_views_audit_row_names_only_the_families_shown(client, meeting, make_user):
    manager = make_user("mo", RoleCode.TEAM_MANAGER)
    hidden = meeting.cases[0]
    restrict(hidden, manager)
    client.force_login(meeting.chair)

    client.get(reverse("meeting_detail", args=[meeting.meeting.id]))

    row = AuditEvent.objects.filter(event_type=AuditEventType.MEETING_VIEWED).latest("pk")
    assert str(hidden.id) not in row.extra_data["case_ids"]
    assert str(meeting.cases[1].id) in row.extra_data["case_ids"]


@pytest.mark.parametrize("value", ["9" * 30, "\x00", "²", "-1", "abc"])
def test_a_person_who_is_not_a_user_id_is_refused_not_a_server_error(
    client, hidden_case, team_manager, value
):
    client.force_login(team_manager)

    response = client.post(
        reverse("case_restrict", kwargs={"case_id": hidden_case.id}),
        {"users": [value], "reason": "Staff member"},
    )

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not CaseRestriction.objects.exists()
