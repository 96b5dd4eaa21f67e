"""The learning records in the Django admin: to look and search, never to change.

The lists are changed on the workspace's "Learning lists" page (each change an
audited ``LearningEvent``), and a point's learning through its step; the admin
only shows them, scoped like the case records.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from putright.cases.admin import ReadOnlyAdmin
from putright.learning import models as m


class ListAdmin(ReadOnlyAdmin):
    """A list shared by every organisation: nothing to scope."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return admin.ModelAdmin.get_queryset(self, request)


@admin.register(m.Theme)
class ThemeAdmin(ListAdmin):
    list_display = ["name", "key", "parent", "merged_into", "retired_at", "position"]
    list_filter = ["parent"]
    search_fields = ["name", "key"]
    list_select_related = ["parent", "merged_into"]


@admin.register(m.RootCause)
class RootCauseAdmin(ListAdmin):
    list_display = ["name", "key", "retired_at", "position"]
    search_fields = ["name", "key"]


@admin.register(m.ServiceArea)
class ServiceAreaAdmin(ReadOnlyAdmin):
    organisation_path = "organisation"
    list_display = ["name", "organisation", "kind", "retired_at"]
    list_filter = ["kind", "organisation"]
    search_fields = ["name"]
    list_select_related = ["organisation"]


@admin.register(m.PointLearning)
class PointLearningAdmin(ReadOnlyAdmin):
    organisation_path = "point__complaint__organisation"
    list_display = ["point", "theme", "service_area", "root_cause", "updated_at"]
    list_filter = ["theme", "root_cause"]
    search_fields = ["point__complaint__reference", "root_cause_note"]
    list_select_related = ["point", "theme__parent", "service_area", "root_cause"]


@admin.register(m.LearningEvent)
class LearningEventAdmin(ListAdmin):
    list_display = ["occurred_at", "kind", "summary", "actor"]
    list_filter = ["kind"]
    search_fields = ["summary"]
    list_select_related = ["actor"]
    date_hierarchy = "occurred_at"
