"""Every read and change of a case is audited, and the audit log cannot be rewritten."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from accounts.models import RoleCode
from audit.models import AuditEvent, AuditEventType, AuditImmutableError


def test_every_case_view_creates_an_audit_row(client, social_worker, named_midwife, make_case):
    case = make_case(named_midwife)
    client.force_login(social_worker)

    client.get(reverse("case_detail", args=[case.id]))
    client.get(reverse("case_detail", args=[case.id]))

    views = AuditEvent.objects.filter(case=case, event_type=AuditEventType.CASE_VIEWED)
    assert views.count() == 2
    event = views.first()
    assert event.actor == social_worker
    assert event.actor_username == "priya"
    assert event.ip_address == "127.0.0.1"
    assert event.path == reverse("case_detail", args=[case.id])


def test_registering_a_case_records_every_field_as_a_change(named_midwife, make_case):
    case = make_case(named_midwife, family_name="Ashdown")

    event = AuditEvent.objects.get(case=case, event_type=AuditEventType.CASE_CREATED)

    assert event.extra_data["changes"]["mother.family_name"] == {
        "before": None,
        "after": "Ashdown",
    }
    assert event.extra_data["changes"]["edd"]["after"] == case.edd.isoformat()


def test_a_change_records_field_level_before_and_after(
    client, social_worker, named_midwife, make_case
):
    case = make_case(named_midwife)
    client.force_login(social_worker)
    data = {
        "locality": case.locality_id,
        "csc_input": "child_protection",
        "identified_source": case.identified_source,
        "identified_date_day": case.identified_date.day,
        "identified_date_month": case.identified_date.month,
        "identified_date_year": case.identified_date.year,
        "named_social_worker": social_worker.id,
        "version": case.version,
    }

    response = client.post(reverse("case_details_change", args=[case.id]), data)

    assert response.status_code == 302
    event = AuditEvent.objects.get(case=case, event_type=AuditEventType.CASE_CHANGED)
    assert event.extra_data["changes"] == {
        "csc_input": {"before": "assessment", "after": "child_protection"},
        "named_social_worker": {"before": None, "after": str(social_worker)},
    }


def test_an_audit_row_cannot_be_changed_or_deleted_through_the_orm(named_midwife, make_case):
    case = make_case(named_midwife)
    event = AuditEvent.objects.filter(case=case).first()

    event.event_type = AuditEventType.CASE_VIEWED
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(case=case).update(event_type="case_viewed")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(case=case).delete()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET event_type = 'case_viewed'",
        "DELETE FROM audit_auditevent",
    ],
)
def test_the_database_itself_refuses_to_change_or_delete_audit_rows(
    named_midwife, make_case, statement
):
    make_case(named_midwife)
    before = AuditEvent.objects.count()

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)

    assert AuditEvent.objects.count() == before


def test_a_team_manager_sees_who_viewed_a_case(
    client, social_worker, team_manager, named_midwife, make_case
):
    case = make_case(named_midwife)
    client.force_login(social_worker)
    client.get(reverse("case_detail", args=[case.id]))
    client.force_login(team_manager)

    page = client.get(reverse("case_audit", args=[case.id])).content.decode()

    assert "Priya Tester" in page
    assert "Viewed the case" in page
    assert "Registered the case" in page
    assert AuditEvent.objects.filter(
        case=case, actor=team_manager, event_type=AuditEventType.AUDIT_VIEWED
    ).exists()


def test_the_audit_page_shows_the_lists_that_showed_the_case_and_only_those(
    client, social_worker, team_manager, named_midwife, make_case
):
    """A list's row names every case it showed (extra_data["case_ids"]); the case's audit
    page finds it through the appearances index, naming the list, and the list that
    showed only another case is not there."""
    case = make_case(named_midwife)
    other = make_case(named_midwife, family_name="Elsewhere")
    client.force_login(social_worker)
    client.get(reverse("case_list"))  # both cases
    client.get(reverse("case_list"), {"q": "Elsewhere"})  # only the other
    client.force_login(team_manager)

    page = client.get(reverse("case_audit", args=[case.id])).content.decode()

    listed = AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_VIEWED)
    assert [str(case.id) in e.extra_data["case_ids"] for e in listed.order_by("at", "id")] == [
        True,
        False,
    ]
    assert page.count("Searched or listed cases") == 1
    assert "On Cases" in page
    assert str(other.id) not in page


def test_a_social_worker_cannot_see_the_audit_page(client, social_worker, named_midwife, make_case):
    case = make_case(named_midwife)
    client.force_login(social_worker)

    assert client.get(reverse("case_audit", args=[case.id])).status_code == 403


def test_sign_in_sign_out_and_failed_sign_in_are_audited(client, social_worker):
    from tests.conftest import PASSWORD

    client.post(reverse("login"), {"username": "priya", "password": "wrong"})
    client.post(reverse("login"), {"username": "priya", "password": PASSWORD})
    client.post(reverse("logout"))

    types = list(AuditEvent.objects.order_by("id").values_list("event_type", flat=True))
    assert types == ["sign_in_failed", "signed_in", "signed_out"]
    failed = AuditEvent.objects.get(event_type="sign_in_failed")
    assert failed.extra_data == {"username": "priya"}
    assert "wrong" not in str(failed.extra_data)


@pytest.mark.parametrize(
    "page",
    [
        "case_detail",
        "case_details_change",
        "edd_revise",
        "partner_add",
        "outcome_record",
        "case_facts_change",
        "case_timeline",
        "case_audit",
    ],
)
def test_every_page_showing_a_case_records_who_read_it(
    client, team_manager, named_midwife, make_case, page
):
    case = make_case(named_midwife)
    client.force_login(team_manager)

    response = client.get(reverse(page, args=[case.id]))

    assert response.status_code == 200
    read = AuditEvent.objects.filter(case=case, actor=team_manager).get()
    assert read.event_type in {"case_viewed", "timeline_viewed", "audit_viewed"}
    assert read.path == reverse(page, args=[case.id])


def test_the_milestone_page_records_who_read_it(client, team_manager, named_midwife, make_case):
    case = make_case(named_midwife)
    client.force_login(team_manager)

    client.get(reverse("milestone_record", args=[case.id, "referral"]))

    assert AuditEvent.objects.filter(case=case, actor=team_manager, event_type="case_viewed")


@pytest.mark.parametrize("url_name", ["case_list", "locality", "my_work"])
def test_lists_record_which_cases_they_showed(
    client, social_worker, named_midwife, make_user, make_case, url_name
):
    shown = make_case(named_midwife, named_social_worker=social_worker,
                      named_midwife=named_midwife, family_name="Shown")  # fmt: skip
    sedgemoor_midwife = make_user("sally", RoleCode.MIDWIFE, localities=("sedgemoor",))
    elsewhere = make_case(sedgemoor_midwife, locality_slug="sedgemoor", family_name="Elsewhere")
    # The referral (due at 16 weeks, midwifery's step) is already overdue, so the named
    # midwife's my work lists the case.
    client.force_login(named_midwife if url_name == "my_work" else social_worker)

    client.get(reverse(url_name), {"sort": "edd"} if url_name != "my_work" else {})

    event = AuditEvent.objects.filter(event_type=AuditEventType.CASE_LIST_VIEWED).first()
    assert event.extra_data["page"] == url_name
    assert event.extra_data["case_ids"] == [str(shown.id)]
    assert str(elsewhere.id) not in event.extra_data["case_ids"]


def test_the_audit_records_the_client_behind_our_proxy_and_ignores_forged_addresses(
    client, social_worker, named_midwife, make_case, settings
):
    case = make_case(named_midwife)
    client.force_login(social_worker)
    forged_then_real = {"HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9", "REMOTE_ADDR": "10.0.0.2"}

    client.get(reverse("case_detail", args=[case.id]), **forged_then_real)
    settings.TRUSTED_PROXY_COUNT = 1
    # Straight from a client that is not our proxy: its header is not believed.
    client.get(reverse("case_detail", args=[case.id]), **forged_then_real)
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    client.get(reverse("case_detail", args=[case.id]), **forged_then_real)

    addresses = list(
        AuditEvent.objects.filter(case=case, event_type=AuditEventType.CASE_VIEWED)
        .order_by("at", "id")
        .values_list("ip_address", flat=True)
    )
    assert addresses == ["10.0.0.2", "10.0.0.2", "203.0.113.9"]


def test_the_timeline_command_records_who_read_a_stored_case(named_midwife, make_case):
    import io

    from django.core.management import call_command

    case = make_case(named_midwife)

    call_command("timeline", case=case.reference, stdout=io.StringIO())

    event = AuditEvent.objects.get(case=case, event_type=AuditEventType.TIMELINE_VIEWED)
    assert event.actor is None
    assert event.actor_username.startswith("command line (")
