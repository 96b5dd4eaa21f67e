"""A restriction's review date as a reminder kind: tell the case owner (and the team lead) when it arrives.

Code 5.14-5.15: a restriction lasts no longer than it must, so it is looked at
again on its review date. On that day (on the case's working calendar; a review
date on a bank holiday is told on the next working day), the sweep tells the
owner of the case the restriction was recorded on, then the case's team lead,
once per restriction and review date (``RestrictionReminder``). Reviewing or
renewing moves the date and starts afresh; ending it stops the reminders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.db.models import Exists, OuterRef

from putright.accounts.models import User
from putright.cases.models import Complaint, EventKind, Restriction, TimelineEvent
from putright.cases.selectors.open_work import team_lead
from putright.cases.services import timeline
from putright.comms.email import links
from putright.comms.models import ReminderLevel, RestrictionReminder
from putright.comms.reminders import reminding
from putright.comms.reminders.kinds import Due, Mail, ReminderKind, latest_today, recipients
from putright.comms.reminders.levels import Calendars, Today
from putright.procedure.wording import long_date


class RestrictionReviews(ReminderKind[Restriction]):
    name = "restriction_review"

    def candidates(self, now: dt.datetime, calendars: Calendars) -> Iterable[Restriction]:
        """Restrictions in force whose review date may have arrived, less those already reminded for it."""
        sent = RestrictionReminder.objects.filter(restriction=OuterRef("pk"), due_on=OuterRef("review_on"))
        return (
            Restriction.objects.filter(
                ended_on__isnull=True, complaint__isnull=False, review_on__lte=latest_today(now)
            )
            .annotate(lead_id=team_lead())
            .filter(~Exists(sent))
            .select_related("complaint", "complaint__organisation", "customer")
            .order_by("review_on", "pk")
        )

    def complaint(self, item: Restriction) -> Complaint:
        assert item.complaint is not None  # the candidates are restrictions recorded on a case
        return item.complaint

    def due(self, item: Restriction, today: Today) -> Due[Restriction] | None:
        if item.review_on > today.date:
            return None  # not yet on this case's calendar
        level = ReminderLevel.TODAY if item.review_on == today.date else ReminderLevel.MISSED
        return Due(item, level)

    def to_tell(self, item: Restriction) -> Sequence[int | None]:
        """The case owner, then the team lead (annotated)."""
        return self.complaint(item).owner_id, item.lead_id  # type: ignore[attr-defined]

    def remember(self, due: Due[Restriction], told: list[User], now: dt.datetime) -> RestrictionReminder:
        restriction = due.item
        return RestrictionReminder(
            restriction=restriction,
            complaint=self.complaint(restriction),
            due_on=restriction.review_on,
            sent_at=now,
            recipients=recipients(told),
        )

    def event(self, due: Due[Restriction], told: list[User], now: dt.datetime) -> TimelineEvent:
        restriction = due.item
        return timeline.event(
            self.complaint(restriction),
            EventKind.REMINDER_SENT,
            f"Reminder: the restriction on contact is due for review on "
            f"{long_date(restriction.review_on, weekday=True)}; sent to {reminding.names(told)}",
            occurred_at=now,
            restriction=restriction.pk,
            due_on=restriction.review_on.isoformat(),
            recipients=recipients(told),
        )

    def email(self, due: Due[Restriction], told: list[User]) -> Mail:
        restriction = due.item
        complaint = self.complaint(restriction)
        when = long_date(restriction.review_on, weekday=True)
        headline = f"Review due: the restriction on contact on {complaint.reference} ({when})"
        context = {
            "headline": headline,
            "reference": complaint.reference,
            "customer": restriction.customer.full_name,
            "restricted": restriction.restrictions,
            "reason": restriction.reason,
            "when": when,
            "case_url": links.case_url(complaint.reference),
        }
        return Mail(subject=headline, template="restriction_reminder", context=context)
