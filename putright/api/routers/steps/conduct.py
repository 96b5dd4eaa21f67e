"""Unacceptable behaviour: a restriction reviewed, renewed or ended, and the decision not to investigate."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Status

from putright.api.routers.steps.common import RESPONSES, StepIn, router, take
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, Restriction
from putright.cases.services import declining, restrictions
from putright.procedure.states import Step


def _restriction(complaint: Complaint, restriction_id: int) -> Restriction:
    """A restriction of the complaint's customer (whichever case recorded it)."""
    found = Restriction.objects.filter(customer_id=complaint.customer_id, pk=restriction_id).first()
    if found is None:
        raise InvalidInput("restriction_id", f"no restriction {restriction_id} on this customer")
    return found


class ReviewRestrictionIn(StepIn):
    conclusion: str
    next_review_on: dt.date


@router.post(
    "/{reference}/restrictions/{restriction_id}/review", response=RESPONSES, summary="Review a restriction"
)
def review_restriction(
    request: HttpRequest, reference: str, restriction_id: int, body: ReviewRestrictionIn
) -> Status[Any]:
    return take(
        request,
        reference,
        Step.REVIEW_RESTRICTION,
        lambda c, u: restrictions.review_restriction(
            c,
            _restriction(c, restriction_id),
            conclusion=body.conclusion,
            next_review_on=body.next_review_on,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class RenewRestrictionIn(StepIn):
    reason: str
    review_on: dt.date
    restrictions: str = ""


@router.post(
    "/{reference}/restrictions/{restriction_id}/renew", response=RESPONSES, summary="Renew a restriction"
)
def renew_restriction(
    request: HttpRequest, reference: str, restriction_id: int, body: RenewRestrictionIn
) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RENEW_RESTRICTION,
        lambda c, u: restrictions.renew_restriction(
            c,
            _restriction(c, restriction_id),
            reason=body.reason,
            review_on=body.review_on,
            restrictions=body.restrictions,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class EndRestrictionIn(StepIn):
    reason: str


@router.post(
    "/{reference}/restrictions/{restriction_id}/end", response=RESPONSES, summary="End a restriction"
)
def end_restriction(
    request: HttpRequest, reference: str, restriction_id: int, body: EndRestrictionIn
) -> Status[Any]:
    return take(
        request,
        reference,
        Step.END_RESTRICTION,
        lambda c, u: restrictions.end_restriction(
            c,
            _restriction(c, restriction_id),
            reason=body.reason,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class DeclineIn(StepIn):
    reason: str
    legal_advice: str
    advice_on: dt.date | None = None


@router.post(
    "/{reference}/not-investigated",
    response=RESPONSES,
    summary="Decide not to investigate (unacceptable behaviour, after legal advice)",
)
def decline_to_investigate(request: HttpRequest, reference: str, body: DeclineIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.DECLINE_TO_INVESTIGATE,
        lambda c, u: declining.decline_to_investigate(
            c,
            reason=body.reason,
            legal_advice=body.legal_advice,
            advice_on=body.advice_on,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )
