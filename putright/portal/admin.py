"""The Django admin for the footer's pages: an administrator rewrites their words, nothing else.

The three pages always exist (a migration writes their default words); they
cannot be added or deleted here, only edited, and the admin records who
edited them last.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from putright.portal.models import PublicPage


@admin.register(PublicPage)
class PublicPageAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "kind", "updated_at", "updated_by"]
    fields = ["title", "body"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: PublicPage, form: Any, change: bool) -> None:
        obj.updated_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)
