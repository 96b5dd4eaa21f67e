"""Stage deadlines as a reminder kind: tell the case owner and their team lead when one is near or missed.

Each open deadline of an open case gets at most one reminder per level (due
soon, due today, missed; see ``levels``) and due date, recorded as a
``Reminder`` row, so that:

- a sweep never repeats a reminder, however often it runs;
- after a pause (the worker was down) the next sweep sends the level that
  applies now, and only that: a deadline that went from nothing to missed in
  the meantime gets the missed reminder, and its timeline event names the
  earlier levels passed over;
- an extension, which moves the due date, starts a fresh set for the new date.

The candidates are read in one query (``cases.selectors.open_work.open_deadlines``,
shared with the daily digest) through the open-deadline index, bounded by the
furthest "due soon" date, leaving out deadlines whose missed reminder is
already sent. Its counts in the sweep's result keep the names they had before
there were other kinds: ``candidates``, ``soon``, ``today``, ``missed`` and
``passed_over``.

In the digest: the reader's own cases overdue, due today and due soon, and as
a team lead their team's cases overdue or due today (not those they own: those
are under their own cases already).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q

from putright.accounts.models import User
from putright.cases.models import Complaint, Deadline, EventKind, TimelineEvent
from putright.cases.selectors.open_work import open_deadlines
from putright.cases.services import timeline
from putright.comms.email import links
from putright.comms.models import Reminder, ReminderLevel
from putright.comms.reminders import reminding
from putright.comms.reminders.kinds import (
    CASE_FIELDS,
    DigestPart,
    Due,
    Mail,
    ReminderKind,
    digest_part,
    recipients,
)
from putright.comms.reminders.levels import Calendars, Today, earlier
from putright.procedure.calendar import LONDON
from putright.procedure.deadlines import deadline_label
from putright.procedure.wording import due_words

#: Rows shown per section of the digest; the rest are counted, with a link to the full list.
SHOWN = 30
TITLES = {ReminderLevel.MISSED: "Overdue", ReminderLevel.TODAY: "Due today", ReminderLevel.SOON: "Due soon"}


class StageDeadlines(ReminderKind[Deadline]):
    name = "deadline"

    def candidates(self, now: dt.datetime, calendars: Calendars) -> Iterable[Deadline]:
        """Open deadlines of open cases due by the furthest "due soon", less those reminded as missed.

        Annotated with the levels already sent for the current due date and the
        team lead to tell (``open_work.team_lead``).
        """
        sent = Reminder.objects.filter(deadline=OuterRef("pk"), due_at=OuterRef("due_at"))
        return (
            open_deadlines(calendars.horizon())
            .annotate(
                sent_soon=Exists(sent.filter(level=ReminderLevel.SOON)),
                sent_today=Exists(sent.filter(level=ReminderLevel.TODAY)),
                sent_missed=Exists(sent.filter(level=ReminderLevel.MISSED)),
            )
            .filter(Q(due_at__gte=now) | Q(sent_missed=False))
            .select_related("complaint", "complaint__organisation")
            .only("name", "due_at", *CASE_FIELDS)
            .order_by("due_at", "pk")
        )

    def complaint(self, item: Deadline) -> Complaint:
        return item.complaint

    def due(self, item: Deadline, today: Today) -> Due[Deadline] | None:
        level = today.level(item.due_at)
        if level is None or _sent(item, level):
            return None
        return Due(item, level, tuple(lower for lower in earlier(level) if not _sent(item, lower)))

    def to_tell(self, item: Deadline) -> Sequence[int | None]:
        """The owner, then the team lead (annotated by ``open_deadlines``)."""
        return item.complaint.owner_id, item.lead_id  # type: ignore[attr-defined]

    def remember(self, due: Due[Deadline], told: list[User], now: dt.datetime) -> Reminder:
        deadline = due.item
        return Reminder(
            deadline=deadline,
            complaint_id=deadline.complaint_id,
            level=due.level,
            due_at=deadline.due_at,
            sent_at=now,
            recipients=recipients(told),
        )

    def event(self, due: Due[Deadline], told: list[User], now: dt.datetime) -> TimelineEvent:
        deadline = due.item
        return timeline.event(
            deadline.complaint,
            EventKind.REMINDER_SENT,
            f"Reminder: {_what(due)} sent to {reminding.names(told)}",
            occurred_at=now,
            deadline=deadline.name,
            level=due.level.value,
            due_at=deadline.due_at.isoformat(),
            recipients=recipients(told),
            passed_over=[level.value for level in due.passed_over],
        )

    def email(self, due: Due[Deadline], told: list[User]) -> Mail:
        deadline, complaint = due.item, due.item.complaint
        when = due_words(deadline.due_at, LONDON)
        label = deadline_label(deadline.name)
        headline = {
            ReminderLevel.SOON: f"Due soon: {label} for {complaint.reference}, {when}",
            ReminderLevel.TODAY: f"Due today: {label} for {complaint.reference}, {when}",
            ReminderLevel.MISSED: f"Missed: {label} for {complaint.reference} was due {when}",
        }[due.level]
        context = {
            "headline": headline,
            "level": due.level.value,
            "reference": complaint.reference,
            "summary": complaint.summary,
            "deadline": label,
            "when": when,
            "case_url": links.case_url(complaint.reference),
        }
        return Mail(subject=headline, template="reminder", context=context)

    def candidates_key(self) -> str:
        return "candidates"

    def counted(self, due: Due[Deadline]) -> dict[str, int]:
        return {due.level.value: 1, "passed_over": len(due.passed_over)}

    def digest(self, now: dt.datetime, calendars: Calendars, readers: list[int]) -> dict[int, DigestPart]:
        """Each reader's cases and team's cases by level: one query over the open deadlines."""
        rows = (
            open_deadlines(calendars.horizon(), of=readers)
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
        wanted = set(readers)
        own: dict[int, dict[ReminderLevel, list[Item]]] = defaultdict(lambda: defaultdict(list))
        team: dict[int, dict[ReminderLevel, list[Item]]] = defaultdict(lambda: defaultdict(list))
        for name, due_at, reference, summary, owner_id, lead_id, policy_id, nation in rows:
            level = calendars.today(policy_id, nation).level(due_at)
            if level is None:
                continue
            item = Item(reference, summary, deadline_label(name), due_words(due_at, LONDON), due_at)
            if owner_id in wanted:
                own[owner_id][level].append(item)
            # A lead who owns the case has it under their own cases: not twice.
            if lead_id in wanted and lead_id != owner_id and level is not ReminderLevel.SOON:
                team[lead_id][level].append(item)
        return {person: _digest_part(own[person], team[person]) for person in {*own, *team}}


@dataclass(frozen=True)
class Item:
    """A deadline in the digest."""

    reference: str
    summary: str
    deadline: str
    when: str
    due_at: dt.datetime

    @property
    def url(self) -> str:
        return links.case_url(self.reference)


def _digest_part(own: dict[ReminderLevel, list[Item]], team: dict[ReminderLevel, list[Item]]) -> DigestPart:
    counts = Counter({level: len(items) for level, items in own.items()})
    context = {
        "own": _sections(own, (ReminderLevel.MISSED, ReminderLevel.TODAY, ReminderLevel.SOON)),
        "team": _sections(team, (ReminderLevel.MISSED, ReminderLevel.TODAY)),
        "work_url": links.absolute("/work/"),
    }
    summary = [f"{counts[level]} {TITLES[level].lower()}" for level in TITLES if counts[level]]
    return digest_part("digest_deadlines", context, summary)


def _sections(
    found: dict[ReminderLevel, list[Item]], levels: tuple[ReminderLevel, ...]
) -> list[dict[str, Any]]:
    return [
        {
            "title": TITLES[level],
            "count": len(found[level]),
            "items": found[level][:SHOWN],
            "more": max(0, len(found[level]) - SHOWN),
        }
        for level in levels
        if found.get(level)
    ]


def _sent(deadline: Deadline, level: ReminderLevel) -> bool:
    return bool(getattr(deadline, f"sent_{level.value}"))


def _what(due: Due[Deadline]) -> str:
    """ "stage 1 response due today (Tuesday 12 January 2027)": the reminder in a phrase."""
    label = _label(due.item.name)
    when = due_words(due.item.due_at, LONDON)
    if due.level is ReminderLevel.MISSED:
        return f"{label} missed (it was due {when})"
    return f"{label} {due.level.label.lower()} ({when})"


def _label(name: str) -> str:
    label = deadline_label(name)
    return label[:1].lower() + label[1:]
