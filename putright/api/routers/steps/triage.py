"""Triage: accept at stage 1, resolve informally, or do not accept."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Status

from putright.accounts.models import User
from putright.api.routers.steps.common import (
    RESPONSES,
    StepIn,
    required_colleague,
    router,
    take,
    team_of,
)
from putright.cases.models import Complaint
from putright.cases.services import triage
from putright.procedure.policy import ExclusionReason
from putright.procedure.states import Step

# Triage


class AcceptIn(StepIn):
    owner: str = Field(description="Username of the Resolution Officer who takes stage 1.")
    reasoning: str = Field(description="Why it meets the definition of a complaint: the triage note.")
    team_id: int | None = None


@router.post("/{reference}/accept", response=RESPONSES, summary="Accept at stage 1")
def accept(request: HttpRequest, reference: str, body: AcceptIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        owner = required_colleague(body.owner, "owner", user, complaint)
        return triage.accept(
            complaint,
            owner=owner,
            reasoning=body.reasoning,
            team=team_of(body.team_id, user, complaint),
            actor=user,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.ACCEPT, act)


class ResolveInformallyIn(StepIn):
    resolution: str = Field(description="How the matter was put right at once.")


@router.post("/{reference}/resolve-informally", response=RESPONSES, summary="Resolve informally")
def resolve_informally(request: HttpRequest, reference: str, body: ResolveInformallyIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RESOLVE_INFORMALLY,
        lambda c, u: triage.resolve_informally(
            c,
            resolution=body.resolution,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class NotAcceptIn(StepIn):
    reason: ExclusionReason
    explanation: str = Field(description="What the customer is told.")
    duplicate_of: str | None = Field(None, description="The reference of the complaint this one repeats.")
    signposted_to: str = ""


@router.post("/{reference}/not-accept", response=RESPONSES, summary="Do not accept")
def not_accept(request: HttpRequest, reference: str, body: NotAcceptIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.NOT_ACCEPT,
        lambda c, u: triage.not_accept(
            c,
            reason=body.reason,
            explanation=body.explanation,
            duplicate_of=body.duplicate_of,
            signposted_to=body.signposted_to,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )
