"""Timeline events that record what was sent or noticed, not a step of the procedure.

A letter sent, an email that could not be delivered and a deadline reminder
change nothing about where a case stands, so they do not pass through the
state machine; they are appended here, inside the caller's transaction, like
every other event, and never changed afterwards.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Complaint, EventKind, TimelineEvent

#: Who the timeline names when putright itself acted (a reminder, a failed email).
SYSTEM = "putright"


def event(
    complaint: Complaint,
    kind: EventKind,
    summary: str,
    *,
    actor: User | None = None,
    occurred_at: dt.datetime | None = None,
    **data: Any,
) -> TimelineEvent:
    """An unsaved event for ``complaint``, at its current stage, for ``append``."""
    return TimelineEvent(
        complaint=complaint,
        kind=kind,
        stage_number=complaint.stage,
        occurred_at=occurred_at or timezone.now(),
        actor=actor,
        actor_label=str(actor) if actor else SYSTEM,
        summary=summary,
        data=data,
    )


def append(*events: TimelineEvent) -> None:
    """Write events in the caller's transaction (one query however many)."""
    TimelineEvent.objects.bulk_create(events)
