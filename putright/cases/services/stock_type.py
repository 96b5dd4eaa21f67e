"""Correct the stock type of the home a complaint is about (issue 13, tsm).

Intake takes it from the customer's tenure, which can be wrong for this complaint (a tenant who
is also a shared owner elsewhere, a tenure changed since). The regulator's measures count
complaints per stock type, so staff correct it, and the timeline keeps what it was.
"""

from __future__ import annotations

import datetime as dt

from putright.accounts.models import StockType, User
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, EventKind
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq


def stock_type_label(value: str) -> str:
    """A stock type in words; "Not a home we own" for none."""
    return StockType(value).label if value else "Not a home we own"


def correct_stock_type(
    complaint: Complaint,
    *,
    stock_type: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Set the stock type: "lcra", "lcho", or "" when the complaint is not about a home we own."""
    with case_step(
        complaint,
        rq.CorrectStockType(stock_type=stock_type),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        old = step.complaint.stock_type
        if old == stock_type:
            raise InvalidInput("stock_type", f"the stock type is already “{stock_type_label(old)}”")
        step.set(stock_type=stock_type)
        step.record(
            EventKind.STOCK_TYPE_CHANGED,
            f"Stock type corrected from “{stock_type_label(old)}” to “{stock_type_label(stock_type)}”",
            old=old,
            new=stock_type,
        )
    return complaint
