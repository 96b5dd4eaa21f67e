"""Correct the stock type of the home a complaint is about (issue 13, tsm)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Status

from putright.api.routers.steps.common import RESPONSES, StepIn, router, take
from putright.cases.services.stock_type import correct_stock_type
from putright.procedure.states import Step


class StockTypeIn(StepIn):
    stock_type: Literal["lcra", "lcho", ""] = Field(
        description='lcra (low-cost rental), lcho (low-cost home ownership), or "" when the complaint '
        "is not about a home we own. The regulator's measures count complaints per stock type."
    )


@router.post("/{reference}/stock-type", response=RESPONSES, summary="Correct the stock type")
def stock_type(request: HttpRequest, reference: str, body: StockTypeIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.CORRECT_STOCK_TYPE,
        lambda c, u: correct_stock_type(
            c,
            stock_type=body.stock_type,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )
