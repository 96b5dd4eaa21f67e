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


def redact_case_text(
    complaint: Complaint, replacement: str, actor: User | None, reason: str
) -> TimelineEvent | None:
    """Replace the text of every event on ``complaint`` at once; return the ONE redaction event naming them.

    issue 15, anonymise: the batch form of ``redact_event_text`` for anonymisation and erasure. A
    fixed number of queries however many events the case has (lock, read the ids, one UPDATE, one
    INSERT): the redaction event's data names every event emptied (``events``), which
    ``putright audit verify`` reads as it reads a single redaction's ``event``. Earlier redaction
    events keep their data (it is what lets their own events verify); events already emptied are
    left alone. None when there was nothing to remove.
    """
    if not reason.strip():
        raise ValueError("A redaction needs a reason.")
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        ids = list(
            models.QuerySet(TimelineEvent)
            .filter(complaint=case)
            .exclude(kind=EventKind.TEXT_REDACTED)
            .exclude(summary=replacement, data={})
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not ids:
            return None
        _name_the_events(ids)
        models.QuerySet(TimelineEvent).filter(pk__in=ids).update(summary=replacement, data={})
        _name_the_events([])
        return TimelineEvent.objects.create(
            complaint=case,
            kind=EventKind.TEXT_REDACTED,
            stage_number=case.stage,
            occurred_at=timezone.now(),
            actor=actor,
            actor_label=actor_label(actor),
            summary=f"Text of {_events_words(len(ids))} removed: {reason.strip()}",
            data={"events": ids, "reason": reason.strip()},
        )


def _name_the_events(pks: list[int]) -> None:
    """Name the events whose text this transaction may replace (none again for an empty list)."""
    if connection.vendor == "postgresql":
        named = "," + ",".join(str(pk) for pk in pks) + "," if pks else ""
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('putright.redact_events', %s, true)", [named])


def _name_the_event(pk: str) -> None:
    """Name the event whose text this transaction may replace ("" for none again)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('putright.redact_event', %s, true)", [pk])


def _events_words(count: int) -> str:
    return "1 earlier event" if count == 1 else f"{count} earlier events"
