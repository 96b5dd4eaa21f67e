"""The case itself: withdrawal, reassignment, new matters, concerns and restrictions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Status

from putright.accounts.models import User
from putright.api.routers.steps.common import (
    RESPONSES,
    StepIn,
    colleague,
    required_colleague,
    router,
    take,
    team_of,
)
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, Concern
from putright.cases.services import changes, concerns
from putright.procedure.states import ConcernKind, NewMatterRoute, Step

# The case itself


class WithdrawIn(StepIn):
    reason: str = ""


@router.post("/{reference}/withdraw", response=RESPONSES, summary="Withdraw (at the customer's request)")
def withdraw(request: HttpRequest, reference: str, body: WithdrawIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.WITHDRAW,
        lambda c, u: changes.withdraw(
            c, reason=body.reason, actor=u, occurred_at=body.occurred_at, expected_version=body.version
        ),
    )


class ReassignIn(StepIn):
    owner: str
    team_id: int | None = None
    reason: str = ""


@router.post("/{reference}/reassign", response=RESPONSES, summary="Reassign")
def reassign(request: HttpRequest, reference: str, body: ReassignIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        owner = required_colleague(body.owner, "owner", user, complaint)
        return changes.reassign(
            complaint,
            owner=owner,
            team=team_of(body.team_id, user, complaint),
            reason=body.reason,
            actor=user,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.REASSIGN, act)


class NewMatterIn(StepIn):
    route: NewMatterRoute
    description: str
    signpost_to: str = ""
    category: str = ""


@router.post("/{reference}/new-matters", response=RESPONSES, summary="Raise a new matter")
def raise_new_matter(request: HttpRequest, reference: str, body: NewMatterIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RAISE_NEW_MATTER,
        lambda c, u: changes.raise_new_matter(
            c,
            route=body.route,
            description=body.description,
            signpost_to=body.signpost_to,
            category=body.category,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class ConcernIn(StepIn):
    kind: ConcernKind
    description: str
    refer_to: str | None = Field(None, description="Username of the lead it is referred to at once.")


@router.post(
    "/{reference}/concerns", response=RESPONSES, summary="Flag a safeguarding or health and safety concern"
)
def flag_concern(request: HttpRequest, reference: str, body: ConcernIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.FLAG_CONCERN,
        lambda c, u: concerns.flag_concern(
            c,
            kind=body.kind,
            description=body.description,
            refer_to=colleague(body.refer_to, "refer_to", u, c),
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class ReferConcernIn(StepIn):
    to: str


def _concern(complaint: Complaint, concern_id: int) -> Concern:
    found = Concern.objects.filter(complaint=complaint, pk=concern_id).first()
    if found is None:
        raise InvalidInput("concern_id", f"no concern {concern_id} on this complaint")
    return found


@router.post("/{reference}/concerns/{concern_id}/refer", response=RESPONSES, summary="Refer a concern")
def refer_concern(request: HttpRequest, reference: str, concern_id: int, body: ReferConcernIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        to = required_colleague(body.to, "to", user, complaint)
        return concerns.refer_concern(
            _concern(complaint, concern_id),
            to=to,
            actor=user,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.REFER_CONCERN, act)


class CloseConcernIn(StepIn):
    outcome: str


@router.post("/{reference}/concerns/{concern_id}/close", response=RESPONSES, summary="Close a concern")
def close_concern(request: HttpRequest, reference: str, concern_id: int, body: CloseConcernIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.CLOSE_CONCERN,
        lambda c, u: concerns.close_concern(
            _concern(c, concern_id),
            outcome=body.outcome,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class RestrictionIn(StepIn):
    reason: str
    restrictions: str
    review_on: dt.date
    starts_on: dt.date | None = None
    contact_meanwhile: str = ""


@router.post("/{reference}/restrictions", response=RESPONSES, summary="Record a restriction")
def record_restriction(request: HttpRequest, reference: str, body: RestrictionIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RECORD_RESTRICTION,
        lambda c, u: concerns.record_restriction(
            c,
            reason=body.reason,
            restrictions=body.restrictions,
            review_on=body.review_on,
            starts_on=body.starts_on,
            contact_meanwhile=body.contact_meanwhile,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )
