"""Dates for the procedure tests, written the way a caseworker reads them: with the weekday.

Every date in these tests is worked out by hand from a printed calendar. Writing
the weekday beside it lets the standard library check the hand work (a date that
is not the weekday written fails the test), never the code under test.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")


def day(weekday: str, year: int, month: int, dom: int) -> dt.date:
    """A date, checked to fall on ``weekday`` ("Mon" ... "Sun")."""
    date = dt.date(year, month, dom)
    assert date.strftime("%a") == weekday, f"{date} is a {date:%a}, not a {weekday}"
    return date


def london(
    weekday: str, year: int, month: int, dom: int, hour: int = 0, minute: int = 0, second: int = 0
) -> dt.datetime:
    """A wall-clock time in London (GMT or BST, whichever was in force)."""
    date = day(weekday, year, month, dom)
    return dt.datetime(date.year, date.month, date.day, hour, minute, second, tzinfo=LONDON)


def end_of(weekday: str, year: int, month: int, dom: int) -> dt.datetime:
    """The end of a day in London, 23:59:59: when a working-days deadline runs out."""
    return london(weekday, year, month, dom, 23, 59, 59)


def utc(year: int, month: int, dom: int, hour: int = 0, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, dom, hour, minute, second, tzinfo=dt.UTC)
