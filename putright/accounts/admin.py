from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from putright.accounts.models import Organisation, Team, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "short_name", "kind", "parent", "acting_for", "homes", "nation"]
    list_filter = ["kind", "nation"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent", "acting_for"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "organisation", "lead"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation", "lead"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ["username", "first_name", "last_name", "email", "role", "team", "is_active"]
    list_filter = ["role", "team", "organisations", "is_active", "is_staff"]
    list_select_related = ["team__organisation"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Work", {"fields": ("role", "job_title", "team", "organisations")}),
    )
    filter_horizontal = ["organisations", "groups", "user_permissions"]
