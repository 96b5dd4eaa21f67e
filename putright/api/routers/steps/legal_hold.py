"""Place and lift a legal hold on a complaint (issue 15, retention)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Status

from putright.api.routers.steps.common import RESPONSES, StepIn, router, take
from putright.cases.services.legal_hold import lift_legal_hold, place_legal_hold
from putright.procedure.states import Step


class LegalHoldIn(StepIn):
    reason: str = Field(
        description="Why the complaint must be kept (placing), or why it no longer must (lifting)."
    )


@router.post("/{reference}/legal-hold", response=RESPONSES, summary="Place a legal hold")
def place(request: HttpRequest, reference: str, body: LegalHoldIn) -> Status[Any]:
    """While the hold stands, the retention run does not remove the complaint's personal details."""
    return take(
        request,
        reference,
        Step.PLACE_LEGAL_HOLD,
        lambda c, u: place_legal_hold(
            c, actor=u, reason=body.reason, occurred_at=body.occurred_at, expected_version=body.version
        ),
    )


@router.post("/{reference}/legal-hold/lift", response=RESPONSES, summary="Lift the legal hold")
def lift(request: HttpRequest, reference: str, body: LegalHoldIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.LIFT_LEGAL_HOLD,
        lambda c, u: lift_legal_hold(
            c, actor=u, reason=body.reason, occurred_at=body.occurred_at, expected_version=body.version
        ),
    )
