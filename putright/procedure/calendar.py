"""Working time: which days count, when a clock starts, and when it runs out.

The rules (pinned down by tests/procedure/test_calendar.py):

- A working day is Monday to Friday, not a bank holiday of the nation and not a
  closure day of the landlord.
- A clock starts at the instant of the event that starts it; if that instant is
  on a non-working day, or at or after the daily cut-off, it starts at 00:00 on
  the next working day.
- N working days: day 0 is the date the clock starts; the deadline is the end
  (23:59:59 local time) of the Nth working day after it.
- N working hours count only the hours of working days, each a whole day of 24
  wall-clock hours.
- N weeks are calendar weeks.

All arithmetic is on local wall-clock time and only then turned into an
instant, so a clock change never moves a deadline by an hour.
"""

from __future__ import annotations

import datetime as dt
from calendar import monthrange
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import holidays

from putright.procedure.policy import CalendarRules, Nation, Period, Unit

LONDON = ZoneInfo("Europe/London")
END_OF_DAY = dt.time(23, 59, 59)

_SUBDIVISION = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


@cache
def _bank_holidays(nation: Nation) -> holidays.HolidayBase:
    return holidays.country_holidays("GB", subdiv=_SUBDIVISION[nation])


@lru_cache(maxsize=65_536)
def _is_working_day(nation: Nation, closure_days: frozenset[dt.date], day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(nation) and day not in closure_days


class NaiveTimeError(ValueError):
    """An instant without a time zone: it could mean two different moments."""


@dataclass(frozen=True)
class WorkingCalendar:
    """The working time of one landlord in one nation."""

    nation: Nation = Nation.ENGLAND_AND_WALES
    closure_days: frozenset[dt.date] = field(default_factory=frozenset)
    cutoff: dt.time = dt.time(17, 0)
    tz: ZoneInfo = LONDON

    @classmethod
    def from_rules(cls, rules: CalendarRules, nation: Nation | None = None) -> WorkingCalendar:
        """The calendar a policy sets, optionally for another nation."""
        return cls(
            nation=nation or rules.nation,
            closure_days=frozenset(rules.closure_days),
            cutoff=rules.cutoff,
            tz=ZoneInfo(rules.timezone),
        )

    # Days

    def is_working_day(self, day: dt.date) -> bool:
        return _is_working_day(self.nation, self.closure_days, day)

    def bank_holiday_name(self, day: dt.date) -> str | None:
        name = _bank_holidays(self.nation).get(day)
        return str(name) if name else None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        day += dt.timedelta(days=1)
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    # The two counts below are asked again and again for the same days when a report reads a
    # year of complaints against the Code's clocks, so they are remembered (the calendar is
    # frozen, so the same calendar and days always give the same answer).

    @lru_cache(maxsize=65_536)  # noqa: B019 (few calendars live, and each is small)
    def working_day_after(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself when count is 0)."""
        if count < 0:
            raise ValueError("count must not be negative")
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    @lru_cache(maxsize=65_536)  # noqa: B019 (as above)
    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if end is earlier)."""
        if end < start:
            return -self.working_days_between(end, start)
        return sum(1 for day in _days(start, end) if day != start and self.is_working_day(day))

    # Instants

    def local(self, instant: dt.datetime) -> dt.datetime:
        """The instant in the calendar's time zone, refusing a naive one."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise NaiveTimeError(f"{instant.isoformat()} has no time zone")
        return instant.astimezone(self.tz)

    def end_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, END_OF_DAY, tzinfo=self.tz)

    def start_of_day(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(0), tzinfo=self.tz)

    def clock_start(self, instant: dt.datetime) -> dt.datetime:
        """When a clock started by an event at ``instant`` begins to run."""
        local = self.local(instant)
        if self.is_working_day(local.date()) and local.time() < self.cutoff:
            return local
        return self.start_of_day(self.next_working_day(local.date()))

    def add_working_days(self, instant: dt.datetime, days: int) -> dt.datetime:
        """The end of the ``days``-th working day after the clock starting at ``instant``."""
        day0 = self.clock_start(instant).date()
        return self.end_of_day(self.working_day_after(day0, days))

    def extend(self, due: dt.datetime, days: int) -> dt.datetime:
        """A deadline moved on by ``days`` working days (the end of that day)."""
        return self.end_of_day(self.working_day_after(self.local(due).date(), days))

    def add_working_hours(self, instant: dt.datetime, hours: int) -> dt.datetime:
        """The instant ``hours`` working hours after the clock starting at ``instant``."""
        wall = self.clock_start(instant).replace(tzinfo=None)
        remaining = dt.timedelta(hours=hours)
        while True:
            midnight = dt.datetime.combine(wall.date() + dt.timedelta(days=1), dt.time(0))
            left_today = midnight - wall
            if remaining < left_today:
                return (wall + remaining).replace(tzinfo=self.tz)
            if remaining == left_today:
                return self.end_of_day(wall.date())
            remaining -= left_today
            wall = dt.datetime.combine(self.next_working_day(wall.date()), dt.time(0))

    def add_weeks(self, instant: dt.datetime, weeks: int) -> dt.datetime:
        """The same wall-clock time ``weeks`` calendar weeks later."""
        local = self.local(instant)
        wall = local.replace(tzinfo=None) + dt.timedelta(weeks=weeks)
        # Keep the fold, so the second 01:30 of the October change stays the second.
        return wall.replace(tzinfo=self.tz, fold=local.fold)

    def due(self, instant: dt.datetime, period: Period) -> dt.datetime:
        """When a clock of ``period`` started at ``instant`` runs out."""
        if period.unit is Unit.WORKING_HOURS:
            return self.add_working_hours(instant, period.amount)
        if period.unit is Unit.WORKING_DAYS:
            return self.add_working_days(instant, period.amount)
        return self.add_weeks(instant, period.amount)


def _days(start: dt.date, end: dt.date) -> Iterable[dt.date]:
    for offset in range((end - start).days + 1):
        yield start + dt.timedelta(days=offset)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same date ``months`` calendar months later, or that month's last day."""
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    return dt.date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))
