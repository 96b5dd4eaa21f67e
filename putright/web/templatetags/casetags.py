"""How the case page words dates, deadlines and files: words first, colour second.

A deadline's state is said in working days on the case's own calendar ("3
working days left", "Overdue by 2 working days"), so that a caseworker never
has to count weekends and bank holidays, and the colour of its tag only
repeats what the words say.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django import template
from django.utils import timezone

from putright.cases.models import Deadline, TimelineEvent
from putright.procedure.calendar import END_OF_DAY, WorkingCalendar
from putright.procedure.wording import long_date, long_datetime

register = template.Library()

#: The stable names of procedure/deadlines.py, as a caseworker says them.
DEADLINE_NAMES = {
    "stage1.contact": "Stage 1 first contact",
    "stage1.response": "Stage 1 response",
    "stage1.extended_response": "Stage 1 response (extended)",
    "stage2.contact": "Stage 2 first contact",
    "stage2.response": "Stage 2 response",
    "stage2.extended_response": "Stage 2 response (extended)",
    "appeal.meeting": "Appeal meeting",
    "appeal.decision": "Appeal decision",
    "ombudsman.direct": "Customer may go to the Housing Ombudsman directly",
}


@register.filter
def deadline_name(name: str) -> str:
    return DEADLINE_NAMES.get(name, name.replace(".", " ").replace("_", " ").capitalize())


@dataclass(frozen=True)
class DeadlineState:
    """A deadline as the page shows it: the words, the tag's colour, and whether it is overdue."""

    words: str
    tag: str
    overdue: bool = False


def _days(count: int) -> str:
    return f"{count} working day{'' if count == 1 else 's'}"


def deadline_state(deadline: Deadline, calendar: WorkingCalendar, now: dt.datetime) -> DeadlineState:
    """Met, cancelled, or how long is left (or how long ago it was due), in working days."""
    if deadline.cancelled_at is not None:
        return DeadlineState("Cancelled", "govuk-tag--grey")
    if deadline.met_at is not None:
        met = long_datetime(calendar.local(deadline.met_at), weekday=True)
        if deadline.met_at > deadline.due_at:
            return DeadlineState(f"Met late, on {met}", "govuk-tag--pink")
        return DeadlineState(f"Met on {met}", "govuk-tag--green")
    today = calendar.local(now).date()
    due_day = calendar.local(deadline.due_at).date()
    if now > deadline.due_at:
        late = calendar.working_days_between(due_day, today)
        words = f"Overdue by {_days(late)}" if late > 0 else f"Overdue since {due_words(deadline.due_at)}"
        return DeadlineState(words, "govuk-tag--red", overdue=True)
    if due_day == today:
        return DeadlineState("Due today", "govuk-tag--orange")
    left = calendar.working_days_between(today, due_day)
    return DeadlineState(f"{_days(left)} left", "govuk-tag--blue" if left > 2 else "govuk-tag--yellow")


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


@register.filter
def london_date(value: dt.date | dt.datetime | None) -> str:
    """ "Tuesday 3 March 2026", from a date or an instant (in London)."""
    if value is None:
        return ""
    day = _local(value).date() if isinstance(value, dt.datetime) else value
    return long_date(day, weekday=True)


@register.filter
def london_datetime(value: dt.datetime | None) -> str:
    """ "Tuesday 3 March 2026 at 10:00", in London."""
    return long_datetime(_local(value), weekday=True) if value is not None else ""


@register.filter
def due_words(value: dt.datetime) -> str:
    """A deadline's due time: the day alone when it runs to the end of the day, else the day and time."""
    local = _local(value)
    return london_date(local) if local.time() == END_OF_DAY else london_datetime(local)


@register.filter
def file_size(size: int) -> str:
    """ "2.5 MB", "340 KB", "12 bytes"."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f}".removesuffix(".0") + " MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} byte{'' if size == 1 else 's'}"


@register.filter
def words(value: str) -> str:
    """A stored key as words: "partially_upheld" becomes "Partially upheld"."""
    return str(value).replace("_", " ").capitalize()


#: A step typed in later than it happened by more than this shows both times on the timeline.
RECORDED_LATER = dt.timedelta(minutes=5)


@register.filter
def recorded_later(event: TimelineEvent) -> bool:
    """Whether an event was typed in well after it happened (a call this morning, logged tonight)."""
    return event.recorded_at - event.occurred_at > RECORDED_LATER
