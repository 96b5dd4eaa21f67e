"""The one audited path that removes an event's free text, keeping the chain verifiable.

Timeline rows are never changed by ordinary code (``TimelineEvent`` refuses
``save`` and ``update``). Anonymisation and erasure must still remove what a
resident told us; they do it here: the event's summary and data are replaced,
its ``text_digest`` (which the chain hashes instead of the text) is kept, and a
``TEXT_REDACTED`` event naming it is appended to the chain, in one transaction
with the case locked. ``putright audit verify`` accepts a changed text only on an
event a later chained redaction names; any other change is tampering.
"""

from __future__ import annotations

from django.db import connection, models, transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Complaint, EventKind, TimelineEvent
from putright.cases.services.steps import actor_label


def redact_event_text(
    event: TimelineEvent, replacement: str, actor: User | None, reason: str
) -> TimelineEvent:
    """Replace ``event``'s summary with ``replacement`` and empty its data; return the redaction event."""
    if not reason.strip():
        raise ValueError("A redaction needs a reason.")
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=event.complaint_id)
        # The plain queryset: the one place a timeline row's text may change. On PostgreSQL the
        # database lets it through only for the event this transaction names (migration 0022).
        _name_the_event(str(event.pk))
        models.QuerySet(TimelineEvent).filter(pk=event.pk).update(summary=replacement, data={})
        _name_the_event("")
        return TimelineEvent.objects.create(
            complaint=complaint,
            kind=EventKind.TEXT_REDACTED,
            stage_number=complaint.stage,
            occurred_at=timezone.now(),
            actor=actor,
            actor_label=actor_label(actor),
            summary=f"Text of an earlier event removed: {reason.strip()}",
            data={"event": event.pk, "reason": reason.strip(), "text_digest": event.text_digest},
        )


def _name_the_event(pk: str) -> None:
    """Name the event whose text this transaction may replace ("" for none again)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('putright.redact_event', %s, true)", [pk])
