"""Putting things right: remedies offered at a stage, and what became of them (the Code, section 7).

A remedy is an apology, an explanation, an action, money or something else,
offered at the complaint's current stage, perhaps for one of its points. Money
has an amount and a purpose (the Ombudsman's categories) and may have been
worked out from one of the policy's compensation rates (``rate_key`` and
``rate_units`` keep how). The customer accepts or declines an offer; money once
accepted is paid, with a date and a reference. Each move is a step of the
procedure (``ADD_REMEDY``, ``UPDATE_REMEDY``) with its timeline event, and the
state machine's guard (``procedure.learning.remedy_move_refusal``) says which
moves are allowed. Sending the same request twice changes nothing the second
time: the remedy already recorded is returned as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import InvalidInput, NotFound
from putright.cases.models import Complaint, EventKind, Point, copied_from
from putright.cases.policies import rules_for
from putright.cases.services.steps import case_step, lock_complaint
from putright.learning.models import Remedy
from putright.procedure import requests as rq
from putright.procedure.learning import RemedyPurpose, RemedyStatus, RemedyType, money
from putright.procedure.wording import long_date

#: The longest payment reference kept (the model's field).
REFERENCE_LIMIT = 100


class RemedyNotFound(NotFound):
    def __init__(self, remedy_id: object) -> None:
        super().__init__(f"No remedy {remedy_id} on this complaint.")


def offer_remedy(
    complaint: Complaint,
    *,
    remedy_type: RemedyType | str,
    description: str,
    amount: Decimal | str | int | None = None,
    purpose: RemedyPurpose | str | None = None,
    point_id: int | None = None,
    rate_key: str = "",
    rate_units: int | None = None,
    offered_on: dt.date | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Remedy:
    """Record what was offered to put things right, at the complaint's current stage.

    ``occurred_at`` is when it was recorded (default: now; the demo records the past), and the
    day of it is the day offered unless ``offered_on`` says otherwise."""
    kind = _choice(RemedyType, remedy_type, "remedy_type", "apology, explanation, action, financial or other")
    why = (
        None
        if purpose in (None, "")
        else _choice(
            RemedyPurpose,
            purpose,
            "purpose",
            "time_and_trouble, distress_and_inconvenience, loss_of_amenity or costs",
        )
    )
    pounds = _amount(amount)
    description = (description or "").strip()
    rate_key = (rate_key or "").strip()
    _check_rate(complaint, kind, rate_key, rate_units)
    point = _point_of(complaint, point_id)
    on = offered_on or _day_of(occurred_at)
    _check_date(on, "offered_on", not_before=_received_on(complaint), since="the complaint was received")
    request = rq.AddRemedy(remedy_type=kind, description=description, amount=pounds, purpose=why)
    wanted = {
        "remedy_type": kind.value,
        "description": description,
        "amount": pounds,
        "purpose": why.value if why else "",
        "point": point,
        "rate_key": rate_key,
        "rate_units": rate_units if rate_key else None,
        "offered_on": on,
    }
    with transaction.atomic():
        locked = lock_complaint(complaint.pk)
        same = Remedy.objects.filter(complaint=locked, stage_number=locked.stage, **wanted).first()
        if same is not None:  # the same offer sent again (a second click, a replayed request)
            return same
        with case_step(
            complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
        ) as step:
            remedy = Remedy.objects.create(
                complaint=step.complaint,
                stage_number=step.complaint.stage,
                recorded_by=actor,
                **copied_from(step.complaint),
                **wanted,
            )
            step.record(
                EventKind.REMEDY_OFFERED,
                f"Remedy offered: {what(remedy)}{_for_point(point)}.",
                **_data(remedy),
            )
    return remedy


def accept_remedy(
    complaint: Complaint,
    *,
    remedy_id: int,
    accepted_on: dt.date | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Remedy:
    """The customer accepted the offer."""
    return _move(
        complaint, remedy_id, RemedyStatus.ACCEPTED, accepted_on, actor, occurred_at, expected_version
    )


def decline_remedy(
    complaint: Complaint,
    *,
    remedy_id: int,
    declined_on: dt.date | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Remedy:
    """The customer declined the offer: it stays on the record, and a better one is a new remedy."""
    return _move(
        complaint, remedy_id, RemedyStatus.DECLINED, declined_on, actor, occurred_at, expected_version
    )


def pay_remedy(
    complaint: Complaint,
    *,
    remedy_id: int,
    paid_on: dt.date | None = None,
    payment_reference: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Remedy:
    """Money accepted by the customer has been paid (or credited), on a date, with its reference."""
    reference = (payment_reference or "").strip()
    if not reference:
        raise InvalidInput(
            "payment_reference",
            "give the payment's reference (or where it was credited, e.g. the rent account)",
        )
    if len(reference) > REFERENCE_LIMIT:
        raise InvalidInput("payment_reference", f"must be {REFERENCE_LIMIT} characters or fewer")
    return _move(
        complaint, remedy_id, RemedyStatus.PAID, paid_on, actor, occurred_at, expected_version, reference
    )


_DATE_FIELD = {
    RemedyStatus.ACCEPTED: "accepted_on",
    RemedyStatus.DECLINED: "declined_on",
    RemedyStatus.PAID: "paid_on",
}
_EVENT = {
    RemedyStatus.ACCEPTED: EventKind.REMEDY_ACCEPTED,
    RemedyStatus.DECLINED: EventKind.REMEDY_DECLINED,
    RemedyStatus.PAID: EventKind.REMEDY_PAID,
}


def _move(
    complaint: Complaint,
    remedy_id: int,
    new: RemedyStatus,
    on: dt.date | None,
    actor: User | None,
    occurred_at: dt.datetime | None,
    expected_version: int | None,
    payment_reference: str = "",
) -> Remedy:
    field = _DATE_FIELD[new]
    today = _today()
    on = on or _day_of(occurred_at)
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidInput(field, "give a date")
    with transaction.atomic():
        lock_complaint(complaint.pk)
        remedy = (
            Remedy.objects.select_for_update(of=("self",))
            .select_related("point")
            .filter(complaint_id=complaint.pk, pk=remedy_id)
            .first()
        )
        if remedy is None:
            raise RemedyNotFound(remedy_id)
        if (
            remedy.current_status is new
            and getattr(remedy, field) == on
            and remedy.payment_reference == payment_reference
        ):
            return remedy  # the same move sent again: already done
        request = rq.UpdateRemedy(
            current=remedy.current_status,
            new=new,
            financial=remedy.remedy_type == RemedyType.FINANCIAL.value,
            on=on,
            since=remedy.last_moved_on,
            today=today,
        )
        with case_step(
            complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
        ) as step:
            remedy.status = new.value
            setattr(remedy, field, on)
            if new is RemedyStatus.PAID:
                remedy.payment_reference = payment_reference
            remedy.save(update_fields=["status", field, "payment_reference", "updated_at"])
            step.record(_EVENT[new], _moved(remedy, new, on), **_data(remedy))
    return remedy


def what(remedy: Remedy) -> str:
    """The remedy in a few words: "£60.00 for loss of amenity (use of the home)", "an apology"."""
    if remedy.amount is not None:
        purpose = RemedyPurpose(remedy.purpose).label.lower() if remedy.purpose else "the customer"
        said = f"£{remedy.amount} for {purpose}"
    else:
        said = RemedyType(remedy.remedy_type).label.lower()
    if remedy.description:
        said += f" ({remedy.description})"
    return said


def _moved(remedy: Remedy, new: RemedyStatus, on: dt.date) -> str:
    if new is RemedyStatus.PAID:
        return f"Remedy paid on {long_date(on)}: {what(remedy)}, reference {remedy.payment_reference}."
    verb = "accepted" if new is RemedyStatus.ACCEPTED else "declined"
    return f"The customer {verb} the remedy on {long_date(on)}: {what(remedy)}."


def _for_point(point: Point | None) -> str:
    return f", for point {point.number}" if point is not None else ""


def _data(remedy: Remedy) -> dict[str, Any]:
    return {
        "remedy": remedy.pk,
        "type": remedy.remedy_type,
        "amount": None if remedy.amount is None else str(remedy.amount),
        "purpose": remedy.purpose,
        "point": remedy.point_id,
        "rate": remedy.rate_key,
        "units": remedy.rate_units,
        "status": remedy.status,
        "offered_on": remedy.offered_on.isoformat(),
        "accepted_on": _iso(remedy.accepted_on),
        "declined_on": _iso(remedy.declined_on),
        "paid_on": _iso(remedy.paid_on),
        "payment_reference": remedy.payment_reference,
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _today() -> dt.date:
    return timezone.localdate()


def _day_of(occurred_at: dt.datetime | None) -> dt.date:
    """The London day of when it happened (today, by default)."""
    if occurred_at is None or not isinstance(occurred_at, dt.datetime) or timezone.is_naive(occurred_at):
        return _today()  # case_step refuses a time it cannot use, with its reason
    return timezone.localtime(occurred_at).date()


def _received_on(complaint: Complaint) -> dt.date:
    return timezone.localtime(complaint.received_at).date()


def _check_date(on: Any, field: str, *, not_before: dt.date, since: str) -> None:
    if not isinstance(on, dt.date) or isinstance(on, dt.datetime):
        raise InvalidInput(field, "give a date")
    if on > _today():
        raise InvalidInput(field, "cannot be in the future")
    if on < not_before:
        raise InvalidInput(field, f"cannot be before {since} ({long_date(not_before)})")


def _choice(enum: Any, value: Any, field: str, allowed: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(field, f"must be {allowed}") from None


def _amount(amount: Decimal | str | int | None) -> Decimal | None:
    if amount is None or amount == "":
        return None
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise InvalidInput("amount", "give the amount in pounds, for example 60 or 60.00") from None
    if not value.is_finite():
        raise InvalidInput("amount", "give the amount in pounds, for example 60 or 60.00")
    if value != money(value):
        raise InvalidInput(
            "amount", "give the amount in pounds and pence, with no more than 2 decimal places"
        )
    if value >= Decimal("10000000"):
        raise InvalidInput("amount", "is too large")
    return money(value)


def _check_rate(complaint: Complaint, kind: RemedyType, rate_key: str, units: int | None) -> None:
    if not rate_key:
        if units is not None:
            raise InvalidInput("units", "give the compensation rate the days, weeks or occasions count for")
        return
    if kind is not RemedyType.FINANCIAL:
        raise InvalidInput("rate", "only money is worked out from a compensation rate")
    if rules_for(complaint).policy.remedies.rate(rate_key) is None:
        raise InvalidInput(
            "rate", f"{rate_key!r} is not one of the compensation rates of this complaint's policy"
        )
    if units is None or units < 1:
        raise InvalidInput("units", "give how many days, weeks or occasions, at least 1")


def _point_of(complaint: Complaint, point_id: int | None) -> Point | None:
    if point_id is None:
        return None
    point = Point.objects.filter(complaint_id=complaint.pk, pk=point_id).first()
    if point is None:
        raise InvalidInput("point", "that point is not part of this complaint")
    return point
