from typing import Any

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from putright.accounts.models import ApiToken, HomesCount, OidcIdentity, Organisation, Team, User
from putright.accounts.tokens import create_token, revoke_token


# issue 13, tsm: homes per stock type and reporting year, kept on the organisation's page
class HomesCountInline(admin.TabularInline):  # type: ignore[type-arg]
    model = HomesCount
    extra = 2
    fields = ["year", "stock_type", "homes"]
    ordering = ["-year", "stock_type"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "short_name", "kind", "parent", "acting_for", "nation"]
    list_filter = ["kind", "nation"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent", "acting_for"]
    inlines = [HomesCountInline]  # issue 13, tsm


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


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Create a token (its key is shown once, in the confirmation message) or revoke one."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "name"]
    actions = ["revoke"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead, so that a token's use stays on record

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "user":
            # A token acts as its user: never as an all-powerful superuser.
            kwargs["queryset"] = User.objects.filter(is_active=True, is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: ApiToken, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        token, key = create_token(user=obj.user, name=obj.name, created_by=request.user)
        obj.pk = token.pk
        messages.warning(
            request, f"The key for “{token.name}” is {key} — copy it now: it is not shown again."
        )

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        for token in queryset:
            revoke_token(token)
        messages.success(request, f"Revoked {queryset.count()} token(s).")


# issue 14, oidc: who is linked to which account at the provider; deleting a link lets the person
# be matched by email address again at their next sign-in.
@admin.register(OidcIdentity)
class OidcIdentityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "subject", "issuer", "linked_at", "last_signed_in_at"]
    search_fields = ["user__username", "user__email", "subject"]
    readonly_fields = ["user", "issuer", "subject", "linked_at", "last_signed_in_at", "groups"]
    list_select_related = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
