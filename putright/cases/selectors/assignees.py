"""Who may be named for work on a complaint, and the teams it can go to: for every form that
chooses a colleague (the stage 1 owner, a new owner, the review's Senior Manager, an action's
owner, the person a concern is referred to, the appeal panel)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from putright.accounts.models import Role, Team, User
from putright.accounts.permissions import ROLE_CAPABILITIES, Capability, organisation_and_parents
from putright.cases.models import Complaint


def assignable_staff(
    user: User, complaint: Complaint, capability: Capability | None = None, *, excluding: int | None = None
) -> QuerySet[User]:
    """The colleagues ``user`` may name for work on ``complaint``, by name.

    Exactly the people ``services.assignment.check_assignee`` accepts, so that no
    choice offered is then refused: active; working for the complaint's
    organisation (a member of it or of a group above it; an administrator works
    for every one); and, when the work needs a capability, with a role that has
    it. Staff of the group above the user's own organisation are offered too: an
    adviser at a subsidiary names the group's Senior Managers and Resolution
    Team, who serve the whole group (the user, who sees the complaint, may name
    whoever works for it). ``excluding``: the id of someone not to offer (who has it now).
    """
    works_for = (
        Q(organisations__in=organisation_and_parents(complaint.organisation_id, user))
        | Q(is_superuser=True)
        | Q(role=Role.ADMINISTRATOR)
    )
    staff = User.objects.filter(is_active=True).filter(works_for)
    if capability is not None:
        staff = staff.filter(role__in=[role for role, can in ROLE_CAPABILITIES.items() if capability in can])
    if excluding is not None:
        staff = staff.exclude(pk=excluding)
    return staff.select_related("team").distinct().order_by("first_name", "last_name", "pk")


def assignable_names(
    user: User, complaint: Complaint, *, excluding: int | None = None
) -> list[tuple[int, str, str]]:
    """(id, name, username) of each of ``assignable_staff``, in its order, the name as ``str(user)``.

    issue 16, overhead: read as four columns, not as users: the case page's note form offers
    some 180 colleagues, and building each as a whole user (its password hash, a dozen other
    fields and its team) was a tenth of the page's time.
    """
    staff = assignable_staff(user, complaint, excluding=excluding).select_related(None)
    return [
        (pk, f"{first} {last}".strip() or username, username)  # User.get_full_name(), else the username
        for pk, username, first, last in staff.values_list("pk", "username", "first_name", "last_name")
    ]


def panel_members(user: User, complaint: Complaint) -> QuerySet[User]:
    """The appeal panel members who may sit on the complaint's appeal."""
    return assignable_staff(user, complaint, Capability.DECIDE_APPEAL).filter(role=Role.PANEL_MEMBER)


def teams_for_case(user: User, complaint: Complaint) -> QuerySet[Team]:
    """The teams of the complaint's organisation and of the groups above it."""
    chain = organisation_and_parents(complaint.organisation_id, user)
    return Team.objects.filter(organisation_id__in=chain).select_related("organisation")
