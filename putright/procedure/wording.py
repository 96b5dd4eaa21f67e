"""Dates and times as letters and timelines write them: "Monday 4 January 2027, 10:00"."""

from __future__ import annotations

import datetime as dt


def long_date(day: dt.date, *, weekday: bool = False) -> str:
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text


def long_datetime(instant: dt.datetime, *, weekday: bool = False) -> str:
    """A local date and time; give it a time already in the right zone."""
    return f"{long_date(instant.date(), weekday=weekday)} at {instant:%H:%M}"


def by_means(label: str) -> str:
    """How something came or was done: "by phone", "by letter", "in person", "through a representative"."""
    label = label.lower()
    return label if label.startswith(("in ", "through ")) else f"by {label}"
