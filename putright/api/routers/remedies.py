"""Putting things right (the Code, section 7): remedies offered on a complaint, and what became of them.

A remedy is offered at the complaint's current stage; the customer accepts or
declines it; money once accepted is paid. Each write is a step
(``add_remedy``, ``update_remedy``) taking the complaint's ``version`` and
answering with the complaint, whose ``remedies`` list shows the change; a move
the remedy cannot make (paid before it was accepted, an answer changed) is
refused with 409 and the reason. The same request sent twice changes nothing
the second time (and an ``Idempotency-Key`` replays the first answer).
``GET .../remedies/suggestion`` works an amount out from one of the case
policy's compensation rates, with the working; it saves nothing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from putright.accounts.permissions import Capability
from putright.api.auth import caller
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS
from putright.api.routers.steps.common import RESPONSES, take
from putright.cases.policies import rules_for
from putright.cases.selectors.complaints import complaint_for_user
from putright.learning.remedy_selectors import suggestion
from putright.learning.services import remedies
from putright.procedure.states import Step

router = Router(tags=["Remedies"])


class RemedyStepIn(Schema):
    version: int = Field(description="The complaint's version as you read it.")


class OfferIn(RemedyStepIn):
    type: str = Field(description="apology, explanation, action, financial or other.")
    description: str = Field("", description="What was offered, in the words the customer was given.")
    amount: Decimal | None = Field(None, description='For money only: the amount in pounds, e.g. "60.00".')
    purpose: str | None = Field(
        None,
        description="For money only: time_and_trouble, distress_and_inconvenience, loss_of_amenity or costs.",
    )
    point_id: int | None = Field(None, description="The point of the complaint it answers, if one.")
    rate: str = Field(
        "", description="The compensation rate the amount was worked out from (its key in GET /policy)."
    )
    units: int | None = Field(None, description="How many days, weeks or occasions, with ``rate``.")
    offered_on: dt.date | None = Field(None, description="When it was offered (default: today).")


@router.post("/{reference}/remedies", response=RESPONSES, summary="Offer a remedy")
def offer(request: HttpRequest, reference: str, body: OfferIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.ADD_REMEDY,
        lambda c, u: remedies.offer_remedy(
            c,
            remedy_type=body.type,
            description=body.description,
            amount=body.amount,
            purpose=body.purpose,
            point_id=body.point_id,
            rate_key=body.rate,
            rate_units=body.units,
            offered_on=body.offered_on,
            actor=u,
            expected_version=body.version,
        ),
    )


class RemedyAcceptIn(RemedyStepIn):
    accepted_on: dt.date | None = Field(None, description="When the customer accepted (default: today).")


@router.post("/{reference}/remedies/{remedy_id}/accept", response=RESPONSES, summary="The customer accepted")
def accept(request: HttpRequest, reference: str, remedy_id: int, body: RemedyAcceptIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.UPDATE_REMEDY,
        lambda c, u: remedies.accept_remedy(
            c, remedy_id=remedy_id, accepted_on=body.accepted_on, actor=u, expected_version=body.version
        ),
    )


class RemedyDeclineIn(RemedyStepIn):
    declined_on: dt.date | None = Field(None, description="When the customer declined (default: today).")


@router.post("/{reference}/remedies/{remedy_id}/decline", response=RESPONSES, summary="The customer declined")
def decline(request: HttpRequest, reference: str, remedy_id: int, body: RemedyDeclineIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.UPDATE_REMEDY,
        lambda c, u: remedies.decline_remedy(
            c, remedy_id=remedy_id, declined_on=body.declined_on, actor=u, expected_version=body.version
        ),
    )


class PayIn(RemedyStepIn):
    paid_on: dt.date | None = Field(None, description="When it was paid (default: today).")
    payment_reference: str = Field(description="The payment's reference, or where it was credited.")


@router.post("/{reference}/remedies/{remedy_id}/pay", response=RESPONSES, summary="Money accepted was paid")
def pay(request: HttpRequest, reference: str, remedy_id: int, body: PayIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.UPDATE_REMEDY,
        lambda c, u: remedies.pay_remedy(
            c,
            remedy_id=remedy_id,
            paid_on=body.paid_on,
            payment_reference=body.payment_reference,
            actor=u,
            expected_version=body.version,
        ),
    )


class SuggestionQuery(Schema):
    rate: str = Field(description="A compensation rate's key (GET /policy lists them).")
    units: int = Field(description="How many days, weeks or occasions.")


class SuggestionOut(Schema):
    rate: str
    units: int
    amount: str = Field(description='In pounds, to the penny, e.g. "60.00"; capped where the policy caps it.')
    purpose: str = Field(description="What the rate's money is for.")
    working: str = Field(description="How it was worked out, in words to show beside the amount.")


@router.get(
    "/{reference}/remedies/suggestion",
    response={200: SuggestionOut, **READ_ERRORS},
    summary="Suggest an amount from a compensation rate",
)
def suggest(request: HttpRequest, reference: str, query: Query[SuggestionQuery]) -> dict[str, Any]:
    """An amount from one of the rates of the policy the complaint is under; nothing is saved.
    A capped rate counts what was already offered under it on this complaint (and not declined)."""
    user = caller(request)
    complaint = complaint_for_user(user=user, reference=reference)
    require(user, Capability.RECORD_REMEDY)
    found = suggestion(complaint, query.rate, query.units)
    rate = rules_for(complaint).policy.remedies.rate(query.rate)
    return {
        "rate": query.rate,
        "units": query.units,
        "amount": str(found.amount),
        "purpose": rate.purpose.value if rate else "",
        "working": found.working,
    }
