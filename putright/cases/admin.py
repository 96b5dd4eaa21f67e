"""The Django admin over the case record: visible and searchable, changed only through services.

Complaints and their timeline are read-only here: a step changes a case only
through ``putright.cases.services``, which checks the procedure and writes the
timeline. The admin is for administrators to look things up.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from putright.accounts.models import Role, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases import models as m
from putright.cases.services import retention


class ReadOnlyInline(admin.TabularInline):  # type: ignore[type-arg]
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PointInline(ReadOnlyInline):
    model = m.Point
    fields = ["number", "summary"]


class DeadlineInline(ReadOnlyInline):
    model = m.Deadline
    fields = ["name", "clock_started_at", "due_at", "original_due_at", "met_at", "cancelled_at"]


class ActionInline(ReadOnlyInline):
    model = m.Action
    fields = ["description", "owner", "due_on", "completed_at"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).select_related("owner")


class TimelineInline(ReadOnlyInline):
    model = m.TimelineEvent
    fields = ["occurred_at", "kind", "actor_label", "summary", "recorded_at"]
    readonly_fields = ["occurred_at", "kind", "actor_label", "summary", "recorded_at"]
    ordering = ["occurred_at", "pk"]


class ScopedAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Only the records of the organisations the member of staff works for (all, for administrators)."""

    organisation_path = "complaint__organisation"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        records = super().get_queryset(request)
        assert isinstance(request.user, User)
        visible = visible_organisation_ids(request.user)
        if visible is None:
            return records
        return records.filter(**{f"{self.organisation_path}__in": visible})


class ReadOnlyAdmin(ScopedAdmin):
    """Look, search, filter; never add, change or delete: services do that."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(m.Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    organisation_path = "organisation"
    list_display = [
        "reference",
        "summary",
        "organisation",
        "customer",
        "state",
        "stage",
        "owner",
        "received_at",
    ]
    list_filter = ["state", "stage", "channel", "organisation", "category", "exclusion_reason"]
    search_fields = [
        "reference",
        "summary",
        "description",
        "customer__first_name",
        "customer__last_name",
        "customer__postcode",
        "points__summary",
    ]
    date_hierarchy = "received_at"
    list_select_related = ["organisation", "customer", "owner"]
    inlines = [PointInline, DeadlineInline, ActionInline, TimelineInline]


@admin.register(m.Customer)
class CustomerAdmin(ReadOnlyAdmin):
    organisation_path = "organisation"
    list_display = ["last_name", "first_name", "postcode", "organisation", "tenure", "preferred_contact"]
    list_filter = ["organisation", "tenure", "preferred_contact"]
    search_fields = ["first_name", "last_name", "email", "phone", "postcode", "tenancy_reference"]
    list_select_related = ["organisation"]


@admin.register(m.Representative)
class RepresentativeAdmin(ReadOnlyAdmin):
    organisation_path = "customer__organisation"
    list_display = ["name", "kind", "role", "customer", "consent_given_at", "consent_withdrawn_at"]
    list_filter = ["kind"]
    search_fields = ["name", "role", "customer__last_name"]
    list_select_related = ["customer"]


@admin.register(m.Restriction)
class RestrictionAdmin(ReadOnlyAdmin):
    organisation_path = "customer__organisation"
    list_display = ["customer", "starts_on", "review_on", "ended_on"]
    search_fields = ["customer__last_name", "reason", "restrictions"]
    list_select_related = ["customer"]


@admin.register(m.Concern)
class ConcernAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "kind", "status", "raised_at", "referred_to"]
    list_filter = ["kind", "status"]
    search_fields = ["complaint__reference", "description"]
    list_select_related = ["complaint", "referred_to"]


@admin.register(m.Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "description", "owner", "due_on", "completed_at"]
    list_filter = ["stage_number"]
    search_fields = ["complaint__reference", "description"]
    list_select_related = ["complaint", "owner"]


@admin.register(m.Deadline)
class DeadlineAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "name", "due_at", "met_at", "cancelled_at"]
    list_filter = ["name"]
    search_fields = ["complaint__reference"]
    list_select_related = ["complaint"]


@admin.register(m.TimelineEvent)
class TimelineEventAdmin(ReadOnlyAdmin):
    list_display = ["complaint", "kind", "occurred_at", "actor_label", "summary"]
    list_filter = ["kind"]
    search_fields = ["complaint__reference", "summary"]
    list_select_related = ["complaint"]


@admin.register(m.PolicyRecord)
class PolicyRecordAdmin(ReadOnlyAdmin):
    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return m.PolicyRecord.objects.all()  # policies are not any one organisation's

    list_display = ["name", "version", "approved_on", "registered_at"]


# issue 15, retention: the periods in force, one row per record type (made by the migration)


class RetentionPeriodForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = m.RetentionPeriod
        fields = ["amount"]

    def clean_amount(self) -> int:
        amount: int = self.cleaned_data["amount"]
        kind = retention.BY_TYPE.get(retention.RecordType(self.instance.record_type))
        problem = kind and retention.floor_problem(kind, amount)
        if problem:
            raise forms.ValidationError(f"The period {problem}.")
        return amount


@admin.register(m.RetentionPeriod)
class RetentionPeriodAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Every member of staff with the admin sees the retention in force; administrators change it.

    The same periods are set by the landlord file's ``[retention]`` table (``putright setup``).
    """

    form = RetentionPeriodForm
    list_display = ["record", "period", "default", "updated_at", "updated_by"]
    fields = ["record", "amount", "unit", "default", "floor"]
    readonly_fields = ["record", "unit", "default", "floor"]
    list_select_related = ["updated_by"]

    @staticmethod
    def _kind(obj: m.RetentionPeriod) -> retention.Kind:
        return retention.BY_TYPE[retention.RecordType(obj.record_type)]

    @admin.display(description="Record type")
    def record(self, obj: m.RetentionPeriod) -> str:
        return self._kind(obj).label

    @admin.display(description="Kept for")
    def period(self, obj: m.RetentionPeriod) -> str:
        kind = self._kind(obj)
        return f"{kind.words(obj.amount)} {kind.counted_from}"

    @admin.display(description="Unit")
    def unit(self, obj: m.RetentionPeriod) -> str:
        return self._kind(obj).unit.value

    @admin.display(description="Default")
    def default(self, obj: m.RetentionPeriod) -> str:
        return self._kind(obj).words(self._kind(obj).default)

    @admin.display(description="Shortest allowed")
    def floor(self, obj: m.RetentionPeriod) -> str:
        kind = self._kind(obj)
        return f"{kind.words(kind.floor)}: {kind.why_floor}"

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_staff)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # one row per record type, made by the migration

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or getattr(user, "role", "") == Role.ADMINISTRATOR))

    def save_model(self, request: HttpRequest, obj: m.RetentionPeriod, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        retention.set_period(retention.RecordType(obj.record_type), obj.amount, actor=request.user)
