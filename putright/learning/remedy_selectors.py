"""Reads of a complaint's remedies: the list with its totals, and an amount suggested from a rate."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.cases.policies import rules_for
from putright.learning.models import Remedy
from putright.procedure.learning import RemedyStatus, RemedyType, Suggestion, money, suggest_amount
from putright.procedure.policy import CompensationRate

#: The most days, weeks or occasions a suggestion counts (a typing slip, not a real case, beyond it).
MAX_UNITS = 3650


def remedies_of(complaint: Complaint) -> list[Remedy]:
    """The complaint's remedies, oldest offer first, with their points: one query."""
    return list(
        Remedy.objects.filter(complaint_id=complaint.pk)
        .select_related("point")
        .order_by("stage_number", "offered_on", "pk")
    )


@dataclass(frozen=True)
class Totals:
    """Money on a complaint: offered (every offer, whatever became of it), accepted, paid, declined."""

    offered: Decimal
    accepted: Decimal
    paid: Decimal
    declined: Decimal

    @property
    def any(self) -> bool:
        return bool(self.offered or self.declined)


def totals(remedies: list[Remedy]) -> Totals:
    money_only = [r for r in remedies if r.remedy_type == RemedyType.FINANCIAL.value and r.amount]

    def total(statuses: set[RemedyStatus]) -> Decimal:
        return money(
            sum((r.amount or Decimal(0) for r in money_only if r.current_status in statuses), Decimal(0))
        )

    return Totals(
        offered=total(set(RemedyStatus)),
        accepted=total({RemedyStatus.ACCEPTED, RemedyStatus.PAID}),
        paid=total({RemedyStatus.PAID}),
        declined=total({RemedyStatus.DECLINED}),
    )


def rates_of(complaint: Complaint) -> tuple[CompensationRate, ...]:
    """The compensation rates of the policy the complaint was opened under."""
    return rules_for(complaint).policy.remedies.rates


def suggestion(complaint: Complaint, rate_key: str, units: int | str | None) -> Suggestion:
    """An amount from one of the case policy's rates, with its working; never saved on its own.

    A rate the policy caps is capped for the whole complaint: what was already offered under
    it (and not declined) counts towards the cap.
    """
    rate = rules_for(complaint).policy.remedies.rate(rate_key or "")
    if rate is None:
        if not rates_of(complaint):
            raise InvalidInput("rate", "this complaint's policy sets no compensation rates")
        raise InvalidInput("rate", "choose one of the compensation rates of this complaint's policy")
    count = _units(units, rate.per.value)
    cap = rate.cap
    already = Decimal(0)
    if cap is not None:
        already = money(
            sum(
                (
                    r.amount or Decimal(0)
                    for r in Remedy.objects.filter(complaint_id=complaint.pk, rate_key=rate.key).exclude(
                        status=RemedyStatus.DECLINED.value
                    )
                ),
                Decimal(0),
            )
        )
        if already >= cap:
            raise InvalidInput(
                "rate",
                f"£{already} has already been offered under “{rate.label}”, "
                f"the most the policy pays under it for one complaint (£{money(cap)})",
            )
    found = suggest_amount(
        rate.label, rate.amount, rate.per.value, count, None if cap is None else cap - already
    )
    if already:
        found = Suggestion(found.amount, f"{found.working} (£{already} already offered under this rate)")
    return found


def _units(units: int | str | None, per: str) -> int:
    try:
        count = int(str(units).strip())
    except (TypeError, ValueError):
        raise InvalidInput("units", f"give the number of {per}s as a whole number") from None
    if count < 1:
        raise InvalidInput("units", f"give the number of {per}s, at least 1")
    if count > MAX_UNITS:
        raise InvalidInput("units", f"give the number of {per}s, at most {MAX_UNITS}")
    return count
