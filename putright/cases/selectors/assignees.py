"""Who can take a complaint at stage 1, and the teams it can go to, for the triage page."""

from __future__ import annotations

from django.db.models import QuerySet

from putright.accounts.models import Organisation, Role, Team, User
from putright.cases.models import Complaint
from putright.cases.selectors.staff import staff_for

#: The roles that own a stage 1 complaint (checked again by ``assignment.check_assignee``).
STAGE1_OWNER_ROLES = (Role.RESOLUTION_OFFICER, Role.SENIOR_MANAGER)


def organisation_and_parents(organisation_id: int) -> list[int]:
    """The organisation and every group above it: staff of any of them work for it."""
    parents = dict(Organisation.objects.values_list("pk", "parent_id"))
    chain: list[int] = []
    current: int | None = organisation_id
    while current is not None and current not in chain:
        chain.append(current)
        current = parents.get(current)
    return chain


def stage1_owners(*, user: User, complaint: Complaint) -> QuerySet[User]:
    """Active Resolution Officers and Senior Managers the user may name who work for the case."""
    return (
        staff_for(user)
        .filter(
            role__in=STAGE1_OWNER_ROLES, organisations__in=organisation_and_parents(complaint.organisation_id)
        )
        .select_related("team")
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def teams_for(complaint: Complaint) -> QuerySet[Team]:
    """The teams of the complaint's organisation and of the groups above it."""
    chain = organisation_and_parents(complaint.organisation_id)
    return Team.objects.filter(organisation_id__in=chain).select_related("organisation")
