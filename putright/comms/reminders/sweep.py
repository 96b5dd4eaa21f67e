"""The deadline sweep: tell the case owner and their team lead when a deadline is near or missed.

Run every 15 minutes by the worker. Each open deadline of an open case gets at
most one reminder per level (due soon, due today, missed; see ``levels``) and
due date, recorded as a ``Reminder`` row, so that:

- a sweep never repeats a reminder, however often it runs;
- after a pause (the worker was down) the next sweep sends the level that
  applies now, and only that: a deadline that went from nothing to missed in
  the meantime gets the missed reminder, and its timeline event names the
  earlier levels passed over;
- an extension, which moves the due date, starts a fresh set for the new date.

Reminders go out on the case's working days only: a deadline missed at the
end of a Friday is reported by the first sweep on the next working day, when
someone is there to act, not on Saturday where it would sit unread under the
weekend's mail. Only one sweep runs at a time, across workers (a lease).

A reminder nobody can receive (the owner is inactive or has no email address,
and there is no team lead who can be emailed) is not recorded: no ``Reminder``
row and no timeline event, only a count (``nobody_to_tell``) in the sweep's
result. The deadline stays a candidate, so once the case has someone to tell
(an owner is assigned, an address added) the next sweep sends the level that
applies then, as after a pause.

The work is batched so that 20,000 open cases take seconds: one query finds
the candidates (``cases.selectors.open_work.open_deadlines``, shared with the
daily digest) through the open-deadline index, bounded by the furthest "due
soon" date, leaving out deadlines whose missed reminder is already sent; then
each chunk of 500 is written with one query per table, in one transaction.

The same sweep, under the same lease and on the same rules, tells the same
people when an agreed action is overdue, once per action and date
(``action_reminders``); its counts join the result (``action_candidates``,
``action_overdue``, and the shared ``emails``, ``nobody_to_tell`` and
``waiting_for_working_day``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Deadline, EventKind, TimelineEvent
from putright.cases.selectors.open_work import open_deadlines
from putright.cases.services import timeline
from putright.comms.email import links, outbox, staffmail
from putright.comms.leases import held
from putright.comms.models import Reminder, ReminderLevel
from putright.comms.reminders import reminding
from putright.comms.reminders.action_reminders import remind_overdue_actions
from putright.comms.reminders.levels import Calendars, Today, earlier
from putright.procedure.calendar import LONDON
from putright.procedure.deadlines import deadline_label
from putright.procedure.wording import due_words

CHUNK = 500
LEASE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Due:
    """A reminder to send: the deadline, the level it has reached, and the levels passed over."""

    deadline: Deadline
    level: ReminderLevel
    passed_over: tuple[ReminderLevel, ...]


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder that is due now, once; ``{"skipped": 1}`` if another sweep is running."""
    with held("sweep", LEASE) as mine:
        if not mine:
            return {"skipped": 1}
        return _sweep(now or timezone.now())


def _sweep(now: dt.datetime) -> dict[str, int]:
    calendars = Calendars(now, settings.PUTRIGHT_REMIND_DAYS)
    found = list(candidates(now, calendars.horizon()))
    counts: Counter[str] = Counter(candidates=len(found))
    for start in range(0, len(found), CHUNK):
        counts.update(_remind(found[start : start + CHUNK], calendars, now))
    counts.update(remind_overdue_actions(now, calendars, CHUNK))
    return dict(counts)


def candidates(now: dt.datetime, horizon: dt.datetime) -> Iterable[Deadline]:
    """Open deadlines of open cases due by ``horizon``, less those already reminded as missed.

    Annotated with the levels already sent for the current due date and the
    team lead to tell (``open_work.team_lead``).
    """
    sent = Reminder.objects.filter(deadline=OuterRef("pk"), due_at=OuterRef("due_at"))
    return (
        open_deadlines(horizon)
        .annotate(
            sent_soon=Exists(sent.filter(level=ReminderLevel.SOON)),
            sent_today=Exists(sent.filter(level=ReminderLevel.TODAY)),
            sent_missed=Exists(sent.filter(level=ReminderLevel.MISSED)),
        )
        .filter(Q(due_at__gte=now) | Q(sent_missed=False))
        .select_related("complaint", "complaint__organisation")
        .only(
            "name",
            "due_at",
            "complaint",
            "complaint__reference",
            "complaint__summary",
            "complaint__stage",
            "complaint__policy",
            "complaint__owner",
            "complaint__organisation",
            "complaint__organisation__nation",
        )
        .order_by("due_at", "pk")
    )


def _due(deadline: Deadline, today: Today) -> Due | None:
    """The reminder this deadline needs now, if any (none on a non-working day)."""
    level = today.level(deadline.due_at)
    if level is None or not today.working or _sent(deadline, level):
        return None
    passed = tuple(lower for lower in earlier(level) if not _sent(deadline, lower))
    return Due(deadline, level, passed)


def _sent(deadline: Deadline, level: ReminderLevel) -> bool:
    return bool(getattr(deadline, f"sent_{level.value}"))


def _remind(chunk: Sequence[Deadline], calendars: Calendars, now: dt.datetime) -> Counter[str]:
    """Write the chunk's reminders, timeline events and emails in one transaction.

    A reminder with nobody to tell is left unwritten (counted as
    ``nobody_to_tell``), so that a later sweep sends it once someone can be told.
    """
    counts: Counter[str] = Counter()
    due = []
    for deadline in chunk:
        complaint = deadline.complaint
        found = _due(deadline, calendars.today(complaint.policy_id, complaint.organisation.nation))
        if found:
            due.append(found)
        elif not calendars.today(complaint.policy_id, complaint.organisation.nation).working:
            counts["waiting_for_working_day"] += 1
    if not due:
        return counts
    people = reminding.emailable(pk for item in due for pk in _to_tell(item.deadline))
    reminders, events, emails = [], [], []
    for item in due:
        told = reminding.in_order(_to_tell(item.deadline), people)
        if not told:
            counts["nobody_to_tell"] += 1
            continue
        reminders.append(_reminder(item, told, now))
        events.append(_event(item, told, now))
        emails += _emails(item, told)
        counts[item.level.value] += 1
        counts["passed_over"] += len(item.passed_over)
    counts["emails"] += reminding.record(reminders, events, emails)
    return counts


def _to_tell(deadline: Deadline) -> tuple[int | None, int | None]:
    """The owner, then the team lead (annotated by ``open_deadlines``)."""
    return deadline.complaint.owner_id, deadline.lead_id  # type: ignore[attr-defined]


def _reminder(item: Due, told: list[User], now: dt.datetime) -> Reminder:
    deadline = item.deadline
    return Reminder(
        deadline=deadline,
        complaint_id=deadline.complaint_id,
        level=item.level,
        due_at=deadline.due_at,
        sent_at=now,
        recipients=[user.pk for user in told],
    )


def _event(item: Due, told: list[User], now: dt.datetime) -> TimelineEvent:
    deadline = item.deadline
    text = f"Reminder: {_what(item)} sent to {reminding.names(told)}"
    return timeline.event(
        deadline.complaint,
        EventKind.REMINDER_SENT,
        text,
        occurred_at=now,
        deadline=deadline.name,
        level=item.level.value,
        due_at=deadline.due_at.isoformat(),
        recipients=[user.pk for user in told],
        passed_over=[level.value for level in item.passed_over],
    )


def _what(item: Due) -> str:
    """ "stage 1 response due today (Tuesday 12 January 2027)": the reminder in a phrase."""
    label = _label(item.deadline.name)
    when = due_words(item.deadline.due_at, LONDON)
    if item.level is ReminderLevel.MISSED:
        return f"{label} missed (it was due {when})"
    return f"{label} {item.level.label.lower()} ({when})"


def _label(name: str) -> str:
    label = deadline_label(name)
    return label[:1].lower() + label[1:]


def _emails(item: Due, told: list[User]) -> list[outbox.PlainEmail]:
    """One email to each person told: the same words, rendered once."""
    deadline, complaint = item.deadline, item.deadline.complaint
    when = due_words(deadline.due_at, LONDON)
    label = deadline_label(deadline.name)
    headline = {
        ReminderLevel.SOON: f"Due soon: {label} for {complaint.reference}, {when}",
        ReminderLevel.TODAY: f"Due today: {label} for {complaint.reference}, {when}",
        ReminderLevel.MISSED: f"Missed: {label} for {complaint.reference} was due {when}",
    }[item.level]
    text, html = staffmail.render(
        "reminder",
        {
            "headline": headline,
            "level": item.level.value,
            "reference": complaint.reference,
            "summary": complaint.summary,
            "deadline": label,
            "when": when,
            "case_url": links.case_url(complaint.reference),
            "told": reminding.names(told),
        },
    )
    return [
        outbox.PlainEmail(to=user.email, subject=headline, text=text, html=html, complaint_id=complaint.pk)
        for user in told
    ]
