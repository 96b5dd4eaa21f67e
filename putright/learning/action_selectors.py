"""Reads of learning actions: the list with its filters, one action with its history, a case's own.

Anyone who may see cases reads the learning actions of their organisations
(and those below them); each read is a fixed number of queries whatever the
number of actions, links, themes or events.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from putright.accounts.models import Organisation, Role, User
from putright.accounts.permissions import organisation_and_parents, visible_organisation_ids
from putright.cases.models import Complaint
from putright.cases.selectors.customers import visible_organisations
from putright.learning.models import LearningAction, LearningActionLink, LearningEvent, Theme
from putright.learning.services.lessons import ActionNotFound

STATUSES = {"open": "Open", "overdue": "Overdue", "done": "Done"}
PAGE_SIZE = 50


@dataclass(frozen=True)
class ActionFilters:
    status: str | None = None
    organisation: int | None = None
    owner: int | None = None
    theme: int | None = None
    change_kind: str | None = None


def actions_for(user: User) -> QuerySet[LearningAction]:
    """The learning actions of the organisations whose cases the user may see."""
    visible = visible_organisation_ids(user)
    found = LearningAction.objects.all()
    if visible is not None:
        found = found.filter(organisation_id__in=visible)
    return found


def action_list(user: User, filters: ActionFilters, today: dt.date | None = None) -> QuerySet[LearningAction]:
    """The actions matching ``filters``, soonest due first, with what a row shows (two queries a page)."""
    today = today or timezone.localdate()
    found = actions_for(user)
    if filters.status == "done":
        found = found.filter(completed_at__isnull=False)
    elif filters.status == "open":
        found = found.filter(completed_at__isnull=True, due_on__gte=today)
    elif filters.status == "overdue":
        found = found.filter(completed_at__isnull=True, due_on__lt=today)
    if filters.organisation:
        found = found.filter(organisation_id=filters.organisation)
    if filters.owner:
        found = found.filter(owner_id=filters.owner)
    if filters.theme:
        found = found.filter(Q(themes=filters.theme) | Q(themes__parent=filters.theme))
    if filters.change_kind:
        found = found.filter(change_kind=filters.change_kind)
    return (
        found.distinct()
        .select_related("organisation", "owner")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.select_related("parent")))
        .annotate(linked=Count("links", distinct=True))
        .order_by("due_on", "pk")
    )


def action_detail(user: User, action_id: int | str) -> LearningAction:
    """One action with its themes, linked complaints and history, or ActionNotFound."""
    try:
        pk = int(action_id)
    except (TypeError, ValueError):
        raise ActionNotFound(action_id) from None
    found = (
        actions_for(user)
        .select_related("organisation", "owner", "completed_by", "created_by")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.select_related("parent")),
            Prefetch(
                "links",
                queryset=LearningActionLink.objects.select_related("complaint").order_by(
                    "complaint__reference"
                ),
            ),
            Prefetch(
                "events", queryset=LearningEvent.objects.select_related("actor").order_by("occurred_at", "pk")
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise ActionNotFound(action_id)
    return found


def actions_of_complaint(complaint: Complaint) -> list[LearningAction]:
    """The learning actions a complaint is linked to, soonest due first (one query)."""
    return list(
        LearningAction.objects.filter(links__complaint=complaint)
        .select_related("owner")
        .order_by("due_on", "pk")
    )


def open_actions_for_case(complaint: Complaint, user: User) -> list[LearningAction]:
    """The open actions of the complaint's organisation or its groups, not yet linked to it."""
    return list(
        actions_for(user)
        .filter(
            organisation_id__in=organisation_and_parents(complaint.organisation_id, user),
            completed_at__isnull=True,
        )
        .exclude(links__complaint=complaint)
        .select_related("owner")
        .order_by("due_on", "pk")
    )


def organisations_for(user: User) -> list[Organisation]:
    return visible_organisations(user)


def owners_for(user: User) -> QuerySet[User]:
    """Active staff who may own an action of one of the user's organisations (theirs or a group's)."""
    visible = visible_organisation_ids(user)
    found = User.objects.filter(is_active=True).exclude(role=Role.PANEL_MEMBER)
    if visible is not None:
        chain = {pk for org in visible for pk in organisation_and_parents(org, user)}
        found = found.filter(organisations__in=chain)
    return found.distinct().order_by("first_name", "last_name", "username")


def current_themes() -> QuerySet[Theme]:
    return (
        Theme.objects.filter(retired_at=None, merged_into=None)
        .select_related("parent")
        .order_by("parent__position", "parent__name", "position", "name")
    )
