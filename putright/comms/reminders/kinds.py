"""Kinds of reminder: each declares what is due and to whom; the sweep and the digest run them all.

A stage deadline, an agreed action, and soon a restriction's review date or a
referred concern's outcome are all "something dated on a case that somebody
must be told about". What differs is only *what* is due, *when*, *who* is told
and *what they read*. So each kind is one ``ReminderKind`` subclass, registered
once, and the machinery lives in one place:

- ``sweep`` runs every registered kind under one lease: one query for the
  kind's candidates, then per chunk of 500 one query for the people and one
  insert per table (its reminder rows, timeline events, emails), on the case's
  working days only, never recording a reminder nobody can receive
  (``nobody_to_tell``: the item stays a candidate and is sent once someone can
  be told);
- ``digest`` asks every kind for each reader's part of the morning email.

How to declare a new kind (say, a restriction's review date):

1. A table that makes each reminder once (the dedupe key), e.g. a model
   ``RestrictionReminder(restriction, complaint, due_on, sent_at, recipients)``
   unique on ``(restriction, due_on)``: a new review date starts afresh.
   De-duplication is per table, so a table shared by two kinds carries the
   kind's name in its key (``ActionReminder``: kind, action, due_on) and each
   kind writes and filters on its own name.
2. A subclass of ``ReminderKind``, in its own module of this package::

       class RestrictionReviews(ReminderKind[Restriction]):
           name = "restriction_review"  # counts: restriction_review_candidates, ..._missed

           def candidates(self, now, calendars):  # one query, less those already reminded
               sent = RestrictionReminder.objects.filter(
                   restriction=OuterRef("pk"), due_on=OuterRef("review_on")
               )
               return (
                   Restriction.objects.filter(ended_at=None, review_on__lte=calendars.last_soon_day())
                   .annotate(lead_id=team_lead())
                   .filter(~Exists(sent))
                   .select_related("complaint__organisation")
               )

           def complaint(self, item):
               return item.complaint

           def due(self, item, today):  # only once the date has passed, on the case's calendar
               level = today.level_on(item.review_on)
               return Due(item, level) if level is ReminderLevel.MISSED else None

           def to_tell(self, item):
               return item.complaint.owner_id, item.lead_id

           def remember(self, due, told, now):
               return RestrictionReminder(
                   restriction=due.item, complaint_id=due.item.complaint_id,
                   due_on=due.item.review_on, sent_at=now, recipients=[u.pk for u in told],
               )

           def event(self, due, told, now):
               return timeline.event(
                   due.item.complaint, EventKind.REMINDER_SENT,
                   f"Reminder: the restriction's review is due; sent to {reminding.names(told)}",
                   occurred_at=now, restriction=due.item.pk, recipients=[u.pk for u in told],
               )

           def email(self, due, told):  # comms/email/restriction_reminder.txt and .html
               subject = f"Review due: the restriction on {due.item.complaint.reference}"
               return Mail(subject, "restriction_reminder", {"headline": subject, ...})

3. One line in ``CommsConfig.ready`` (or in the ready() of the app that owns
   the kind, for an app above comms): ``kinds.register(RestrictionReviews())``.
   Its place in the registry is its place in the digest. ``digest`` is
   optional: without it the kind adds nothing to the morning email.

The kind's ``candidates`` must be one query whatever the number of items, and
should leave out what is already reminded (through the dedupe table), so that
a sweep after the reminders have gone finds almost nothing.

Dated work that is on no case (a learning action: a change to the service,
owned by a member of staff) is a kind too: its ``complaint`` is None, it gives
its working calendar itself (``today``: e.g. ``calendars.in_force(nation)``,
the calendar of the policy in force in its organisation's nation), and its
``event`` is its own audit row instead of a timeline event (any unsaved model
row: the sweep writes each table's rows in one insert). Its emails belong to
no complaint.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, TypeVar

from django.db import models
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from putright.accounts.models import User
from putright.cases.models import Complaint, TimelineEvent
from putright.comms.models import ReminderLevel
from putright.comms.reminders.levels import Calendars, Today

T = TypeVar("T")

#: No place on Earth has a later date than UTC+14 (Kiribati's Line Islands): whatever time zone a
#: case's calendar keeps, its "today" is no later than the date there, which bounds a kind's query.
_FURTHEST_AHEAD = dt.timezone(dt.timedelta(hours=14))

#: The case's fields a kind's candidates bring (``only``) for its calendar, its people and its words.
CASE_FIELDS = (
    "complaint",
    "complaint__reference",
    "complaint__summary",
    "complaint__stage",
    "complaint__policy",
    "complaint__owner",
    "complaint__organisation",
    "complaint__organisation__nation",
)


def latest_today(now: dt.datetime) -> dt.date:
    """The latest date that is "today" at ``now`` on any case's calendar: a bound for a kind's query."""
    return now.astimezone(_FURTHEST_AHEAD).date()


def recipients(told: list[User]) -> list[int]:
    """The people told, by id, as a reminder row and its timeline event record them."""
    return [user.pk for user in told]


@dataclass(frozen=True)
class Due(Generic[T]):
    """A reminder to send: the item, the level it has reached, and the levels passed over meanwhile."""

    item: T
    level: ReminderLevel
    passed_over: tuple[ReminderLevel, ...] = ()


@dataclass(frozen=True)
class Mail:
    """What the people told read: a subject, and ``comms/email/<template>.txt``/``.html`` with a context.

    The sweep adds ``told`` (their names) to the context, renders it once and
    sends one copy to each person.
    """

    subject: str
    template: str
    context: Mapping[str, Any]


@dataclass(frozen=True)
class DigestPart:
    """One kind's part of one reader's morning digest: its text, its HTML, and words for the subject."""

    text: str
    html: SafeString
    summary: list[str] = field(default_factory=list)


def digest_part(template: str, context: Mapping[str, Any], summary: list[str]) -> DigestPart:
    """Render ``comms/email/<template>.txt`` and ``.html`` as a digest part (text without blank ends)."""
    return DigestPart(
        text=render_to_string(f"comms/email/{template}.txt", dict(context)).strip("\n"),
        html=mark_safe(render_to_string(f"comms/email/{template}.html", dict(context))),  # nosec # noqa: S308  # rendered (escaped) by Django
        summary=summary,
    )


class ReminderKind(ABC, Generic[T]):
    """A kind of dated thing on a case that somebody must be told about, once per level and date."""

    #: Unique; the sweep's counts for the kind are named from it (``<name>_candidates``, ...).
    name: ClassVar[str]

    @abstractmethod
    def candidates(self, now: dt.datetime, calendars: Calendars) -> Iterable[T]:
        """Items that may be due now, less those already reminded; one query.

        Each item must bring what ``complaint``, ``to_tell``, ``event`` and
        ``email`` read (select_related / annotate), so the sweep reads no more.
        """

    @abstractmethod
    def complaint(self, item: T) -> Complaint | None:
        """The case the item is on: its working calendar, its timeline, its emails (None: on no case)."""

    def today(self, item: T, calendars: Calendars) -> Today:
        """The moment as the item's working calendar sees it: by default, its case's calendar."""
        complaint = self.complaint(item)
        if complaint is None:
            raise TypeError(f"The {self.name} reminders are on no case: the kind must give its calendar")
        return calendars.today(complaint.policy_id, complaint.organisation.nation)

    @abstractmethod
    def due(self, item: T, today: Today) -> Due[T] | None:
        """The reminder the item needs now (whatever the day of the week), or None."""

    @abstractmethod
    def to_tell(self, item: T) -> Sequence[int | None]:
        """Who to tell, by user id, most responsible first (those who cannot be emailed are skipped)."""

    @abstractmethod
    def remember(self, due: Due[T], told: list[User], now: dt.datetime) -> models.Model:
        """The (unsaved) row that makes this reminder once: unique on the item, level and date."""

    @abstractmethod
    def event(self, due: Due[T], told: list[User], now: dt.datetime) -> TimelineEvent | models.Model:
        """The (unsaved) timeline event that says on the case what was sent to whom (or, for an
        item on no case, the kind's own audit row)."""

    @abstractmethod
    def email(self, due: Due[T], told: list[User]) -> Mail:
        """What the people told read."""

    def candidates_key(self) -> str:
        """The sweep's count of candidates for this kind."""
        return f"{self.name}_candidates"

    def counted(self, due: Due[T]) -> dict[str, int]:
        """What one reminder sent adds to the sweep's counts."""
        return {f"{self.name}_{due.level.value}": 1}

    def digest(self, now: dt.datetime, calendars: Calendars, readers: list[int]) -> dict[int, DigestPart]:
        """Each reader's part of the morning digest, by user id; a fixed number of queries.

        None by default: a kind need not appear in the digest.
        """
        return {}


_registry: dict[str, ReminderKind[Any]] = {}


def register(kind: ReminderKind[Any]) -> None:
    """Add ``kind`` to those the sweep and the digest run (in this order); each name once."""
    if kind.name in _registry:
        raise ValueError(f"A reminder kind named {kind.name!r} is already registered")
    _registry[kind.name] = kind


def registered() -> list[ReminderKind[Any]]:
    """Every kind, in the order registered: the order of the sweep and of the digest's parts."""
    return list(_registry.values())


def unregister(name: str) -> None:
    """Remove a kind (for tests that declare one of their own)."""
    _registry.pop(name, None)
