"""A referred concern's outcome as a reminder kind: tell the lead it was referred to, until it is closed.

A safeguarding or health and safety concern is referred to a lead, who owes
its outcome by a date set at referral (``PUTRIGHT_CONCERN_OUTCOME_DAYS``
working days on). From two working days before that date (the sweep's "due
soon"), on each working day of the case's calendar, the sweep tells the lead,
at most once a day (``ConcernReminder`` unique on concern and day), until the
concern is closed with its outcome. A concern is about someone's safety:
unlike a deadline, it is not told once and forgotten.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Complaint, Concern, ConcernStatus, EventKind, TimelineEvent
from putright.cases.services import timeline
from putright.comms.email import links
from putright.comms.models import ConcernReminder
from putright.comms.reminders import reminding
from putright.comms.reminders.kinds import Due, Mail, ReminderKind, recipients
from putright.comms.reminders.levels import Calendars, Today
from putright.procedure.wording import long_date

KIND_WORDS = {"safeguarding": "Safeguarding", "health_and_safety": "Health and safety"}
_HEADLINES = {
    "soon": "due soon",
    "today": "due today",
    "missed": "overdue",
}


class ConcernOutcomes(ReminderKind[Concern]):
    name = "concern_outcome"

    def candidates(self, now: dt.datetime, calendars: Calendars) -> Iterable[Concern]:
        """Referred concerns not closed whose outcome is due soon (or is late), with the last day reminded."""
        last = (
            ConcernReminder.objects.filter(concern=OuterRef("pk")).values("concern").annotate(last=Max("day"))
        )
        return (
            Concern.objects.filter(
                status=ConcernStatus.REFERRED,
                referred_to__isnull=False,
                outcome_due_at__lte=calendars.horizon(),
            )
            .annotate(last_reminded_on=Subquery(last.values("last")))
            .select_related("complaint", "complaint__organisation", "referred_to")
            .order_by("outcome_due_at", "pk")
        )

    def complaint(self, item: Concern) -> Complaint:
        return item.complaint

    def due(self, item: Concern, today: Today) -> Due[Concern] | None:
        if item.outcome_due_at is None or item.last_reminded_on == today.date:  # type: ignore[attr-defined]
            return None
        level = today.level(item.outcome_due_at)
        return Due(item, level) if level is not None else None

    def to_tell(self, item: Concern) -> Sequence[int | None]:
        return (item.referred_to_id,)

    def remember(self, due: Due[Concern], told: list[User], now: dt.datetime) -> ConcernReminder:
        concern = due.item
        return ConcernReminder(
            concern=concern,
            complaint_id=concern.complaint_id,
            day=timezone.localtime(now).date(),  # Europe/London, as every case's calendar
            level=due.level,
            sent_at=now,
            recipients=recipients(told),
        )

    def event(self, due: Due[Concern], told: list[User], now: dt.datetime) -> TimelineEvent:
        concern = due.item
        return timeline.event(
            concern.complaint,
            EventKind.REMINDER_SENT,
            f"Reminder: the outcome of the {KIND_WORDS.get(concern.kind, concern.kind).lower()} concern is "
            f"{_HEADLINES[due.level.value]} ({_when(concern)}); sent to {reminding.names(told)}",
            occurred_at=now,
            concern=concern.pk,
            level=due.level.value,
            recipients=recipients(told),
        )

    def email(self, due: Due[Concern], told: list[User]) -> Mail:
        concern, complaint = due.item, due.item.complaint
        kind = KIND_WORDS.get(concern.kind, concern.kind)
        headline = f"{kind} concern on {complaint.reference}: its outcome is {_HEADLINES[due.level.value]}"
        context = {
            "headline": headline,
            "reference": complaint.reference,
            "kind": kind,
            "description": concern.description,
            "when": _when(concern),
            "case_url": links.case_url(complaint.reference),
            "queue_url": links.absolute("/work/concerns/"),
        }
        return Mail(subject=headline, template="concern_reminder", context=context)


def _when(concern: Concern) -> str:
    assert concern.outcome_due_at is not None
    return long_date(timezone.localtime(concern.outcome_due_at).date(), weekday=True)
