"""The Django admin is for reference data only: people, agencies, roles, localities.

Case data is never registered here (see tests/test_admin_scope.py).
"""

import json

from django.contrib import admin, messages
from django.contrib.admin.models import LogEntry
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Agency, Locality, Role, User
from accounts.notifications import tell_password_was_set
from accounts.two_factor import reset_two_factor
from audit.models import AuditEventType
from audit.services import AuditContext, audit_record

admin.site.site_header = "Pre-birth Tracker administration"
admin.site.site_title = "Pre-birth Tracker administration"
admin.site.index_title = "People and reference data"

# django-otp's own admin pages would show each person's authenticator secret: an
# administrator resets two-factor sign-in (below) and never sees or sets a secret.
for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)


class AuditedAdmin(admin.ModelAdmin):
    """Every add, change and delete in the admin is in the service's own audit log too
    (Django's admin history can be edited by an administrator; the audit log cannot):
    who, from where, what, and for a person their roles, localities and status after."""

    def _audit(self, request, action: str, obj, message="") -> None:
        extra = {
            "action": action,
            "object_type": obj._meta.label,
            "object_id": str(obj.pk),
            "object": str(obj)[:200],
            "change": _message_text(message),
            **self.audit_details(obj),
        }
        audit_record(
            actor=request.user,
            event_type=AuditEventType.ADMIN_CHANGED,
            context=AuditContext.from_request(request),
            extra_data=extra,
        )

    def audit_details(self, obj) -> dict:
        return {}

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, "added", obj, message)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._audit(request, "changed", obj, message)
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, "deleted", obj)
        return entries


def _message_text(message) -> str:
    """The admin's change message ("Changed roles and localities.") as words."""
    if isinstance(message, list):
        return LogEntry(change_message=json.dumps(message)).get_change_message()
    return str(message)


def _changed_fields(message) -> set[str]:
    fields: set[str] = set()
    for part in message if isinstance(message, list) else []:
        fields.update(part.get("changed", {}).get("fields", []))
    return fields


@admin.register(User)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "agency", "is_active")
    list_filter = ("agency", "roles", "localities", "is_active")
    filter_horizontal = ("roles", "localities", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Pre-birth Tracker", {"fields": ("agency", "job_title", "team", "roles", "localities")}),
    )
    actions = ["reset_two_factor_sign_in"]

    @admin.action(description="Reset two-factor sign-in (a lost phone)")
    def reset_two_factor_sign_in(self, request, queryset):
        context = AuditContext.from_request(request)
        for user in queryset:
            reset_two_factor(user=user, actor=request.user, context=context)
        self.message_user(
            request,
            f"Reset two-factor sign-in for {queryset.count()} people. Each sets up an"
            " authenticator app the next time they sign in.",
            messages.SUCCESS,
        )

    def audit_details(self, obj) -> dict:
        if obj.pk is None:  # deleted
            return {}
        return {
            "username": obj.username,
            "active": obj.is_active,
            "staff": obj.is_staff,
            "superuser": obj.is_superuser,
            "agency": obj.agency.name if obj.agency_id else "",
            "roles": sorted(obj.roles.values_list("code", flat=True)),
            "localities": sorted(obj.localities.values_list("slug", flat=True)),
        }

    def log_change(self, request, obj, message):
        """Setting someone else's password (Django admin's "Change password" form): they
        must choose their own at their next sign-in, are told by email, and the audit
        log says who set it."""
        entry = super().log_change(request, obj, message)
        if "password" in _changed_fields(message) and obj.pk != request.user.pk:
            with transaction.atomic():
                User.objects.filter(pk=obj.pk).update(must_change_password=True)
                audit_record(
                    actor=request.user,
                    event_type=AuditEventType.ADMIN_PASSWORD_SET,
                    context=AuditContext.from_request(request),
                    extra_data={"username": obj.username},
                )
            tell_password_was_set(obj)
        return entry

    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Pre-birth Tracker", {"fields": ("first_name", "last_name", "email", "agency")}),
    )


@admin.register(Locality)
class LocalityAdmin(AuditedAdmin):
    list_display = ("name", "slug", "active")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "code")


@admin.register(Role)
class RoleAdmin(AuditedAdmin):
    list_display = ("name", "code", "agency")


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(AuditedAdmin, DjangoGroupAdmin):
    pass
