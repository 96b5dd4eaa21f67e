"""Reporting quarters: the social housing year runs from April, so quarter 1 is April to June.

The regulator's Tenant Satisfaction Measures and the Ombudsman's annual report
both count from 1 April; "You said, we did" is refreshed each quarter of that year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True, order=True)
class Quarter:
    """A reporting quarter, named by its first day (1 April, 1 July, 1 October or 1 January)."""

    start: dt.date

    def __post_init__(self) -> None:
        if self.start.day != 1 or self.start.month not in (1, 4, 7, 10):
            raise ValueError(f"{self.start} is not the first day of a reporting quarter")

    @classmethod
    def containing(cls, day: dt.date) -> Quarter:
        month = ((day.month - 1) // 3) * 3 + 1
        return cls(dt.date(day.year, month, 1))

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """ "2026-Q1" (April to June 2026) or a first day "2026-04-01"; ValueError otherwise."""
        text = text.strip()
        if len(text) == 7 and text[4:6].upper() == "-Q" and text[6] in "1234":
            year, number = int(text[:4]), int(text[6])
            month = (number * 3 + 1) % 12 or 12
            return cls(dt.date(year + (1 if number == 4 else 0), month, 1))
        return cls(dt.date.fromisoformat(text))

    @property
    def end(self) -> dt.date:
        """The first day after the quarter."""
        month = self.start.month + 3
        return dt.date(self.start.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def year(self) -> int:
        """The reporting year it belongs to, by the year it begins (2026 for April 2026 to March 2027)."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def number(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def key(self) -> str:
        """ "2026-Q1": the quarter in addresses and the API."""
        return f"{self.year}-Q{self.number}"

    @property
    def label(self) -> str:
        """ "April to June 2026"."""
        last = _MONTHS[(self.start.month + 1) % 12]
        return f"{_MONTHS[self.start.month - 1]} to {last} {self.start.year}"

    def previous(self) -> Quarter:
        return Quarter.containing(self.start - dt.timedelta(days=1))

    def next(self) -> Quarter:
        return Quarter(self.end)
