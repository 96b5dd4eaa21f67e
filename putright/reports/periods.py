"""The periods a report covers: a quarter, a reporting year (1 April to 31 March), or any range.

A period is a range of whole days in London time: it starts at midnight in London on its
first day and ends at midnight on the day after its last, so a complaint received at 23:30
UTC on 31 March 2026 (00:30 on 1 April in London) falls in the year 2026-27.

Keys, as they appear in addresses, the API and the command line:

- ``2026-Q1``: a reporting quarter (April to June 2026);
- ``2025-26``: a reporting year (April 2025 to March 2026);
- ``2026-04-01..2026-05-15``: any range of days, both ends included.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from putright.learning.quarters import Quarter

LONDON = ZoneInfo("Europe/London")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` up to, not including, ``end``."""

    start: dt.date
    end: dt.date
    key: str
    label: str

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a period ends after it starts")

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def starts_at(self) -> dt.datetime:
        """Midnight in London on the first day, as an aware datetime for queries."""
        return dt.datetime.combine(self.start, dt.time(), tzinfo=LONDON)

    @property
    def ends_at(self) -> dt.datetime:
        """Midnight in London after the last day: the first moment not in the period."""
        return dt.datetime.combine(self.end, dt.time(), tzinfo=LONDON)

    def contains(self, moment: dt.datetime) -> bool:
        return self.starts_at <= moment < self.ends_at

    def months(self) -> Iterator[Period]:
        """The calendar months the period touches, each cut to the period, for trends."""
        first = self.start.replace(day=1)
        while first < self.end:
            after = (first + dt.timedelta(days=32)).replace(day=1)
            start, end = max(first, self.start), min(after, self.end)
            yield Period(start, end, f"{first:%Y-%m}", f"{first:%B %Y}")
            first = after


def quarter(q: Quarter) -> Period:
    return Period(q.start, q.end, q.key, q.label)


def reporting_year(year: int) -> Period:
    """The reporting year that begins on 1 April ``year``."""
    return Period(
        dt.date(year, 4, 1),
        dt.date(year + 1, 4, 1),
        f"{year}-{(year + 1) % 100:02d}",
        f"April {year} to March {year + 1}",
    )


def year_containing(day: dt.date) -> Period:
    return reporting_year(day.year if day.month >= 4 else day.year - 1)


def this_quarter(today: dt.date) -> Period:
    return quarter(Quarter.containing(today))


def last_quarter(today: dt.date) -> Period:
    return quarter(Quarter.containing(today).previous())


#: The longest range of days a report covers: ten years of monthly trends is already 120 points.
LONGEST = dt.timedelta(days=3653)


def days(first: dt.date, last: dt.date) -> Period:
    """From ``first`` to ``last``, both included, at most ten years."""
    if last < first:
        raise ValueError("the last day is before the first")
    if last - first >= LONGEST:
        raise ValueError("a report covers at most ten years")
    if last == dt.date.max:
        raise ValueError(f"the last day must be before {dt.date.max:%-d %B %Y}")
    label = f"{first.day} {first:%B %Y} to {last.day} {last:%B %Y}"
    return Period(first, last + dt.timedelta(days=1), f"{first}..{last}", label)


def parse(text: str) -> Period:
    """A period from its key; ValueError, saying what is expected, for anything else."""
    text = text.strip()
    if match := _YEAR.match(text):
        year, following = int(match[1]), int(match[2])
        if (year + 1) % 100 != following:
            raise ValueError(f"{text!r}: a reporting year is written like 2025-26")
        return reporting_year(year)
    if match := _RANGE.match(text):
        try:
            return days(dt.date.fromisoformat(match[1]), dt.date.fromisoformat(match[2]))
        except ValueError as error:
            raise ValueError(f"{text!r}: {error}") from None
    try:
        return quarter(Quarter.parse(text))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a period: give a quarter (2026-Q1), a reporting year (2025-26) "
            "or days (2026-04-01..2026-05-15)"
        ) from None
