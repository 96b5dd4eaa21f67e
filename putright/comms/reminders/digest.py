"""The daily digest: each caseworker's and team lead's work for the day, in one morning email.

Checked every 15 minutes by the worker; sends once a day (a ``DigestSent``
row) after ``PUTRIGHT_DIGEST_TIME`` London time on a working day of the
default policy's calendar, so a worker that was down at seven catches up
when it returns, and nobody gets one at a weekend or on a bank holiday.

Who gets one: active staff with an email address who have not turned it off,
and who have something to do in some registered kind of reminder (``kinds``),
each of which gives its own part of the email, in the order registered: for
stage deadlines, an open case of their own overdue, due today or due soon,
and as a team lead a case of their team overdue or due today
(``deadlines``); for agreed actions, an action of theirs overdue, due today
or due soon, the dates the letters promised the customer
(``action_reminders``). Nobody gets an empty digest. A person with nothing
in the morning is looked at again on the next check, so a case handed to
them later in the day that is due today still reaches them, in that day's
only digest.

A fixed number of queries whoever and however many: the readers, the
calendars, a fixed number per kind (one for the deadlines of their cases,
one for their actions), then one insert per table.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.policies import current_policy
from putright.comms.email import links, outbox, staffmail
from putright.comms.leases import held
from putright.comms.models import DigestSent
from putright.comms.reminders import kinds
from putright.comms.reminders.kinds import DigestPart
from putright.comms.reminders.levels import Calendars
from putright.procedure.calendar import LONDON, WorkingCalendar
from putright.procedure.wording import day_of

LEASE = dt.timedelta(minutes=10)
logger = logging.getLogger(__name__)


def send_digests(now: dt.datetime | None = None) -> dict[str, int]:
    """Send the day's digest to everyone due one; ``{"not_due": 1}`` outside the digest hours."""
    now = now or timezone.now()
    calendar = default_calendar()
    local = calendar.local(now)
    if not calendar.is_working_day(local.date()) or local.time() < settings.PUTRIGHT_DIGEST_TIME:
        return {"not_due": 1}
    with held("digest", LEASE) as mine:
        if not mine:
            return {"skipped": 1}
        return _send(now, local.date())


def default_calendar() -> WorkingCalendar:
    """The working days of the policy in force: when the office is open to read a digest."""
    return WorkingCalendar.from_rules(current_policy().policy.calendar)


def readers(day: dt.date) -> QuerySet[User]:
    """Staff who take the digest and have not had today's."""
    sent = DigestSent.objects.filter(user=OuterRef("pk"), day=day)
    return (
        User.objects.filter(is_active=True, receives_daily_digest=True)
        .exclude(email="")
        .exclude(Exists(sent))
    )


def _send(now: dt.datetime, day: dt.date) -> dict[str, int]:
    people = {user.pk: user for user in readers(day).only("first_name", "last_name", "username", "email")}
    if not people:
        return {"sent": 0}
    work, failed = _work(now, list(people))
    emails = [_email(people[pk], work[pk], day) for pk in people if work.get(pk)]
    with transaction.atomic():
        DigestSent.objects.bulk_create(
            DigestSent(user_id=pk, day=day, sent_at=now) for pk in people if work.get(pk)
        )
        outbox.queue_many(emails, purpose="digest")
    counts = {"sent": len(emails), "nothing_to_do": len(people) - len(emails)}
    return counts | dict.fromkeys((f"{name}_failed" for name in failed), 1)


def _work(now: dt.datetime, ids: list[int]) -> tuple[dict[int, list[DigestPart]], list[str]]:
    """Each reader's parts, one per kind that has something for them, in the order registered.

    A kind that fails is logged with its name and left out (returned among the
    failed), so everyone still gets the other kinds' parts.
    """
    calendars = Calendars(now, settings.PUTRIGHT_REMIND_DAYS)
    work: dict[int, list[DigestPart]] = defaultdict(list)
    failed: list[str] = []
    for kind in kinds.registered():
        try:
            parts = kind.digest(now, calendars, ids)
        except Exception:
            logger.exception("The %s part of the digest failed; the other parts are sent", kind.name)
            failed.append(kind.name)
            continue
        for person, part in parts.items():
            work[person].append(part)
    return work, failed


def _email(user: User, parts: list[DigestPart], day: dt.date) -> outbox.PlainEmail:
    summary = ", ".join(words for part in parts for words in part.summary)
    subject = f"Your complaints for {day_of(day, LONDON)}" + (f": {summary}" if summary else "")
    text, html = staffmail.render(
        "digest",
        {
            "subject": subject,
            "name": user.first_name or str(user),
            "parts": parts,
            "work_url": links.absolute("/work/"),
            "settings_url": links.email_settings_url(),
        },
    )
    return outbox.PlainEmail(to=user.email, subject=subject, text=text, html=html)
