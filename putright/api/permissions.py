"""The permission checks endpoints make, raising Forbidden with the reason in words."""

from __future__ import annotations

from putright.accounts.models import Organisation, User
from putright.accounts.permissions import Capability, can, step_capability, visible_organisation_ids
from putright.cases.errors import NotFound
from putright.procedure.states import Step


class Forbidden(Exception):
    pass


def require(user: User, capability: Capability) -> None:
    if not can(user, capability):
        raise Forbidden(f"Your role ({user.get_role_display()}) does not allow this: {capability.value}.")


def require_step(user: User, step: Step, stage: int) -> None:
    capability = step_capability(step, stage)
    if not can(user, capability):
        raise Forbidden(
            f"Your role ({user.get_role_display()}) cannot take the step “{step.label}”"
            + (f" at stage {stage}." if stage else ".")
        )


def visible_organisation(user: User, short_name: str) -> Organisation:
    """The organisation of that short name if the user may see it; "not found" alike for one that
    does not exist and one outside their organisations, so that neither is confirmed."""
    found = Organisation.objects.filter(short_name__iexact=short_name).first()
    visible = visible_organisation_ids(user)
    if found is None or (visible is not None and found.pk not in visible):
        raise NotFound(f"No organisation {short_name!r}.")
    return found
