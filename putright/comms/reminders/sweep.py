"""The sweep: send every reminder that is due now, of every registered kind, once.

Run every 15 minutes by the worker. Each kind (``kinds``: stage deadlines,
agreed actions, ...) declares what is due and to whom; the sweep applies the
rules they share:

- one sweep at a time, across workers (a lease);
- reminders go out on the case's working days only: a deadline missed at the
  end of a Friday is reported by the first sweep on the next working day, when
  someone is there to act, not on Saturday where it would sit unread under the
  weekend's mail (counted meanwhile as ``waiting_for_working_day``);
- a reminder nobody can receive (the people to tell are inactive or have no
  email address) is not recorded: no reminder row and no timeline event, only
  a count (``nobody_to_tell``). The item stays a candidate, so once the case
  has someone to tell, the next sweep sends the reminder that applies then;
- the work is batched so that 20,000 open cases take seconds: one query per
  kind finds its candidates, then each chunk of 500 is written with one query
  per table (the kind's reminder rows, the timeline events, the emails), in
  one transaction.

The result counts each kind's candidates and reminders under the names the
kind gives (``candidates``, ``soon``, ``today``, ``missed``, ``passed_over``
for deadlines; ``action_candidates``, ``action_overdue`` for actions), and the
shared ``emails``, ``nobody_to_tell`` and ``waiting_for_working_day``. A kind
that fails is logged and counted as ``<name>_failed``; the kinds after it are
still swept.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils import timezone

from putright.accounts.models import User
from putright.comms.email import outbox, staffmail
from putright.comms.leases import held
from putright.comms.reminders import kinds, reminding
from putright.comms.reminders.kinds import Due, ReminderKind
from putright.comms.reminders.levels import Calendars

CHUNK = 500
logger = logging.getLogger(__name__)
LEASE = dt.timedelta(minutes=10)


def sweep(now: dt.datetime | None = None) -> dict[str, int]:
    """Send every reminder that is due now, once; ``{"skipped": 1}`` if another sweep is running."""
    with held("sweep", LEASE) as mine:
        if not mine:
            return {"skipped": 1}
        return _sweep(now or timezone.now())


def _sweep(now: dt.datetime) -> dict[str, int]:
    calendars = Calendars(now, settings.PUTRIGHT_REMIND_DAYS)
    counts: Counter[str] = Counter()
    for kind in kinds.registered():
        counts.update(sweep_kind(kind, now, calendars))
    return dict(counts)


def sweep_kind(kind: ReminderKind[Any], now: dt.datetime, calendars: Calendars) -> Counter[str]:
    """Send the reminders of one kind that are due now, a chunk at a time.

    A kind that fails leaves every other kind reminded: the failure is logged
    with the kind's name and counted as ``<name>_failed``. The chunks already
    written stay sent; the failed chunk's transaction is rolled back, so its
    reminders are tried again by the next sweep.
    """
    counts: Counter[str] = Counter()
    try:
        found = list(kind.candidates(now, calendars))
        counts[kind.candidates_key()] = len(found)
        for start in range(0, len(found), CHUNK):
            counts.update(_remind(kind, found[start : start + CHUNK], calendars, now))
    except Exception:
        logger.exception("The %s reminders failed; the other kinds are still swept", kind.name)
        counts[f"{kind.name}_failed"] += 1
    return counts


def _remind(
    kind: ReminderKind[Any], chunk: Sequence[Any], calendars: Calendars, now: dt.datetime
) -> Counter[str]:
    """Write the chunk's reminders, timeline events and emails in one transaction."""
    counts: Counter[str] = Counter()
    due: list[Due[Any]] = []
    for item in chunk:
        today = kind.today(item, calendars)
        found = kind.due(item, today)
        if found is None:
            continue
        if not today.working:
            counts["waiting_for_working_day"] += 1
            continue
        due.append(found)
    if not due:
        return counts
    people = reminding.emailable(pk for item in due for pk in kind.to_tell(item.item))
    reminders, events, emails = [], [], []
    for item in due:
        told = reminding.in_order(kind.to_tell(item.item), people)
        if not told:
            counts["nobody_to_tell"] += 1
            continue
        reminders.append(kind.remember(item, told, now))
        events.append(kind.event(item, told, now))
        emails += _emails(kind, item, told)
        counts.update(kind.counted(item))
    counts["emails"] += reminding.record(reminders, events, emails)
    return counts


def _emails(kind: ReminderKind[Any], item: Due[Any], told: list[User]) -> list[outbox.PlainEmail]:
    """One email to each person told: the same words, rendered once."""
    mail = kind.email(item, told)
    text, html = staffmail.render(mail.template, {**mail.context, "told": reminding.names(told)})
    complaint = kind.complaint(item.item)
    complaint_id = complaint.pk if complaint is not None else None
    return [
        outbox.PlainEmail(
            to=user.email, subject=mail.subject, text=text, html=html, complaint_id=complaint_id
        )
        for user in told
    ]
