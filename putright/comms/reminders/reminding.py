"""Who a reminder goes to, and writing a batch of reminders: shared by deadlines and actions.

A reminder goes to the person responsible, then the team lead, each once and
only if they are active with an email address. A batch is written in one
transaction: the reminder rows, their timeline events and their emails.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models, transaction

from putright.accounts.models import User
from putright.cases.models import TimelineEvent
from putright.cases.services import timeline
from putright.comms.email import outbox
from putright.procedure.wording import and_list


def emailable(ids: Iterable[int | None]) -> dict[int, User]:
    """The active people among ``ids`` who have an email address, by id (one query)."""
    wanted = {pk for pk in ids if pk is not None}
    users = User.objects.filter(pk__in=wanted, is_active=True).exclude(email="")
    return {user.pk: user for user in users.only("first_name", "last_name", "username", "email")}


def in_order(ids: Iterable[int | None], people: dict[int, User]) -> list[User]:
    """``ids`` as the people to tell, in order, each once, leaving out who cannot be emailed."""
    told: list[User] = []
    for user_id in ids:
        user = people.get(user_id) if user_id else None
        if user is not None and user not in told:
            told.append(user)
    return told


def names(told: list[User]) -> str:
    return and_list([str(user) for user in told])


def record(
    reminders: Sequence[models.Model],
    events: Sequence[TimelineEvent | models.Model],
    emails: list[outbox.PlainEmail],
) -> int:
    """Write a batch of reminders, their timeline events (or, for work on no case, the kind's own
    audit rows: one insert per table) and their emails together; how many emails."""
    if not reminders:
        return 0
    with transaction.atomic():
        type(reminders[0])._default_manager.bulk_create(reminders)
        timeline.append(*(e for e in events if isinstance(e, TimelineEvent)))
        others: dict[type[models.Model], list[models.Model]] = {}
        for row in events:
            if not isinstance(row, TimelineEvent):
                others.setdefault(type(row), []).append(row)
        for model, rows in others.items():
            model._default_manager.bulk_create(rows)
        return outbox.queue_many(emails, purpose="reminder")
