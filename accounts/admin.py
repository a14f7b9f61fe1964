"""The Django admin is for reference data only: people, agencies, roles, localities.

Case data is never registered here (see tests/test_admin_scope.py).
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from accounts.models import Agency, Locality, Role, User

admin.site.site_header = "Pre-birth Tracker administration"
admin.site.site_title = "Pre-birth Tracker administration"
admin.site.index_title = "People and reference data"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ("username", "first_name", "last_name", "agency", "is_active")
    list_filter = ("agency", "roles", "localities", "is_active")
    filter_horizontal = ("roles", "localities", "groups", "user_permissions")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("Pre-birth Tracker", {"fields": ("agency", "job_title", "team", "roles", "localities")}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        ("Pre-birth Tracker", {"fields": ("first_name", "last_name", "email", "agency")}),
    )


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "active")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "agency")
