"""A safeguarding or health and safety lead's own queue: the open concerns that are theirs.

"Theirs" is every open concern referred to them, and every concern of their
kind not yet referred to anyone (so that a concern flagged where no lead was
set up is not lost), in the organisations they may see. Oldest due first: what
is overdue comes to the top. One query, whatever the number of concerns.
"""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from putright.accounts.models import Role, User
from putright.accounts.permissions import visible_organisation_ids
from putright.cases.models import Concern, ConcernStatus

#: The kind of concern each lead role receives.
LEAD_KIND: dict[str, str] = {
    Role.SAFEGUARDING_LEAD: "safeguarding",
    Role.HEALTH_SAFETY_LEAD: "health_and_safety",
}


def concerns_for_lead(user: User) -> QuerySet[Concern]:
    """The open concerns referred to ``user``, and those of their role's kind referred to no one."""
    mine = Q(referred_to=user)
    kind = LEAD_KIND.get(user.role)
    if kind is not None:
        mine |= Q(kind=kind, referred_to__isnull=True)
    found = Concern.objects.filter(mine).exclude(status=ConcernStatus.CLOSED)
    visible = visible_organisation_ids(user)
    if visible is not None:
        found = found.filter(complaint__organisation_id__in=visible)
    return found.select_related("complaint", "complaint__customer", "referred_to").order_by(
        F("outcome_due_at").asc(nulls_first=True), "raised_at", "pk"
    )
