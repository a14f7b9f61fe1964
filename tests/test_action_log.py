"""The meeting action log (issue 8): open actions carry forward to the family's next
meeting until marked done (when, by whom); each owner sees theirs on My work; overdue
actions are drift on the Team and Locality pages; the log downloads as a CSV that a
spreadsheet cannot run."""

import csv
import io
from datetime import time, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType
from meetings import services
from meetings.models import Action, ActionStatus
from meetings.selectors import meeting_pack
from rules.dates import format_date

TODAY = timezone.localdate


@pytest.fixture
def jo(make_user):
    return make_user("jo", RoleCode.OPERATIONS_MANAGER)


@pytest.fixture
def maria(make_user):
    return make_user("maria", RoleCode.MIDWIFE)


@pytest.fixture
def nora(make_user):
    """The Named Midwife of Sedgemoor: chairs Sedgemoor's meetings, never Mendip's."""
    return make_user("nora", RoleCode.NAMED_MIDWIFE, localities=("sedgemoor",))


def _meeting(chair, locality, day):
    return services.meeting_schedule(
        actor=chair,
        context=None,
        locality=locality,
        details=services.MeetingDetails(day, time(10), time(12), chair, "Frome"),
    )[0]


def agree(chair, discussion, description, *, owner=None, agency="csc", due_in=14):
    return services.action_add(
        actor=chair, context=None, discussion=discussion, description=description,
        owner_agency=agency, due_date=TODAY() + timedelta(days=due_in), owner=owner,
    )  # fmt: skip


@pytest.fixture
def mendip(make_case, social_worker, named_midwife, locality):
    """A Mendip meeting three weeks ago with two families in its cohort."""
    kerry = make_case(social_worker, given_name="Kerry", family_name="Ashdown")
    lucy = make_case(social_worker, given_name="Lucy", family_name="Brent")
    meeting = _meeting(named_midwife, locality("mendip"), TODAY() - timedelta(days=21))
    return meeting, {d.case_id: d for d in meeting.discussions.all()}, kerry, lucy


@pytest.fixture
def actions(mendip, named_midwife, social_worker, maria):
    """Priya owns one overdue and one open action; Maria one; one is agreed for
    children's social care with no owner named; one is already done."""
    meeting, discussions, kerry, lucy = mendip
    helen = named_midwife
    made = {
        "overdue": agree(helen, discussions[kerry.pk], "Book the ICPC", owner=social_worker,
                         due_in=-3),
        "open": agree(helen, discussions[lucy.pk], "Visit both parents", owner=social_worker),
        "maria": agree(helen, discussions[kerry.pk], "Birth plan to the ward", owner=maria,
                       agency="midwifery", due_in=-1),
        "unowned": agree(helen, discussions[lucy.pk], "Name a social worker", due_in=-10),
        "done": agree(helen, discussions[lucy.pk], "Send the PLO letter", owner=social_worker),
    }  # fmt: skip
    services.action_update(actor=helen, context=None, action=made["done"], version=None,
                           status=ActionStatus.DONE)  # fmt: skip
    return made


@pytest.fixture
def sedgemoor_action(make_case, make_user, nora, locality):
    olly = make_user("olly2", RoleCode.SOCIAL_WORKER, localities=("sedgemoor",))
    case = make_case(olly, locality_slug="sedgemoor", given_name="Sara", family_name="Dunn")
    meeting = _meeting(nora, locality("sedgemoor"), TODAY() - timedelta(days=7))
    return agree(nora, meeting.discussions.get(case=case), "Sedgemoor's own", owner=olly,
                 due_in=-2)  # fmt: skip


def _log(client, **query):
    return client.get(reverse("action_log"), query)


def _descriptions(response) -> set[str]:
    return {action.description for action in response.context["page_obj"].object_list}


def _done(client, action, status="done", next_url="", version=None):
    return client.post(
        reverse("action_done"),
        {"action": action.id, "version": action.version if version is None else version,
         "status": status, "next": next_url},
    )  # fmt: skip


# Carry-forward onto the next meeting's pack.


def test_open_actions_carry_forward_to_the_next_meeting_until_done(
    mendip, actions, named_midwife, locality, client, social_worker
):
    meeting, _, kerry, lucy = mendip
    later = _meeting(named_midwife, locality("mendip"), TODAY() + timedelta(days=7))
    packs = {pack.case.pk: pack for pack in meeting_pack(later)}
    carried = {a.description for p in packs.values() for a in p.earlier_actions}
    # Open ones carry forward; one done before the next meeting does not.
    assert carried == {"Book the ICPC", "Visit both parents", "Birth plan to the ward",
                       "Name a social worker"}  # fmt: skip
    assert {a.description for a in packs[kerry.pk].earlier_actions} == {
        "Book the ICPC", "Birth plan to the ward"}  # fmt: skip
    assert all(not p.actions for p in packs.values())  # agreed earlier, not at this one
    # Marked done: gone from the next meeting's pack; the earlier meeting keeps it.
    client.force_login(social_worker)
    assert _done(client, actions["overdue"]).status_code == 302
    packs = {pack.case.pk: pack for pack in meeting_pack(later)}
    assert "Book the ICPC" not in {a.description for a in packs[kerry.pk].earlier_actions}
    first = {pack.case.pk: pack for pack in meeting_pack(meeting)}
    assert "Book the ICPC" in {a.description for a in first[kerry.pk].actions}
    # An action is not carried back to a meeting before the one that agreed it.
    earlier = _meeting(named_midwife, locality("mendip"), TODAY() - timedelta(days=50))
    assert not any(p.earlier_actions or p.actions for p in meeting_pack(earlier))


def test_the_next_meeting_page_shows_the_carried_actions(
    mendip, actions, named_midwife, locality, client
):
    later = _meeting(named_midwife, locality("mendip"), TODAY() + timedelta(days=7))
    client.force_login(named_midwife)
    page = client.get(reverse("meeting_detail", args=[later.id])).content.decode()
    assert "Actions from earlier meetings" in page
    assert "Book the ICPC" in page and "Send the PLO letter" not in page


# My work.


def test_the_owner_sees_their_open_actions_on_my_work_with_dates_and_overdue_tag(
    client, actions, social_worker, mendip
):
    meeting, _, kerry, lucy = mendip
    client.force_login(social_worker)
    response = client.get(reverse("my_work"))
    page = response.content.decode()
    assert "Your meeting actions" in page
    shown = [a.description for a in response.context["my_actions"].actions]
    assert shown == ["Book the ICPC", "Visit both parents"]  # earliest due first, open only
    assert "Unborn baby of Kerry Ashdown" in page
    assert f"Meeting of {format_date(meeting.date)}" in page
    assert format_date(actions["overdue"].due_date) in page
    assert format_date(actions["open"].due_date) in page
    assert page.count('govuk-tag govuk-tag--red">Overdue</strong>') == 1
    assert page.count(">Mark as done<") == 2
    assert "1</span> of your 2 meeting actions overdue" in page
    assert "Birth plan to the ward" not in page  # Maria's, not hers
    event = AuditEvent.objects.filter(extra_data__page="my_work_actions").get()
    assert event.actor == social_worker
    assert sorted(event.extra_data["case_ids"]) == sorted([str(kerry.pk), str(lucy.pk)])


def test_someone_with_no_actions_is_told_so_on_my_work(client, team_manager, actions):
    client.force_login(team_manager)
    page = client.get(reverse("my_work")).content.decode()
    assert "You have no open actions from tracking meetings" in page
    assert not AuditEvent.objects.filter(extra_data__page="my_work_actions").exists()


def test_marking_done_from_my_work_records_when_and_by_whom_and_comes_back(
    client, actions, social_worker
):
    client.force_login(social_worker)
    response = _done(client, actions["overdue"], next_url="/my-work/#meeting-actions")
    assert response.status_code == 302 and response["Location"] == "/my-work/#meeting-actions"
    action = Action.objects.get(pk=actions["overdue"].pk)
    assert (action.status, action.completed_on, action.completed_by) == (
        ActionStatus.DONE, TODAY(), social_worker)  # fmt: skip
    event = AuditEvent.objects.filter(event_type=AuditEventType.ACTION_CHANGED,
                                      actor=social_worker).get()  # fmt: skip
    assert event.case_id == action.case_id and event.extra_data["action"] == str(action.id)
    page = client.get(reverse("my_work")).content.decode()
    assert "Action marked as done" in page and "Book the ICPC" in page  # in the banner
    assert [a.description for a in client.get(reverse("my_work")).context["my_actions"].actions] \
        == ["Visit both parents"]  # fmt: skip


def test_an_action_can_be_marked_no_longer_needed_from_the_log(client, actions, named_midwife):
    client.force_login(named_midwife)
    response = _done(client, actions["unowned"], status="not_needed",
                     next_url="/meetings/actions/?status=all")  # fmt: skip
    assert response["Location"] == "/meetings/actions/?status=all"
    action = Action.objects.get(pk=actions["unowned"].pk)
    assert (action.status, action.completed_by) == (ActionStatus.NOT_NEEDED, named_midwife)
    page = client.get(response["Location"]).content.decode()
    assert "Action marked as no longer needed" in page and "No longer needed" in page


def test_a_change_made_meanwhile_is_not_overwritten(client, actions, social_worker, jo):
    stale = actions["open"].version
    services.action_update(
        actor=jo, context=None, action=actions["open"], version=stale,
        status=ActionStatus.OPEN, due_date=TODAY() + timedelta(days=30),
    )  # fmt: skip
    client.force_login(social_worker)
    response = _done(client, actions["open"], version=stale, next_url="/my-work/")
    assert response.status_code == 302
    assert Action.objects.get(pk=actions["open"].pk).status == ActionStatus.OPEN
    page = client.get("/my-work/").content.decode()
    assert "someone else updated the action" in page and "It is now open" in page


def test_marking_done_twice_says_it_was_already_done(client, actions, social_worker):
    client.force_login(social_worker)
    done = actions["done"]
    response = _done(client, done, next_url="/my-work/")
    assert response.status_code == 302
    page = client.get("/my-work/").content.decode()
    assert f"was already marked done on {format_date(TODAY())}" in page
    assert AuditEvent.objects.filter(event_type=AuditEventType.ACTION_CHANGED,
                                     actor=social_worker).count() == 0  # fmt: skip


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/x", "/\\evil.example", "http://testserver.evil/",
     "javascript:alert(1)", "my-work/", "/\t/evil.example", "/\n/evil.example",
     "///evil.example"],
)  # fmt: skip
def test_marking_done_never_redirects_off_site(client, actions, social_worker, next_url):
    client.force_login(social_worker)
    response = _done(client, actions["open"], next_url=next_url)
    assert response.status_code == 302 and response["Location"] == reverse("action_log")


# Who may see and change which actions.


def test_meeting_members_see_their_localitys_actions_and_owners_their_own(
    client, actions, sedgemoor_action, named_midwife, team_manager, social_worker, maria, nora,
    outsider,
):  # fmt: skip
    everything = {"status": "all"}
    mendip_all = {"Book the ICPC", "Visit both parents", "Birth plan to the ward",
                  "Name a social worker", "Send the PLO letter"}  # fmt: skip
    client.force_login(named_midwife)
    assert _descriptions(_log(client, **everything)) == mendip_all
    client.force_login(team_manager)  # a meeting reader
    assert _descriptions(_log(client, **everything)) == mendip_all
    client.force_login(social_worker)
    assert _descriptions(_log(client, **everything)) == {
        "Book the ICPC", "Visit both parents", "Send the PLO letter"}  # fmt: skip
    client.force_login(maria)
    assert _descriptions(_log(client, **everything)) == {"Birth plan to the ward"}
    client.force_login(nora)
    assert _descriptions(_log(client, **everything)) == {"Sedgemoor's own"}
    client.force_login(outsider)
    assert _descriptions(_log(client, **everything)) == set()


def test_the_log_offers_mark_as_done_only_to_who_may(
    client, actions, named_midwife, team_manager, social_worker
):
    client.force_login(team_manager)  # reads the locality's actions, updates none
    page = _log(client).content.decode()
    assert "Book the ICPC" in page and ">Mark as done<" not in page
    assert "Its owner or a meeting member marks it done" in page
    client.force_login(named_midwife)
    assert _log(client).content.decode().count(">Mark as done<") == 4  # every open one
    client.force_login(social_worker)
    assert _log(client).content.decode().count(">Mark as done<") == 2


def test_another_localitys_action_is_a_404_and_a_reader_who_may_not_change_it_a_403(
    client, actions, sedgemoor_action, nora, outsider, team_manager, social_worker
):
    for user in (nora, outsider):
        client.force_login(user)
        assert _done(client, actions["overdue"]).status_code == 404
    client.force_login(social_worker)  # not hers, and she is not a meeting member
    assert _done(client, actions["maria"]).status_code == 404
    assert _done(client, sedgemoor_action).status_code == 404
    client.force_login(team_manager)
    assert _done(client, actions["overdue"]).status_code == 403
    assert Action.objects.filter(status=ActionStatus.OPEN).count() == 5


@pytest.mark.parametrize(
    "data",
    [{}, {"action": "not-a-uuid", "version": "1", "status": "done"},
     {"action": "ACTION", "version": "x", "status": "done"},
     {"action": "ACTION", "version": "1", "status": "open"},
     {"action": "ACTION", "version": "-1", "status": "done"}],
)  # fmt: skip
def test_a_malformed_request_to_mark_done_is_refused_and_changes_nothing(
    client, actions, social_worker, data
):
    client.force_login(social_worker)
    data = {k: (str(actions["open"].id) if v == "ACTION" else v) for k, v in data.items()}
    assert client.post(reverse("action_done"), data).status_code == 400
    assert Action.objects.get(pk=actions["open"].pk).status == ActionStatus.OPEN


def test_marking_done_needs_a_post_with_the_csrf_token(actions, social_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(social_worker)
    assert client.get(reverse("action_done")).status_code == 405
    assert _done(client, actions["open"]).status_code == 403
    assert Action.objects.get(pk=actions["open"].pk).status == ActionStatus.OPEN


@pytest.mark.parametrize("name", ["action_log", "action_log_csv"])
def test_people_with_no_actions_to_own_are_refused_the_log(
    client, actions, analyst, administrator, guest, name
):
    for user in (analyst, administrator, guest):
        client.force_login(user)
        assert client.get(reverse(name)).status_code == 403, user
    client.logout()
    assert client.get(reverse(name)).status_code == 302  # to sign in


# The log page.


def test_the_log_filters_by_status_locality_agency_and_owner(
    client, actions, named_midwife, social_worker, locality
):
    client.force_login(named_midwife)
    assert _descriptions(_log(client)) == {  # open, by default
        "Book the ICPC",
        "Visit both parents",
        "Birth plan to the ward",
        "Name a social worker",
    }
    assert _descriptions(_log(client, status="overdue")) == {
        "Book the ICPC",
        "Birth plan to the ward",
        "Name a social worker",
    }
    assert _descriptions(_log(client, status="done")) == {"Send the PLO letter"}
    assert _descriptions(_log(client, agency="midwifery")) == {"Birth plan to the ward"}
    # Sedgemoor is not one of her localities: the filter is refused, the open ones shown.
    assert _descriptions(_log(client, locality=locality("sedgemoor").pk)) == {
        "Book the ICPC",
        "Visit both parents",
        "Birth plan to the ward",
        "Name a social worker",
    }
    assert _descriptions(_log(client, locality=locality("mendip").pk, status="all")) == {
        "Book the ICPC",
        "Visit both parents",
        "Birth plan to the ward",
        "Name a social worker",
        "Send the PLO letter",
    }
    assert _descriptions(_log(client, mine="on", status="all")) == set()
    client.force_login(social_worker)
    assert _descriptions(_log(client, mine="on", status="overdue")) == {"Book the ICPC"}


def test_the_log_page_shows_status_owner_and_dates_and_is_audited(
    client, actions, named_midwife, mendip
):
    meeting, _, kerry, lucy = mendip
    client.force_login(named_midwife)
    page = _log(client, status="all").content.decode()
    assert "5 actions" in page
    assert f"the meeting of {format_date(meeting.date)}" in page
    assert format_date(actions["open"].due_date) in page
    assert 'govuk-tag--red">Overdue<' in page and 'govuk-tag--green">Done<' in page
    assert f"{format_date(TODAY())} by Helen Tester" in page  # done on, by
    assert "Not named" in page and "Midwifery" in page
    assert "/meetings/actions.csv?status=all" in page
    event = AuditEvent.objects.filter(extra_data__page="action_log").get()
    assert event.event_type == AuditEventType.CASE_LIST_VIEWED
    assert sorted(event.extra_data["case_ids"]) == sorted([str(kerry.pk), str(lucy.pk)])
    assert event.extra_data["filters"] == {"status": "all"}


def test_the_meetings_list_links_to_the_action_log(client, named_midwife, guest):
    client.force_login(named_midwife)
    assert reverse("action_log") in client.get(reverse("meeting_list")).content.decode()
    client.force_login(guest)
    assert reverse("action_log") not in client.get(reverse("meeting_list")).content.decode()


# The CSV.


def _csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"), newline="")))


def test_the_csv_has_the_columns_and_is_safe_to_open_in_a_spreadsheet(
    client, mendip, named_midwife, social_worker, make_case
):
    meeting, discussions, kerry, _ = mendip
    formula = agree(named_midwife, discussions[kerry.pk],
                    '=HYPERLINK("http://evil.example","Click")', owner=social_worker,
                    due_in=-2)  # fmt: skip
    client.force_login(named_midwife)
    response = client.get(reverse("action_log_csv"), {"status": "all"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in [part.strip() for part in response["Cache-Control"].split(",")]
    assert response["Content-Disposition"] == (
        f'attachment; filename="action-log-{TODAY().isoformat()}.csv"')  # fmt: skip
    rows = _csv(response)
    assert rows[0] == ["Family reference", "Family (mother's name)", "Locality",
                       "Agreed at (meeting date)", "Action", "Owner", "Owner agency", "Due",
                       "Status", "Done on", "Done by"]  # fmt: skip
    assert rows[1:] == [[
        kerry.reference, "Kerry Ashdown", "Mendip", format_date(meeting.date),
        "'=HYPERLINK(\"http://evil.example\",\"Click\")", "Priya Tester",
        "Children's Social Care", format_date(formula.due_date), "Overdue", "", "",
    ]]  # fmt: skip
    event = AuditEvent.objects.filter(extra_data__page="action_log_csv").get()
    assert event.extra_data["case_ids"] == [str(kerry.pk)]


def test_the_csv_follows_the_filters_and_says_who_did_what(client, actions, named_midwife):
    client.force_login(named_midwife)
    rows = _csv(client.get(reverse("action_log_csv"), {"status": "done"}))
    assert len(rows) == 2
    assert rows[1][4:] == ["Send the PLO letter", "Priya Tester", "Children's Social Care",
                           format_date(actions["done"].due_date), "Done", format_date(TODAY()),
                           "Helen Tester"]  # fmt: skip
    rows = _csv(client.get(reverse("action_log_csv"), {"agency": "midwifery"}))
    assert [r[4] for r in rows[1:]] == ["Birth plan to the ward"]


def test_the_csv_neutralises_every_cell_not_only_the_action(
    client, make_case, social_worker, named_midwife, locality
):
    case = make_case(social_worker, given_name="@Kerry", family_name="+Ashdown")
    meeting = _meeting(named_midwife, locality("mendip"), TODAY() - timedelta(days=3))
    agree(named_midwife, meeting.discussions.get(case=case), "-1+1\n=2")
    client.force_login(named_midwife)
    (row,) = _csv(client.get(reverse("action_log_csv")))[1:]
    assert row[1] == "'@Kerry +Ashdown" and row[4] == "'-1+1\n=2"
    assert all(not cell or cell[0] not in "=+-@\t\r" for cell in row)


# Drift on the dashboards.


def test_overdue_actions_show_as_drift_on_the_locality_page(
    client, actions, sedgemoor_action, named_midwife, social_worker, locality
):
    client.force_login(named_midwife)
    response = client.get(reverse("locality"))
    page = response.content.decode()
    assert "Overdue meeting actions" in page
    (mendip,) = response.context["overdue_actions"]
    assert mendip.locality == locality("mendip") and mendip.total == 3
    assert mendip.by_agency == [("csc", "Children's Social Care", 2),
                                ("midwifery", "Midwifery", 1),
                                ("phn", "Public Health Nursing", 0)]  # fmt: skip
    assert f"?locality={locality('mendip').pk}&amp;agency=csc&amp;status=overdue" in page
    client.force_login(social_worker)  # sees her own on My work instead
    assert client.get(reverse("locality")).context["overdue_actions"] is None


def test_overdue_actions_show_per_social_worker_on_the_team_page(
    client, actions, team_manager, social_worker
):
    client.force_login(team_manager)
    load = {row["worker"]: row for row in client.get(reverse("team")).context["load"]}
    assert load[social_worker]["overdue_actions"] == 1
    assert "Overdue meeting actions" in client.get(reverse("team")).content.decode()


# Constant queries.


def _grow_to(n, mendip, named_midwife, social_worker, make_case):
    """`n` open actions owned by Priya, over one more family for every three."""
    meeting, discussions, *_ = mendip
    for i in range(n // 3):
        make_case(social_worker, given_name=f"Extra{i}", family_name="Family")
    services.cohort_propose(actor=named_midwife, context=None, meeting=meeting)
    families = list(meeting.discussions.all())
    for i in range(n - Action.objects.count()):
        agree(named_midwife, families[i % len(families)], f"Action {i}", owner=social_worker,
              due_in=(i % 7) - 3)  # fmt: skip


@pytest.mark.parametrize(
    ("url", "who"),
    [("/meetings/actions/?status=all", "helen"), ("/meetings/actions.csv?status=all", "helen"),
     ("/my-work/", "priya")],
)  # fmt: skip
def test_the_log_the_csv_and_my_work_read_a_fixed_number_of_queries(
    client, mendip, named_midwife, social_worker, make_case, url, who
):
    client.force_login({"helen": named_midwife, "priya": social_worker}[who])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _grow_to(3, mendip, named_midwife, social_worker, make_case)
    with_3 = count()
    _grow_to(30, mendip, named_midwife, social_worker, make_case)
    assert Action.objects.count() == 30
    assert count() == with_3
