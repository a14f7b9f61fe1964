"""Every change an administrator makes in the Django admin is in the service's own audit
log; setting someone's password makes them choose their own, tells them, and says who."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import Locality, Role, RoleCode, User
from audit.models import AuditEvent, AuditEventType
from tests.conftest import PASSWORD, sign_in_with_code

NEW = "a-new-password-set-by-alex-2027"


def admin_rows():
    return list(AuditEvent.objects.filter(event_type=AuditEventType.ADMIN_CHANGED).order_by("id"))


def test_giving_a_person_a_role_and_a_locality_is_audited_with_what_they_have_after(
    client, administrator, social_worker
):
    client.force_login(administrator)
    url = reverse("admin:accounts_user_change", args=[social_worker.pk])
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        roles=[r.pk for r in social_worker.roles.all()] + [Role.objects.get(code="guest").pk],
        localities=[loc.pk for loc in Locality.objects.filter(slug__in=["mendip", "sedgemoor"])],
        groups=[],
        user_permissions=[],
        agency=social_worker.agency_id,
        last_login_0="",
        date_joined_0="2026-01-01",
        date_joined_1="09:00:00",
    )
    data = {k: v for k, v in data.items() if k not in ("last_login", "date_joined")}

    response = client.post(url, data, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 302, response.context["adminform"].form.errors
    [row] = admin_rows()
    assert row.actor == administrator and row.ip_address == "192.0.2.44"
    assert row.extra_data["action"] == "changed"
    assert row.extra_data["object_type"] == "accounts.User"
    assert row.extra_data["username"] == "priya"
    assert row.extra_data["localities"] == ["mendip", "sedgemoor"]
    assert row.extra_data["roles"] == ["guest", "social_worker"]
    assert "Localities" in row.extra_data["change"] or "localities" in row.extra_data["change"]


def test_adding_and_deleting_a_locality_are_audited(client, administrator):
    client.force_login(administrator)

    client.post(
        reverse("admin:accounts_locality_add"), {"name": "Exmoor", "slug": "exmoor", "active": "on"}
    )
    locality = Locality.objects.get(slug="exmoor")
    client.post(reverse("admin:accounts_locality_delete", args=[locality.pk]), {"post": "yes"})

    actions = [(r.extra_data["action"], r.extra_data["object"]) for r in admin_rows()]
    assert actions == [("added", "Exmoor"), ("deleted", "Exmoor")]
    assert not Locality.objects.filter(slug="exmoor").exists()


def test_setting_someone_s_password_makes_them_choose_their_own_tells_them_and_is_audited(
    client, administrator, social_worker
):
    social_worker.email = "priya@example.org"
    social_worker.save()
    client.force_login(administrator)

    response = client.post(
        f"/admin/accounts/user/{social_worker.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )

    assert response.status_code == 302
    social_worker.refresh_from_db()
    assert social_worker.must_change_password
    row = AuditEvent.objects.get(event_type=AuditEventType.ADMIN_PASSWORD_SET)
    assert row.actor == administrator and row.extra_data == {"username": "priya"}
    assert NEW not in str(row.extra_data)
    [email] = mail.outbox
    assert email.to == ["priya@example.org"]
    assert "system administrator set a new password" in email.body
    assert NEW not in email.body

    # Priya signs in with it and must choose her own before anything else.
    priya = type(client)()
    sign_in_with_code(priya, social_worker, password=NEW)
    response = priya.get(reverse("my_work"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("password_change"))
    page = priya.get(response["Location"])
    assert "A system administrator set your password" in page.content.decode()
    priya.post(
        reverse("password_change"),
        {
            "old_password": NEW,
            "new_password1": PASSWORD + "-mine",
            "new_password2": PASSWORD + "-mine",
        },
    )
    assert priya.get(reverse("my_work")).status_code == 200
    assert not User.objects.get(pk=social_worker.pk).must_change_password


def test_an_administrator_changing_their_own_password_in_the_admin_is_not_forced_to_again(
    client, administrator
):
    client.force_login(administrator)

    client.post(
        f"/admin/accounts/user/{administrator.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )

    administrator.refresh_from_db()
    assert not administrator.must_change_password
    assert not AuditEvent.objects.filter(event_type=AuditEventType.ADMIN_PASSWORD_SET).exists()
    assert AuditEvent.objects.filter(event_type=AuditEventType.ADMIN_CHANGED).count() == 1


@pytest.mark.parametrize("role", [RoleCode.SOCIAL_WORKER, RoleCode.TEAM_MANAGER])
def test_the_admin_is_not_open_to_case_workers(client, make_user, role):
    client.force_login(make_user("someone", role))

    response = client.get("/admin/accounts/user/")

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
