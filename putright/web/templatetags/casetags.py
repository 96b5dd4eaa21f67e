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

from putright.cases.models import Deadline, EventKind, Response, ResponseKind, TimelineEvent
from putright.procedure import wording
from putright.procedure.calendar import WorkingCalendar
from putright.procedure.deadlines import APPEAL_DECISION, Due, deadline_label, response_name, timing
from putright.procedure.states import stage_label, stage_phrase

register = template.Library()

register.filter("deadline_name", deadline_label)
register.filter("stage_label", stage_label)
register.filter("stage_phrase", stage_phrase)


@register.filter
def response_label(response: Response) -> str:
    """The response an outcome was given in, named as its deadline is: "Stage 1 response"."""
    if response.kind == ResponseKind.APPEAL_DECISION:
        return deadline_label(APPEAL_DECISION)
    return deadline_label(response_name(response.stage.number))


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
        met = wording.moment_of(deadline.met_at, calendar.tz)
        if deadline.met_at > deadline.due_at:
            return DeadlineState(f"Met late, on {met}", "govuk-tag--pink")
        return DeadlineState(f"Met on {met}", "govuk-tag--green")
    when = timing(deadline.due_at, calendar, now)
    if when.due is Due.OVERDUE:
        late = when.working_days
        words = f"Overdue by {_days(late)}" if late > 0 else f"Overdue since {due_words(deadline.due_at)}"
        return DeadlineState(words, "govuk-tag--red", overdue=True)
    if when.due is Due.TODAY:
        return DeadlineState("Due today", "govuk-tag--orange")
    tag = "govuk-tag--yellow" if when.due is Due.SOON else "govuk-tag--blue"
    return DeadlineState(f"{_days(when.working_days)} left", tag)


# Dates, in London: the words of procedure/wording.py, in the zone the workspace shows.


@register.filter
def london_date(value: dt.date | dt.datetime | None) -> str:
    """ "Tuesday 3 March 2026", from a date or an instant (in London)."""
    return wording.day_of(value, timezone.get_current_timezone())


@register.filter
def london_datetime(value: dt.datetime | None) -> str:
    """ "Tuesday 3 March 2026 at 10:00", in London."""
    return wording.moment_of(value, timezone.get_current_timezone())


@register.filter
def due_words(value: dt.datetime | None) -> str:
    """A deadline's due time: the day alone when it runs to the end of the day, else the day and time."""
    return wording.due_words(value, timezone.get_current_timezone())


@register.filter
def short_date(value: dt.date | dt.datetime | None) -> str:
    """ "3 Mar 2026", in London: for a dense table."""
    if value is None:
        return ""
    return wording.short_date(wording.local_day(value, timezone.get_current_timezone()))


@register.filter
def clock_time(value: dt.datetime | None) -> str:
    """ "10:00", in London."""
    return wording.clock_time(value, timezone.get_current_timezone())


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


@register.filter
def customer_messages(events: list[TimelineEvent]) -> list[TimelineEvent]:
    """What the customer wrote from their page, from the case's (already loaded) timeline."""
    return [event for event in events if event.kind == EventKind.INFORMATION_ADDED]
