"""The daily digest: each caseworker's and team lead's work for the day, in one morning email.

Checked every 15 minutes by the worker; sends once a day (a ``DigestSent``
row) after ``PUTRIGHT_DIGEST_TIME`` London time on a working day of the
default policy's calendar, so a worker that was down at seven catches up
when it returns, and nobody gets one at a weekend or on a bank holiday.

Who gets one: active staff with an email address who have not turned it off,
and who have something to do: an open case of their own overdue, due today
or due soon; as a team lead, a case of their team overdue or due today (not
one they own themselves: that is under their own cases already); or an
agreed action of theirs (an action nobody was given falls to the case's
owner) overdue, due today or due soon, the dates the letters promised the
customer. Nobody gets an empty digest. A person with nothing in the morning is looked
at again on the next check, so a case handed to them later in the day that
is due today still reaches them, in that day's only digest.

A fixed number of queries whoever and however many: the readers, the
calendars, the deadlines of their cases, their actions, then one insert per
table. The open deadlines and actions, and who leads a case, are read through
``cases.selectors.open_work``, shared with the sweep.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.policies import current_policy
from putright.cases.selectors.open_work import open_actions, open_deadlines
from putright.comms.email import links, outbox, staffmail
from putright.comms.leases import held
from putright.comms.models import DigestSent, ReminderLevel
from putright.comms.reminders.levels import Calendars
from putright.procedure.calendar import LONDON, WorkingCalendar
from putright.procedure.deadlines import deadline_label
from putright.procedure.wording import day_of, due_words, long_date

LEASE = dt.timedelta(minutes=10)
#: Rows shown per section; the rest are counted, with a link to the full list.
SHOWN = 30
_TITLES = {ReminderLevel.MISSED: "Overdue", ReminderLevel.TODAY: "Due today", ReminderLevel.SOON: "Due soon"}


@dataclass(frozen=True)
class Item:
    reference: str
    summary: str
    deadline: str
    when: str
    url: str
    due_at: dt.datetime


@dataclass(frozen=True)
class ActionItem:
    """An agreed action in the digest: what, on which case, by when, and how near that is."""

    reference: str
    description: str
    when: str
    url: str
    status: str


@dataclass
class Work:
    """One reader's digest: their own cases by level, their team's overdue and due today, and
    their agreed actions due (soonest first)."""

    own: dict[ReminderLevel, list[Item]] = field(default_factory=lambda: defaultdict(list))
    team: dict[ReminderLevel, list[Item]] = field(default_factory=lambda: defaultdict(list))
    actions: list[ActionItem] = field(default_factory=list)

    def __bool__(self) -> bool:
        return any(self.own.values()) or any(self.team.values()) or bool(self.actions)


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
    work = _work(now, people)
    emails = [_email(people[pk], work[pk], day) for pk in people if work.get(pk)]
    with transaction.atomic():
        DigestSent.objects.bulk_create(
            DigestSent(user_id=pk, day=day, sent_at=now) for pk in people if work.get(pk)
        )
        outbox.queue_many(emails, purpose="digest")
    return {"sent": len(emails), "nothing_to_do": len(people) - len(emails)}


def _work(now: dt.datetime, people: dict[int, User]) -> dict[int, Work]:
    """Each reader's work: one query over the open deadlines of their own and their teams' cases,
    one over their open actions."""
    calendars = Calendars(now, settings.PUTRIGHT_REMIND_DAYS)
    ids = list(people)
    rows = (
        open_deadlines(calendars.horizon(), of=ids)
        .order_by("due_at", "pk")
        .values_list(
            "name",
            "due_at",
            "complaint__reference",
            "complaint__summary",
            "complaint__owner",
            "lead_id",
            "complaint__policy",
            "complaint__organisation__nation",
        )
    )
    work: dict[int, Work] = defaultdict(Work)
    for name, due_at, reference, summary, owner_id, lead_id, policy_id, nation in rows:
        level = calendars.today(policy_id, nation).level(due_at)
        if level is None:
            continue
        item = Item(
            reference=reference,
            summary=summary,
            deadline=deadline_label(name),
            when=due_words(due_at, LONDON),
            url=links.case_url(reference),
            due_at=due_at,
        )
        if owner_id in people:
            work[owner_id].own[level].append(item)
        # A lead who owns the case has it under their own cases: not twice.
        if lead_id in people and lead_id != owner_id and level is not ReminderLevel.SOON:
            work[lead_id].team[level].append(item)
    _add_actions(work, calendars, ids)
    return work


def _add_actions(work: dict[int, Work], calendars: Calendars, ids: list[int]) -> None:
    """Each reader's open actions overdue, due today or due soon, from one query."""
    rows = (
        open_actions(calendars.last_soon_day(), of=ids)
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
    for person, description, due_on, reference, policy_id, nation in rows:
        level = calendars.today(policy_id, nation).level_on(due_on)
        if level is None:
            continue
        work[person].actions.append(
            ActionItem(
                reference=reference,
                description=description,
                when=long_date(due_on, weekday=True),
                url=links.case_url(reference),
                status=_TITLES[level],
            )
        )


def _sections(
    found: dict[ReminderLevel, list[Item]], levels: tuple[ReminderLevel, ...]
) -> list[dict[str, object]]:
    return [
        {
            "title": _TITLES[level],
            "count": len(found[level]),
            "items": found[level][:SHOWN],
            "more": max(0, len(found[level]) - SHOWN),
        }
        for level in levels
        if found.get(level)
    ]


def _email(user: User, work: Work, day: dt.date) -> outbox.PlainEmail:
    counts = Counter({level: len(items) for level, items in work.own.items()})
    parts = [f"{counts[level]} {_TITLES[level].lower()}" for level in _TITLES if counts[level]]
    if work.actions:
        parts.append(f"{len(work.actions)} action{'' if len(work.actions) == 1 else 's'} due")
    summary = ", ".join(parts)
    subject = f"Your complaints for {day_of(day, LONDON)}" + (f": {summary}" if summary else "")
    text, html = staffmail.render(
        "digest",
        {
            "subject": subject,
            "name": user.first_name or str(user),
            "own": _sections(work.own, (ReminderLevel.MISSED, ReminderLevel.TODAY, ReminderLevel.SOON)),
            "team": _sections(work.team, (ReminderLevel.MISSED, ReminderLevel.TODAY)),
            "actions": {
                "title": "Actions due",
                "count": len(work.actions),
                "items": work.actions[:SHOWN],
                "more": max(0, len(work.actions) - SHOWN),
            }
            if work.actions
            else None,
            "work_url": links.absolute("/work/"),
            "settings_url": links.email_settings_url(),
        },
    )
    return outbox.PlainEmail(to=user.email, subject=subject, text=text, html=html)
