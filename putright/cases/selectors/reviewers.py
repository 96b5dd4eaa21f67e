"""Who takes a review (stage 2) that a customer asks for online, with nobody to choose for them."""

from __future__ import annotations

from django.db.models import Count, Q

from putright.accounts.models import Role, User
from putright.accounts.permissions import ROLE_CAPABILITIES, Capability, organisation_and_parents
from putright.cases.models import Complaint
from putright.cases.selectors.handlers import stage1_handlers
from putright.procedure.states import OPEN


def reviewer_roles() -> list[str]:
    """The roles whose holders may respond at stage 2, by the permissions' rule; administrators
    (who hold every capability to run the system) are never handed a customer's review."""
    return [
        role
        for role, allowed in ROLE_CAPABILITIES.items()
        if Capability.RESPOND_STAGE2 in allowed and role != Role.ADMINISTRATOR
    ]


def reviewer_for(complaint: Complaint) -> User | None:
    """An active member of staff who may respond at stage 2 (a Senior Manager, as the permissions
    say) and works for the complaint's organisation (or a group above it), not anyone who handled
    stage 1 (a review is a fresh look, the Code 6.13), with the fewest open stage 2 cases; ties go by name.
    None when nobody fits: the customer is then asked to call.
    """
    chain = organisation_and_parents(complaint.organisation_id)
    members = User.organisations.through.objects.filter(organisation_id__in=chain).values("user_id")
    handlers = list(stage1_handlers(complaint))
    reviews = Q(complaints__stage=2, complaints__state__in=[s.value for s in OPEN])
    candidates = User.objects.filter(is_active=True, role__in=reviewer_roles(), pk__in=members)
    candidates = candidates.exclude(pk__in=handlers)
    candidates = (
        candidates.annotate(open_reviews=Count("complaints", filter=reviews, distinct=True))
        .select_related("team")
        .order_by("open_reviews", "first_name", "last_name", "pk")
    )
    return candidates.first()
