"""Overdue learning actions as a reminder kind: tell the owner and their team lead, once per due date.

A learning action is due by the end of its date. Not completed by then, it is
overdue, and the worker's sweep tells its owner and the owner's team lead on
the first working day after the date, on the organisation's calendar (the
policy in force, the organisation's nation): due on a Friday, they hear on the
Monday, or on the Tuesday when that Monday is a bank holiday. Like every kind:

- once per action and due date, recorded as a ``LearningActionReminder`` unique
  on (action, due_on), so a new due date starts afresh; with a
  ``LearningEvent`` (ACTION_REMINDED) on the action's history instead of a
  timeline event, since the action is on no one case; one email to each
  person told, belonging to no complaint;
- never recorded when nobody can be told (the sweep's rule).

Its counts in the sweep's result: ``learning_action_candidates`` and
``learning_action_overdue``. In the morning digest: the reader's own overdue
learning actions, soonest due first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, F, OuterRef, QuerySet
from django.urls import reverse

from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.comms.email import links
from putright.comms.models import ReminderLevel
from putright.comms.reminders import reminding
from putright.comms.reminders.kinds import (
    DigestPart,
    Due,
    Mail,
    ReminderKind,
    digest_part,
    latest_today,
    recipients,
)
from putright.comms.reminders.levels import Calendars, Today
from putright.learning.models import LearningAction, LearningActionReminder, LearningEvent, LearningEventKind
from putright.procedure.wording import long_date

SHOWN = 10


def overdue_by(until: dt.date) -> QuerySet[LearningAction]:
    """Open learning actions due before ``until`` (an upper bound: each is checked on its own calendar)."""
    return LearningAction.objects.filter(completed_at__isnull=True, due_on__lt=until)


def action_url(action_id: int) -> str:
    return links.absolute(reverse("web:learning-action", kwargs={"action_id": action_id}))


class OverdueLearningActions(ReminderKind[LearningAction]):
    name = "learning_action"

    def candidates(self, now: dt.datetime, calendars: Calendars) -> Iterable[LearningAction]:
        """Open actions that may be overdue now, less those reminded for their date; one query."""
        sent = LearningActionReminder.objects.filter(action=OuterRef("pk"), due_on=OuterRef("due_on"))
        return (
            overdue_by(latest_today(now))
            .filter(~Exists(sent))
            .annotate(lead_id=F("owner__team__lead"))
            .select_related("organisation")
            .only("lesson", "change", "due_on", "owner", "organisation__name", "organisation__nation")
            .order_by("due_on", "pk")
        )

    def complaint(self, item: LearningAction) -> Complaint | None:
        return None  # a change to the service, on no one case

    def today(self, item: LearningAction, calendars: Calendars) -> Today:
        return calendars.in_force(item.organisation.nation)

    def due(self, item: LearningAction, today: Today) -> Due[LearningAction] | None:
        if item.due_on >= today.date:
            return None  # due today or later on the organisation's calendar: not overdue yet
        return Due(item, ReminderLevel.MISSED)

    def to_tell(self, item: LearningAction) -> Sequence[int | None]:
        """The owner, then the owner's team lead (annotated)."""
        return item.owner_id, item.lead_id  # type: ignore[attr-defined]

    def remember(
        self, due: Due[LearningAction], told: list[User], now: dt.datetime
    ) -> LearningActionReminder:
        return LearningActionReminder(
            action=due.item, due_on=due.item.due_on, sent_at=now, recipients=recipients(told)
        )

    def event(self, due: Due[LearningAction], told: list[User], now: dt.datetime) -> LearningEvent:
        when = long_date(due.item.due_on, weekday=True)
        return LearningEvent(
            kind=LearningEventKind.ACTION_REMINDED,
            occurred_at=now,
            summary=f"Reminder: due on {when} and not done; sent to {reminding.names(told)}",
            data={"due_on": due.item.due_on.isoformat(), "recipients": recipients(told)},
            action=due.item,
        )

    def email(self, due: Due[LearningAction], told: list[User]) -> Mail:
        action = due.item
        when = long_date(action.due_on, weekday=True)
        headline = f"Overdue: a learning action for {action.organisation.name} was due {when}"
        context = {
            "headline": headline,
            "lesson": action.lesson,
            "change": action.change,
            "when": when,
            "action_url": action_url(action.pk),
        }
        return Mail(subject=headline, template="learning_action_reminder", context=context)

    def counted(self, due: Due[LearningAction]) -> dict[str, int]:
        return {"learning_action_overdue": 1}

    def digest(self, now: dt.datetime, calendars: Calendars, readers: list[int]) -> dict[int, DigestPart]:
        """Each reader's own overdue learning actions, from one query."""
        rows = (
            overdue_by(latest_today(now))
            .filter(owner__in=readers)
            .order_by("due_on", "pk")
            .values_list("pk", "owner_id", "lesson", "due_on", "organisation__nation")
        )
        found: dict[int, list[Item]] = defaultdict(list)
        for pk, owner, lesson, due_on, nation in rows:
            if due_on < calendars.in_force(nation).date:
                found[owner].append(Item(pk, lesson, long_date(due_on, weekday=True)))
        return {person: _digest_part(items) for person, items in found.items()}


@dataclass(frozen=True)
class Item:
    """An overdue learning action in the digest."""

    pk: int
    lesson: str
    when: str

    @property
    def url(self) -> str:
        return action_url(self.pk)


def _digest_part(items: list[Item]) -> DigestPart:
    context: dict[str, Any] = {
        "lessons": {"count": len(items), "items": items[:SHOWN], "more": max(0, len(items) - SHOWN)},
        "list_url": links.absolute(reverse("web:learning-actions") + "?status=overdue"),
    }
    summary = [f"{len(items)} learning action{'' if len(items) == 1 else 's'} overdue"]
    return digest_part("digest_learning_actions", context, summary)
