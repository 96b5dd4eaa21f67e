"""Overdue agreed actions: part of the sweep, telling the person responsible and the team lead, once.

An agreed action is a promise to the customer: the response letter names it
and its date, and the case cannot close until every action is done. An open
action (not completed, on an open case) is overdue once its date is behind
today's date on the case's own working calendar: due on Thursday, it is
overdue from the first moment of Friday. The sweep (``sweep.sweep``, under its
lease) then tells the action's owner, or the case's owner when the action was
given to nobody (``open_work.open_actions``), and the case's team lead
(``open_work.team_lead``), the same people as for a deadline:

- once per action and date, recorded as an ``ActionReminder`` row unique on
  (action, due_on), with a ``REMINDER_SENT`` timeline event and one email to
  each person told; an action whose date is moved starts afresh for the new
  date;
- on the case's working days only: an action due on the Thursday before Good
  Friday is reported by the first sweep on the Tuesday after Easter Monday;
- never recorded when nobody can be told (the person responsible is inactive
  or has no email address, and there is no team lead who can be), only
  counted (``nobody_to_tell``): the action stays a candidate, and the first
  sweep after someone who can be told takes it on sends the reminder.

Batched like the deadlines: one query finds the candidates through the open
action index (``action_open_due``), leaving out the actions already reminded
for their current date, so a sweep after the reminders have gone finds almost
nothing; then each chunk is written with one query per table, in one
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from putright.accounts.models import User
from putright.cases.models import Action, EventKind, TimelineEvent
from putright.cases.selectors.open_work import open_actions, team_lead
from putright.cases.services import timeline
from putright.comms.email import links, outbox, staffmail
from putright.comms.models import ActionReminder
from putright.comms.reminders import reminding
from putright.comms.reminders.levels import Calendars
from putright.procedure.wording import long_date

#: No place on Earth has a later date than UTC+14 (Kiribati's Line Islands): whatever time zone a
#: case's calendar keeps, its "today" is no later than the date here, which bounds the query.
_FURTHEST_AHEAD = dt.timezone(dt.timedelta(hours=14))


def remind_overdue_actions(now: dt.datetime, calendars: Calendars, chunk_size: int) -> Counter[str]:
    """Send every overdue action's reminder not yet sent, once; counts for the sweep's result."""
    found = list(candidates(now))
    counts: Counter[str] = Counter(action_candidates=len(found))
    for start in range(0, len(found), chunk_size):
        counts.update(_remind(found[start : start + chunk_size], calendars, now))
    return counts


def candidates(now: dt.datetime) -> QuerySet[Any]:
    """Open actions of open cases that may be overdue now, less those already reminded for their date.

    Annotated with ``to_tell_id`` (the action's owner, else the case's) and
    ``lead_id`` (the team lead). The date bound holds for every calendar, so
    it may also let through actions due today on the case's calendar: the
    exact test is ``_overdue``.
    """
    latest_today = now.astimezone(_FURTHEST_AHEAD).date()
    sent = ActionReminder.objects.filter(action=OuterRef("pk"), due_on=OuterRef("due_on"))
    return (
        open_actions(latest_today - dt.timedelta(days=1))
        .annotate(lead_id=team_lead())
        .filter(~Exists(sent))
        .select_related("complaint", "complaint__organisation")
        .only(
            "description",
            "due_on",
            "complaint",
            "complaint__reference",
            "complaint__summary",
            "complaint__stage",
            "complaint__policy",
            "complaint__owner",
            "complaint__organisation",
            "complaint__organisation__nation",
        )
        .order_by("due_on", "pk")
    )


def _remind(chunk: Sequence[Action], calendars: Calendars, now: dt.datetime) -> Counter[str]:
    """Write the chunk's reminders, timeline events and emails in one transaction."""
    counts: Counter[str] = Counter()
    due = []
    for action in chunk:
        complaint = action.complaint
        today = calendars.today(complaint.policy_id, complaint.organisation.nation)
        if action.due_on >= today.date:
            continue  # due today (or later) on this case's calendar: not overdue yet
        if not today.working:
            counts["waiting_for_working_day"] += 1
            continue
        due.append(action)
    if not due:
        return counts
    people = reminding.emailable(pk for action in due for pk in _to_tell(action))
    reminders, events, emails = [], [], []
    for action in due:
        told = reminding.in_order(_to_tell(action), people)
        if not told:
            counts["nobody_to_tell"] += 1
            continue
        reminders.append(
            ActionReminder(
                action=action,
                complaint_id=action.complaint_id,
                due_on=action.due_on,
                sent_at=now,
                recipients=[user.pk for user in told],
            )
        )
        events.append(_event(action, told, now))
        emails += _emails(action, told)
        counts["action_overdue"] += 1
    counts["emails"] += reminding.record(reminders, events, emails)
    return counts


def _to_tell(action: Action) -> tuple[int | None, int | None]:
    """The person responsible (its owner, else the case owner), then the team lead (annotated)."""
    return action.to_tell_id, action.lead_id  # type: ignore[attr-defined]


def _event(action: Action, told: list[User], now: dt.datetime) -> TimelineEvent:
    when = long_date(action.due_on, weekday=True)
    return timeline.event(
        action.complaint,
        EventKind.REMINDER_SENT,
        f"Reminder: the agreed action “{action.description}” was due on {when} and is not done;"
        f" sent to {reminding.names(told)}",
        occurred_at=now,
        action=action.pk,
        due_on=action.due_on.isoformat(),
        recipients=[user.pk for user in told],
    )


def _emails(action: Action, told: list[User]) -> list[outbox.PlainEmail]:
    """One email to each person told: the same words, rendered once."""
    complaint = action.complaint
    when = long_date(action.due_on, weekday=True)
    headline = f"Overdue: an agreed action for {complaint.reference} was due {when}"
    text, html = staffmail.render(
        "action_reminder",
        {
            "headline": headline,
            "reference": complaint.reference,
            "summary": complaint.summary,
            "action": action.description,
            "when": when,
            "case_url": links.case_url(complaint.reference),
            "told": reminding.names(told),
        },
    )
    return [
        outbox.PlainEmail(to=user.email, subject=headline, text=text, html=html, complaint_id=complaint.pk)
        for user in told
    ]
