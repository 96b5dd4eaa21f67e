"""What a complaint teaches, as rules: remedies, compensation and the learning owed at closure.

The Complaint Handling Code (section 7) and the Ombudsman's remedies guidance
say how things are put right: an apology, an explanation, an action, money.
The money has a purpose (the guidance's categories) and a life of its own:
offered, then accepted or declined, then (once accepted) paid. A landlord's own
compensation rates live in its policy file beside its timescales
(``policy.Remedies``), and the form suggests an amount from them, never
silently. Closing a complaint may need its learning recorded first (a theme on
every point, a root cause on every upheld one): ``closure_gaps`` says what is
missing, in words a caseworker can act on. Nothing here knows of Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum


class RemedyType(StrEnum):
    """What was offered to put things right (the Code, 7.1)."""

    APOLOGY = "apology"
    EXPLANATION = "explanation"
    ACTION = "action"
    FINANCIAL = "financial"
    OTHER = "other"

    @property
    def label(self) -> str:
        return REMEDY_TYPE_LABELS[self]


REMEDY_TYPE_LABELS = {
    RemedyType.APOLOGY: "An apology",
    RemedyType.EXPLANATION: "An explanation",
    RemedyType.ACTION: "An action to put it right",
    RemedyType.FINANCIAL: "A financial remedy",
    RemedyType.OTHER: "Something else",
}


class RemedyPurpose(StrEnum):
    """What money is for, in the Ombudsman's remedies guidance."""

    TIME_AND_TROUBLE = "time_and_trouble"
    DISTRESS_AND_INCONVENIENCE = "distress_and_inconvenience"
    LOSS_OF_AMENITY = "loss_of_amenity"
    COSTS = "costs"

    @property
    def label(self) -> str:
        return REMEDY_PURPOSE_LABELS[self]


REMEDY_PURPOSE_LABELS = {
    RemedyPurpose.TIME_AND_TROUBLE: "Time and trouble",
    RemedyPurpose.DISTRESS_AND_INCONVENIENCE: "Distress and inconvenience",
    RemedyPurpose.LOSS_OF_AMENITY: "Loss of amenity (use of the home)",
    RemedyPurpose.COSTS: "Costs the customer met",
}


class RemedyStatus(StrEnum):
    """Where a remedy is: offered, then accepted or declined; money once accepted is paid."""

    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    PAID = "paid"

    @property
    def label(self) -> str:
        return self.value.capitalize()


#: The moves a remedy may make. A declined offer is final: a better one is a new remedy.
REMEDY_MOVES: dict[RemedyStatus, frozenset[RemedyStatus]] = {
    RemedyStatus.OFFERED: frozenset({RemedyStatus.ACCEPTED, RemedyStatus.DECLINED}),
    RemedyStatus.ACCEPTED: frozenset({RemedyStatus.PAID}),
    RemedyStatus.DECLINED: frozenset(),
    RemedyStatus.PAID: frozenset(),
}


def remedy_move_refusal(
    current: RemedyStatus, new: RemedyStatus, *, financial: bool, on: dt.date, since: dt.date
) -> str | None:
    """Why a remedy cannot move from ``current`` to ``new`` on ``on`` (or None when it can).

    ``since`` is the date of its last move: the record never shows a payment before the
    acceptance it follows.
    """
    if new is RemedyStatus.PAID and not financial:
        return "Only money is paid: record an apology or an action as accepted or declined."
    if new not in REMEDY_MOVES[current]:
        if current is RemedyStatus.DECLINED:
            return "The customer declined this remedy: offer a new one instead."
        if current is RemedyStatus.PAID:
            return "This remedy has been paid: nothing further can change on it."
        if new is RemedyStatus.PAID:
            return "The customer must accept the offer before it is paid."
        return f"A remedy that is {current.label.lower()} cannot become {new.label.lower()}."
    if on < since:
        return f"The date cannot be before the remedy was {current.label.lower()} ({since:%d %B %Y})."
    return None


PENCE = Decimal("0.01")


def money(amount: Decimal | int | str) -> Decimal:
    """An amount in pounds, to the penny."""
    return Decimal(amount).quantize(PENCE, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Suggestion:
    """An amount worked out from a policy rate, with the working shown to the caseworker."""

    amount: Decimal
    working: str


def suggest_amount(
    rate_label: str, rate_amount: Decimal, per: str, units: int, cap: Decimal | None = None
) -> Suggestion:
    """The policy rate times how many days (or weeks, or occasions), capped where the policy caps it.

    The form shows the working beside the amount, and the caseworker keeps or changes it:
    a suggestion is never saved on its own.
    """
    if units < 1:
        raise ValueError("the number of days, weeks or occasions must be at least 1")
    total = money(rate_amount * units)
    unit = per if units == 1 else f"{per}s"
    article = "an" if per[:1] in "aeiou" else "a"
    working = f"{rate_label}: £{money(rate_amount)} {article} {per} × {units} {unit} = £{total}"
    if cap is not None and total > cap:
        total = money(cap)
        working += f", capped at £{total} by the policy"
    return Suggestion(total, working)


@dataclass(frozen=True)
class PointLearning:
    """What the guards need of one point: its number, theme, outcome and root cause."""

    number: int
    has_theme: bool
    upheld: bool  # its latest outcome is upheld or partly upheld
    has_root_cause: bool


def closure_gaps(points: Iterable[PointLearning]) -> list[str]:
    """What is missing before a complaint may close, one phrase per gap (empty when none).

    Every point needs a theme (what it was about), and every upheld or partly upheld point
    a root cause (why it went wrong): the record a landlord learns from.
    """
    points = sorted(points, key=lambda p: p.number)
    no_theme = [p.number for p in points if not p.has_theme]
    no_cause = [p.number for p in points if p.upheld and not p.has_root_cause]
    gaps = []
    if no_theme:
        gaps.append(f"{_points(no_theme)} {'has' if len(no_theme) == 1 else 'have'} no theme")
    if no_cause:
        gaps.append(
            f"{_points(no_cause)} {'was' if len(no_cause) == 1 else 'were'} upheld without a root cause"
        )
    return gaps


#: What every refusal for missing learning says: the case page finds it by these words to offer the
#: way to record it (``learning_owed``).
LEARNING_OWED = "when every point has a theme and every upheld or partly upheld point a root cause"


def closure_refusal(what: str, points: Iterable[PointLearning]) -> str | None:
    gaps = closure_gaps(points)
    if not gaps:
        return None
    return f"{what} {LEARNING_OWED}: {'; '.join(gaps)}."


def learning_owed(refusal: str) -> bool:
    """Whether a refusal is for learning not yet recorded (so recording it is the way on)."""
    return LEARNING_OWED in refusal


def _points(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"point {numbers[0]}"
    listed = ", ".join(str(n) for n in numbers[:-1])
    return f"points {listed} and {numbers[-1]}"
