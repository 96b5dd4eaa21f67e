"""The permission checks endpoints make, raising Forbidden with the reason in words."""

from __future__ import annotations

from putright.accounts.models import User
from putright.accounts.permissions import Capability, can, step_capability
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
