"""The daily digest: each caseworker's and team lead's work for the day, in one morning email.

Checked every 15 minutes by the worker; sends once a day (a ``DigestSent``
row) after ``PUTRIGHT_DIGEST_TIME`` London time on a working day of the
default policy's calendar, so a worker that was down at seven catches up
when it returns, and nobody gets one at a weekend or on a bank holiday.

Who gets one: active staff with an email address who have not turned it off,
and who have something to do: an open case of their own overdue, due today
or due soon, or, as a team lead, a case of their team overdue or due today.
Nobody gets an empty digest. A person with nothing in the morning is looked
at again on the next check, so a case handed to them later in the day that
is due today still reaches them, in that day's only digest.

A fixed number of queries whoever and however many: the readers, the
calendars, the deadlines of their cases, then one insert per table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, When
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Deadline
from putright.cases.policies import current_policy
from putright.comms import links, outbox, staffmail
from putright.comms.leases import held
from putright.comms.levels import Calendars
from putright.comms.models import DigestSent, ReminderLevel
from putright.procedure.calendar import LONDON, WorkingCalendar
from putright.procedure.deadlines import deadline_label
from putright.procedure.states import OPEN
from putright.procedure.wording import day_of, due_words

LEASE = dt.timedelta(minutes=10)
#: Rows shown per section; the rest are counted, with a link to the full list.
SHOWN = 30
_OPEN_STATES = sorted(state.value for state in OPEN)
_TITLES = {ReminderLevel.MISSED: "Overdue", ReminderLevel.TODAY: "Due today", ReminderLevel.SOON: "Due soon"}


@dataclass(frozen=True)
class Item:
    reference: str
    summary: str
    deadline: str
    when: str
    url: str
    due_at: dt.datetime


@dataclass
class Work:
    """One reader's digest: their own cases by level, and their team's overdue and due today."""

    own: dict[ReminderLevel, list[Item]] = field(default_factory=lambda: defaultdict(list))
    team: dict[ReminderLevel, list[Item]] = field(default_factory=lambda: defaultdict(list))

    def __bool__(self) -> bool:
        return any(self.own.values()) or any(self.team.values())


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
    """Each reader's work, from one query over the open deadlines of their own and their teams' cases."""
    calendars = Calendars(now, settings.PUTRIGHT_REMIND_DAYS)
    ids = list(people)
    rows = (
        Deadline.objects.filter(
            met_at__isnull=True,
            cancelled_at__isnull=True,
            due_at__lte=calendars.horizon(),
            complaint__state__in=_OPEN_STATES,
        )
        .annotate(
            lead_id=Case(
                When(complaint__team__isnull=False, then=F("complaint__team__lead")),
                default=F("complaint__owner__team__lead"),
            )
        )
        .filter(Q(complaint__owner__in=ids) | Q(lead_id__in=ids))
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
        if lead_id in people and level is not ReminderLevel.SOON:
            work[lead_id].team[level].append(item)
    return work


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
    summary = ", ".join(f"{counts[level]} {_TITLES[level].lower()}" for level in _TITLES if counts[level])
    subject = f"Your complaints for {day_of(day, LONDON)}" + (f": {summary}" if summary else "")
    text, html = staffmail.render(
        "digest",
        {
            "subject": subject,
            "name": user.first_name or str(user),
            "own": _sections(work.own, (ReminderLevel.MISSED, ReminderLevel.TODAY, ReminderLevel.SOON)),
            "team": _sections(work.team, (ReminderLevel.MISSED, ReminderLevel.TODAY)),
            "work_url": links.absolute("/work/"),
            "settings_url": links.email_settings_url(),
        },
    )
    return outbox.PlainEmail(to=user.email, subject=subject, text=text, html=html)
