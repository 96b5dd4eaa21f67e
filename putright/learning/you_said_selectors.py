""" "You said, we did" entries as a member of staff may see them: their organisations' only."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Complaint
from putright.cases.selectors.customers import visible_organisations
from putright.learning.models import EntryStatus, LearningAction, LearningEvent, Theme, YouSaidEntry
from putright.learning.quarters import Quarter
from putright.learning.services.you_said import EntryNotFound


@dataclass(frozen=True)
class EntryFilters:
    organisation: int | None = None
    quarter: Quarter | None = None
    status: EntryStatus | None = None


def entries_for(user: User) -> QuerySet[YouSaidEntry]:
    visible = visible_organisation_ids(user)
    entries = YouSaidEntry.objects.all()
    if visible is not None:
        entries = entries.filter(organisation_id__in=visible)
    return entries


def entry_list(user: User, filters: EntryFilters = EntryFilters()) -> QuerySet[YouSaidEntry]:
    """The entries, newest quarter first, each with its organisation, theme and people (one query)."""
    entries = entries_for(user).select_related("organisation", "theme__parent", "drafted_by", "approved_by")
    if filters.organisation is not None:
        entries = entries.filter(organisation_id=filters.organisation)
    if filters.quarter is not None:
        entries = entries.filter(quarter_start=filters.quarter.start)
    if filters.status is not None:
        entries = entries.filter(status=filters.status)
    return entries.order_by("-quarter_start", "organisation__name", "status", "pk")


def entry_for_user(user: User, entry_id: int) -> YouSaidEntry:
    """One entry with its links, or EntryNotFound: whether it exists elsewhere is not said."""
    found = (
        entries_for(user)
        .select_related("organisation", "theme__parent", "drafted_by", "approved_by")
        .prefetch_related(
            Prefetch("learning_actions", queryset=LearningAction.objects.order_by("due_on", "pk")),
            Prefetch("complaints", queryset=Complaint.objects.order_by("reference")),
        )
        .filter(pk=entry_id)
        .first()
    )
    if found is None:
        raise EntryNotFound(entry_id)
    return found


def entry_history(entry: YouSaidEntry) -> QuerySet[LearningEvent]:
    return LearningEvent.objects.filter(entry=entry).select_related("actor").order_by("occurred_at", "pk")


def drafting_organisations(user: User) -> list[Organisation]:
    return visible_organisations(user)


def current_themes() -> list[Theme]:
    return list(
        Theme.objects.filter(retired_at__isnull=True)
        .select_related("parent")
        .order_by("parent__position", "position", "name")
    )


def learning_actions_of(organisations: list[int]) -> QuerySet[LearningAction]:
    return LearningAction.objects.filter(organisation_id__in=organisations).order_by("-created_at", "pk")
