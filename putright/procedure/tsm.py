"""The Tenant Satisfaction Measures CH01 and CH02: was a stage answered within the Code's timescales?

The Regulator of Social Housing asks every landlord each year, per stock type (TSM technical
requirements, complaints measures):

- CH01(1), CH01(2): stage 1 and stage 2 complaints received in the year per 1,000 homes owned
  at the year end. A complaint escalated in the year is counted at each stage it reached; only
  the Code's two stages count, so an appeal (a landlord's third stage) is not counted.
- CH02(1), CH02(2): of the stage 1 and stage 2 complaints responded to in the year, the
  proportion responded to within the Housing Ombudsman's Complaint Handling Code timescales.

CH02 is measured against the Code's own clocks, never the landlord's stricter policy, so every
landlord reports the same thing whatever its policy says:

- Code 6.2 and 6.11: a complaint (stage 1) or an escalation request (stage 2) is acknowledged
  within 5 working days of receipt.
- Code 6.3 and 6.14: the response is issued within 10 (stage 1) or 20 (stage 2) working days of
  the acknowledgement. When the acknowledgement came late, or never, the response clock runs
  from the last day it should have come: a late acknowledgement never buys more time.
- Code 6.4 and 6.15: an extension of no more than 10 (stage 1) or 20 (stage 2) working days,
  its reason explained to the resident, moves the limit. An extension set further than that
  moves it only as far as the Code allows (a response inside those days was inside an extension
  the Code allows), unless the reading says a recorded good reason makes the whole of it count
  (the Code's "without good reason"). One whose reason was not told moves nothing.
- The Code allows no "stage 0": a complaint resolved informally at first contact is a stage 1
  complaint the Code would have the landlord count. Whether the report counts it is a reading.

The readings a landlord may need to argue with the regulator are named and settable
(``TsmReading``), and every report prints the one it used (``TsmReading.describe``).

Working days here are the Code's, not the landlord's: Monday to Friday except the bank holidays
of the organisation's nation. A landlord's own closure days and its daily cut-off (which the
policy calendar has) are not the Code's, so the calendar passed in should be one without them
(``code_calendar``). Everything is counted in whole days in London time, so a response on the
last allowed day at 23:30 is within, and a clock change never moves a limit.

This module is pure: the database's facts come in as ``StageTiming`` values.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import Nation

#: Working days to acknowledge, to respond from the acknowledgement, and of the longest
#: extension, per stage of the Code.
ACKNOWLEDGE_DAYS = 5
RESPONSE_DAYS = {1: 10, 2: 20}
EXTENSION_DAYS = {1: 10, 2: 20}

#: The regulator's stock types: low-cost rental and low-cost home ownership.
STOCK_TYPES = ("lcra", "lcho")

#: The measures, by the regulator's names.
CH01_1, CH01_2, CH02_1, CH02_2 = "CH01(1)", "CH01(2)", "CH02(1)", "CH02(2)"
MEASURE_TITLES = {
    CH01_1: "Stage 1 complaints received per 1,000 homes",
    CH01_2: "Stage 2 complaints received per 1,000 homes",
    CH02_1: "Stage 1 complaints responded to within the Code's timescales",
    CH02_2: "Stage 2 complaints responded to within the Code's timescales",
}


def code_calendar(nation: Nation) -> WorkingCalendar:
    """The Code's working days in ``nation``: no closure days, no daily cut-off."""
    return WorkingCalendar(nation=nation, cutoff=dt.time.max)


_WORKING_DAYS = (
    "Working days are Monday to Friday except bank holidays; a late or missing acknowledgement "
    "counts from the fifth working day after receipt."
)


@dataclass(frozen=True)
class TsmReading:
    """How the report reads the points where the Code and the measures leave a choice."""

    #: A response inside an extension the Code allows counts as within the timescales.
    extensions_within_code_count_as_within: bool = True
    #: Complaints resolved informally at first contact count as stage 1 complaints.
    informal_resolutions_count_as_stage1: bool = True
    #: An extension beyond the Code's limit, with a good reason recorded, also counts.
    extensions_with_good_reason_count_as_within: bool = False

    def describe(self) -> str:
        """The reading in words, printed on every report."""
        return " ".join(
            [
                "A response inside an extension the Code allows (at most 10 working days at stage 1, "
                "20 at stage 2, the reason told to the resident) "
                + ("counts" if self.extensions_within_code_count_as_within else "does not count")
                + " as within the timescales.",
                "A longer extension counts "
                + (
                    "in full when a good reason is recorded, otherwise only up to the Code's limit."
                    if self.extensions_with_good_reason_count_as_within
                    else "only up to the Code's limit."
                ),
                "Complaints resolved informally "
                + ("are" if self.informal_resolutions_count_as_stage1 else "are not")
                + " counted as stage 1 complaints.",
                _WORKING_DAYS,
            ]
        )

    def as_dict(self) -> dict[str, bool]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


#: Named readings a landlord can choose by name.
PRESETS: dict[str, TsmReading] = {
    "regulator": TsmReading(),
    "strict": TsmReading(
        extensions_within_code_count_as_within=False, informal_resolutions_count_as_stage1=False
    ),
}


def reading_from_setting(value: str | Mapping[str, Any] | None) -> TsmReading:
    """The reading a setting names: a preset's name, a mapping of fields, or None (the default).

    ValueError, saying what is allowed, for anything else: a report must never run on a
    reading nobody chose.
    """
    if value is None or value == "":
        return TsmReading()
    if isinstance(value, str):
        if value not in PRESETS:
            raise ValueError(f"no TSM reading {value!r}: choose from {', '.join(PRESETS)} or give the fields")
        return PRESETS[value]
    known = {f.name for f in fields(TsmReading)}
    unknown = sorted(set(value) - known)
    if unknown:
        raise ValueError(
            f"unknown TSM reading field(s) {', '.join(unknown)}: the fields are {', '.join(sorted(known))}"
        )
    if not all(isinstance(flag, bool) for flag in value.values()):
        raise ValueError("each TSM reading field is true or false")
    return TsmReading(**dict(value))


@dataclass(frozen=True)
class ExtensionTiming:
    """One extension of a stage: the new last day, and whether the resident was told why."""

    new_due_at: dt.datetime
    reason_told: bool
    good_reason: bool = False


@dataclass(frozen=True)
class StageTiming:
    """The facts of one stage the measure needs."""

    number: int
    received_at: dt.datetime
    acknowledged_at: dt.datetime | None
    responded_at: dt.datetime | None
    extensions: tuple[ExtensionTiming, ...] = ()

    def __post_init__(self) -> None:
        if self.number not in RESPONSE_DAYS:
            raise ValueError("the Code has two stages, 1 and 2")


def _day(calendar: WorkingCalendar, instant: dt.datetime) -> dt.date:
    """The working day an event counts from: its own, or the next working day."""
    return calendar.clock_start(instant).date()


def counted_from(calendar: WorkingCalendar, stage: StageTiming) -> dt.date:
    """The day the Code's clock counts from: the day of receipt, or the next working day."""
    return _day(calendar, stage.received_at)


def acknowledgement_last_day(calendar: WorkingCalendar, stage: StageTiming) -> dt.date:
    """The last day the Code allows for the acknowledgement: 5 working days from receipt."""
    return calendar.working_day_after(counted_from(calendar, stage), ACKNOWLEDGE_DAYS)


def response_last_day(calendar: WorkingCalendar, stage: StageTiming) -> dt.date:
    """The Code's last day for the response before any extension.

    Counted from the acknowledgement, or from its own last day when it came later or never.
    """
    latest = acknowledgement_last_day(calendar, stage)
    start = latest if stage.acknowledged_at is None else min(_day(calendar, stage.acknowledged_at), latest)
    return calendar.working_day_after(start, RESPONSE_DAYS[stage.number])


def extended_last_day(calendar: WorkingCalendar, stage: StageTiming, reading: TsmReading) -> dt.date:
    """The last day for the response once the extensions the reading accepts are counted."""
    base = response_last_day(calendar, stage)
    if not reading.extensions_within_code_count_as_within:
        return base
    cap = calendar.working_day_after(base, EXTENSION_DAYS[stage.number])
    last = base
    for extension in stage.extensions:
        if not extension.reason_told:
            continue
        day = calendar.local(extension.new_due_at).date()
        longer_allowed = reading.extensions_with_good_reason_count_as_within and extension.good_reason
        # A longer extension still gives the resident what the Code allows, and no more.
        last = max(last, day if longer_allowed else min(day, cap))
    return last


def within_code(calendar: WorkingCalendar, stage: StageTiming, reading: TsmReading) -> bool:
    """Whether a stage responded to was answered within the Code's timescales (CH02)."""
    if stage.responded_at is None:
        raise ValueError("only a stage responded to is measured")
    return calendar.local(stage.responded_at).date() <= extended_last_day(calendar, stage, reading)


def per_thousand(count: int, homes: int) -> float | None:
    """CH01's value: per 1,000 homes to one decimal place; None without homes to divide by."""
    if homes <= 0:
        return None
    return _one_decimal(count * 1000, homes)


def percentage(part: int, whole: int) -> float | None:
    """CH02's value: a percentage to one decimal place; None when nothing was responded to."""
    if whole <= 0:
        return None
    return _one_decimal(part * 100, whole)


def _one_decimal(numerator: int, denominator: int) -> float:
    """numerator / denominator to one decimal place, halves upwards (not banker's rounding)."""
    exact = Decimal(numerator) / Decimal(denominator)
    return float(exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))
