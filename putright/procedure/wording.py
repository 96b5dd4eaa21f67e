"""Dates and times as letters, pages and timelines write them: "Monday 4 January 2027 at 10:00".

The one place dates are put into words. The functions are pure: give them a
date, an instant already in London time, or an instant and the zone to show it
in (the web's template filters pass Europe/London).
"""

from __future__ import annotations

import datetime as dt

from putright.procedure.calendar import END_OF_DAY


def long_date(day: dt.date, *, weekday: bool = False) -> str:
    text = f"{day.day} {day:%B %Y}"
    return f"{day:%A} {text}" if weekday else text


def long_datetime(instant: dt.datetime, *, weekday: bool = False) -> str:
    """A local date and time; give it a time already in the right zone."""
    return f"{long_date(instant.date(), weekday=weekday)} at {instant:%H:%M}"


def short_date(day: dt.date) -> str:
    """ "3 Mar 2026": for a dense table, where the long form would wrap."""
    return f"{day.day} {day:%b %Y}"


def local_day(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.date:
    """A date as it is, or the day an instant falls on in ``tz``."""
    return value.astimezone(tz).date() if isinstance(value, dt.datetime) else value


def day_of(value: dt.date | dt.datetime | None, tz: dt.tzinfo) -> str:
    """ "Tuesday 3 March 2026": a date, or the day an instant falls on in ``tz``; "" for none."""
    return long_date(local_day(value, tz), weekday=True) if value is not None else ""


def clock_time(instant: dt.datetime | None, tz: dt.tzinfo) -> str:
    """ "10:00", in ``tz``; "" for none."""
    return f"{instant.astimezone(tz):%H:%M}" if instant is not None else ""


def moment_of(instant: dt.datetime | None, tz: dt.tzinfo) -> str:
    """ "Tuesday 3 March 2026 at 10:00", in ``tz``; "" for none."""
    return long_datetime(instant.astimezone(tz), weekday=True) if instant is not None else ""


def due_words(instant: dt.datetime | None, tz: dt.tzinfo) -> str:
    """When a deadline falls: the day alone when it runs to the end of the day, else the day and time."""
    if instant is None:
        return ""
    local = instant.astimezone(tz)
    return day_of(local, tz) if local.time() == END_OF_DAY else moment_of(local, tz)


def by_means(label: str) -> str:
    """How something came or was done: "by phone", "by letter", "in person", "through a representative"."""
    label = label.lower()
    return label if label.startswith(("in ", "through ")) else f"by {label}"


def and_list(words: list[str]) -> str:
    """ "Jo, Sam and Lena": a list as a sentence says it."""
    return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)
