"""Which reminder a deadline is due for now: due soon, due today or missed.

One definition for the sweep and the digest, counted on each case's own
working calendar (its policy and its organisation's nation), in London time:

- missed: the deadline has passed (``now > due_at``);
- due today: it falls on today's London date and has not yet passed;
- due soon: at most ``remind_days`` working days are left, counting the
  working days after today up to and including the due date (the workspace's
  "due soon" counts the same way), so with 2 a deadline due on Monday is due
  soon from the Thursday before.

An agreed action, due on a date, is due by the end of that day (``level_on``).

Working these out per case would be slow over thousands of cases, so ``Today``
holds one calendar's view of the moment, computed once per calendar.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from putright.accounts.models import Organisation
from putright.cases.models import PolicyRecord
from putright.cases.policies import calendar_for, current_policy, policy_of
from putright.comms.models import ReminderLevel
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.policy import Nation

#: Lowest first: a later level supersedes the earlier ones.
ORDER = (ReminderLevel.SOON, ReminderLevel.TODAY, ReminderLevel.MISSED)


@dataclass(frozen=True)
class Today:
    """The moment ``now`` as one calendar sees it."""

    calendar: WorkingCalendar
    now: dt.datetime
    date: dt.date
    working: bool
    last_soon_day: dt.date

    @classmethod
    def of(cls, calendar: WorkingCalendar, now: dt.datetime, remind_days: int) -> Today:
        date = calendar.local(now).date()
        return cls(
            calendar=calendar,
            now=now,
            date=date,
            working=calendar.is_working_day(date),
            last_soon_day=calendar.working_day_after(date, remind_days),
        )

    @property
    def horizon(self) -> dt.datetime:
        """The latest due time that is due soon: every level falls at or before it."""
        return self.calendar.end_of_day(self.last_soon_day)

    def level(self, due_at: dt.datetime) -> ReminderLevel | None:
        """The level of a deadline due at ``due_at``, or None while it is further off."""
        if self.now > due_at:
            return ReminderLevel.MISSED
        due_day = self.calendar.local(due_at).date()
        if due_day == self.date:
            return ReminderLevel.TODAY
        if due_day <= self.last_soon_day:
            return ReminderLevel.SOON
        return None

    def level_on(self, day: dt.date) -> ReminderLevel | None:
        """The level of something due by the end of ``day`` (an agreed action's date), as ``level``."""
        return self.level(self.calendar.end_of_day(day))


class Calendars:
    """``Today`` for every policy and nation in use, made once per run (one query)."""

    def __init__(self, now: dt.datetime, remind_days: int) -> None:
        self.now, self.remind_days = now, remind_days
        self._records = {record.pk: record for record in PolicyRecord.objects.all()}
        self._seen: dict[tuple[int, str], Today] = {}

    def today(self, policy_id: int, nation: str) -> Today:
        key = (policy_id, nation)
        if key not in self._seen:
            policy = policy_of(self._records[policy_id])
            calendar = calendar_for(policy, Organisation(nation=nation))
            self._seen[key] = Today.of(calendar, self.now, self.remind_days)
        return self._seen[key]

    def in_force(self, nation: str) -> Today:
        """Today on the calendar of the policy in force, in ``nation``: for dated work on no case
        (a learning action of an organisation there)."""
        key = (-1, nation)
        if key not in self._seen:
            calendar = calendar_for(current_policy().policy, Organisation(nation=nation))
            self._seen[key] = Today.of(calendar, self.now, self.remind_days)
        return self._seen[key]

    def horizon(self) -> dt.datetime:
        """A due-time bound that holds for every calendar: the query's upper limit."""
        views = [self.today(pk, nation.value) for pk in self._records for nation in Nation]
        return max((view.horizon for view in views), default=self.now)

    def last_soon_day(self) -> dt.date:
        """A due-date bound that holds for every calendar: the upper limit for dated work (actions)."""
        views = [self.today(pk, nation.value) for pk in self._records for nation in Nation]
        return max((view.last_soon_day for view in views), default=self.now.date())


def earlier(level: ReminderLevel) -> Iterable[ReminderLevel]:
    """The levels before ``level``: those a catch-up after a pause passes over."""
    return ORDER[: ORDER.index(level)]
