"""Overdue agreed actions as a reminder kind: tell the person responsible and the team lead, once.

An agreed action is a promise to the customer: the response letter names it
and its date, and the case cannot close until every action is done. An open
action (not completed, on an open case) is overdue once its date is behind
today's date on the case's own working calendar: due on Thursday, it is
overdue from the first moment of Friday. The sweep then tells the action's
owner, or the case's owner when the action was given to nobody
(``open_work.open_actions``), and the case's team lead
(``open_work.team_lead``), the same people as for a deadline:

- once per action and date, recorded as an ``ActionReminder`` row unique on
  (kind, action, due_on) with the kind ``action``, so another kind about the
  same action never hides this one; with a ``REMINDER_SENT`` timeline event and one email to
  each person told; an action whose date is moved starts afresh for the new
  date;
- on the case's working days only (the sweep's rule for every kind): an action
  due on the Thursday before Good Friday is reported by the first sweep on the
  Tuesday after Easter Monday;
- never recorded when nobody can be told (the sweep's rule for every kind).

One query finds the candidates through the open action index
(``action_open_due``), leaving out the actions already reminded for their
current date, so a sweep after the reminders have gone finds almost nothing.
Its counts in the sweep's result: ``action_candidates`` and ``action_overdue``.

In the digest: the reader's open actions overdue, due today or due soon,
soonest first.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef

from putright.accounts.models import User
from putright.cases.models import Action, Complaint, EventKind, TimelineEvent
from putright.cases.selectors.open_work import open_actions, team_lead
from putright.cases.services import timeline
from putright.comms.email import links
from putright.comms.models import ActionReminder, ReminderLevel
from putright.comms.reminders import reminding
from putright.comms.reminders.deadlines import SHOWN, TITLES
from putright.comms.reminders.kinds import (
    CASE_FIELDS,
    DigestPart,
    Due,
    Mail,
    ReminderKind,
    digest_part,
    latest_today,
    recipients,
)
from putright.comms.reminders.levels import Calendars, Today
from putright.procedure.wording import long_date


def already_reminded(kind: str) -> Exists:
    """Whether the action of the outer query is reminded already by ``kind`` for its current date."""
    return Exists(ActionReminder.objects.filter(kind=kind, action=OuterRef("pk"), due_on=OuterRef("due_on")))


def action_reminder(kind: str, action: Action, told: list[User], now: dt.datetime) -> ActionReminder:
    """The (unsaved) row that makes ``kind``'s reminder of ``action`` once for its current date."""
    return ActionReminder(
        kind=kind,
        action=action,
        complaint_id=action.complaint_id,
        due_on=action.due_on,
        sent_at=now,
        recipients=recipients(told),
    )


class AgreedActions(ReminderKind[Action]):
    name = "action"

    def candidates(self, now: dt.datetime, calendars: Calendars) -> Iterable[Action]:
        """Open actions of open cases that may be overdue now, less those already reminded for their date.

        Annotated with ``to_tell_id`` (the action's owner, else the case's) and
        ``lead_id`` (the team lead). The date bound holds for every calendar, so
        it may also let through actions due today on the case's calendar: the
        exact test is ``due``.
        """
        return (
            open_actions(latest_today(now) - dt.timedelta(days=1))
            .annotate(lead_id=team_lead())
            .filter(~already_reminded(self.name))
            .select_related("complaint", "complaint__organisation")
            .only("description", "due_on", *CASE_FIELDS)
            .order_by("due_on", "pk")
        )

    def complaint(self, item: Action) -> Complaint:
        return item.complaint

    def due(self, item: Action, today: Today) -> Due[Action] | None:
        if item.due_on >= today.date:
            return None  # due today (or later) on this case's calendar: not overdue yet
        return Due(item, ReminderLevel.MISSED)

    def to_tell(self, item: Action) -> Sequence[int | None]:
        """The person responsible (its owner, else the case owner), then the team lead (annotated)."""
        return item.to_tell_id, item.lead_id  # type: ignore[attr-defined]

    def remember(self, due: Due[Action], told: list[User], now: dt.datetime) -> ActionReminder:
        return action_reminder(self.name, due.item, told, now)

    def event(self, due: Due[Action], told: list[User], now: dt.datetime) -> TimelineEvent:
        action = due.item
        when = long_date(action.due_on, weekday=True)
        return timeline.event(
            action.complaint,
            EventKind.REMINDER_SENT,
            f"Reminder: the agreed action “{action.description}” was due on {when} and is not done;"
            f" sent to {reminding.names(told)}",
            occurred_at=now,
            action=action.pk,
            due_on=action.due_on.isoformat(),
            recipients=recipients(told),
        )

    def email(self, due: Due[Action], told: list[User]) -> Mail:
        action, complaint = due.item, due.item.complaint
        when = long_date(action.due_on, weekday=True)
        headline = f"Overdue: an agreed action for {complaint.reference} was due {when}"
        context = {
            "headline": headline,
            "reference": complaint.reference,
            "summary": complaint.summary,
            "action": action.description,
            "when": when,
            "case_url": links.case_url(complaint.reference),
        }
        return Mail(subject=headline, template="action_reminder", context=context)

    def counted(self, due: Due[Action]) -> dict[str, int]:
        return {"action_overdue": 1}

    def digest(self, now: dt.datetime, calendars: Calendars, readers: list[int]) -> dict[int, DigestPart]:
        """Each reader's open actions overdue, due today or due soon, from one query."""
        rows = (
            open_actions(calendars.last_soon_day(), of=readers)
            .order_by("due_on", "pk")
            .values_list(
                "to_tell_id",
                "description",
                "due_on",
                "complaint__reference",
                "complaint__policy",
                "complaint__organisation__nation",
            )
        )
        found: dict[int, list[Item]] = defaultdict(list)
        for person, description, due_on, reference, policy_id, nation in rows:
            level = calendars.today(policy_id, nation).level_on(due_on)
            if level is not None:
                when = long_date(due_on, weekday=True)
                found[person].append(Item(reference, description, when, TITLES[level]))
        return {person: _digest_part(items) for person, items in found.items()}


@dataclass(frozen=True)
class Item:
    """An agreed action in the digest: what, on which case, by when, and how near that is."""

    reference: str
    description: str
    when: str
    status: str

    @property
    def url(self) -> str:
        return links.case_url(self.reference)


def _digest_part(items: list[Item]) -> DigestPart:
    context: dict[str, Any] = {
        "actions": {"count": len(items), "items": items[:SHOWN], "more": max(0, len(items) - SHOWN)},
        "work_url": links.absolute("/work/"),
    }
    summary = [f"{len(items)} action{'' if len(items) == 1 else 's'} due"]
    return digest_part("digest_actions", context, summary)
