"""The admin's view of what was sent: for looking, never for changing (services do that)."""

from __future__ import annotations

from django.contrib import admin

from putright.cases.admin import ReadOnlyAdmin
from putright.comms import models as m


@admin.register(m.OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "purpose", "subject", "status", "attempts", "next_attempt_at", "sent_at"]
    list_filter = ["status", "purpose"]
    search_fields = ["subject", "to", "complaint__reference"]
    # The words of a letter are on the letter; other bodies may hold a private link or a reset code.
    exclude = ["body_text", "body_html"]
    raw_id_fields = ["complaint", "letter"]


@admin.register(m.Letter)
class LetterAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "complaint", "kind", "status", "template", "large_print"]
    list_filter = ["kind", "status", "large_print"]
    search_fields = ["complaint__reference", "recipient_name", "subject"]
    raw_id_fields = ["complaint", "template"]


@admin.register(m.LetterTemplate)
class LetterTemplateAdmin(ReadOnlyAdmin):
    """Templates are edited in the workspace (with a preview); here they are only listed."""

    list_display = ["kind", "version", "created_at", "created_by", "note"]
    list_filter = ["kind"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return admin.ModelAdmin.get_queryset(self, request)  # not organisation-scoped


@admin.register(m.Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "complaint", "level", "due_at"]
    list_filter = ["level"]
    search_fields = ["complaint__reference"]
    raw_id_fields = ["complaint", "deadline"]


@admin.register(m.ActionReminder)
class ActionReminderAdmin(ReadOnlyAdmin):
    list_display = ["sent_at", "complaint", "action", "due_on"]
    list_select_related = ["complaint", "action"]
    search_fields = ["complaint__reference"]
    raw_id_fields = ["complaint", "action"]


@admin.register(m.Job)
class JobAdmin(ReadOnlyAdmin):
    list_display = ["name", "next_run_at", "leased_by", "leased_until", "last_finished_at"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        return admin.ModelAdmin.get_queryset(self, request)  # not organisation-scoped
