"""Who may be given a case, an action or a concern: checked wherever one is assigned."""

from __future__ import annotations

from putright.accounts.models import Role, User
from putright.accounts.permissions import Capability, can, visible_organisation_ids
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint

_ROLE_FOR = {
    Capability.TRIAGE: "someone who can triage",
    Capability.RESPOND_STAGE1: "a Resolution Officer or a Senior Manager",
    Capability.RESPOND_STAGE2: "a Senior Manager",
    Capability.MANAGE_CONCERNS: "a safeguarding or health and safety lead",
    Capability.DECIDE_APPEAL: "an appeal panel member",
}


def works_for(user: User, complaint: Complaint) -> bool:
    visible = visible_organisation_ids(user)
    return visible is None or complaint.organisation_id in visible


def check_assignee(
    user: User, complaint: Complaint, *, field: str, capability: Capability | None = None
) -> User:
    """An active member of staff of the complaint's organisation, with the role the work needs."""
    if not user.is_active:
        raise InvalidInput(field, f"{user} is no longer active")
    if not works_for(user, complaint):
        raise InvalidInput(field, f"{user} does not work for {complaint.organisation}")
    if capability is not None and not can(user, capability):
        raise InvalidInput(
            field, f"{user} is a {user.get_role_display()}: this needs {_ROLE_FOR[capability]}"
        )
    return user


def lead_for(kind: str, complaint: Complaint) -> User | None:
    """The lead who receives a concern of this kind for the complaint's organisation, if there is one."""
    role = Role.SAFEGUARDING_LEAD if kind == "safeguarding" else Role.HEALTH_SAFETY_LEAD
    candidates = User.objects.filter(role=role, is_active=True).prefetch_related("organisations")
    return next((lead for lead in candidates.order_by("pk") if works_for(lead, complaint)), None)
