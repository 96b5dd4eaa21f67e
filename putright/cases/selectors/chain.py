"""Checking the timeline chains: the first broken link of each case, read in fixed memory.

The rule is ``putright.procedure.chain``. A case's events are read in the order they
were recorded (id), one case at a time from a streaming query, so checking nine
million events holds one case's events in memory, never the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Any

from django.db.models import QuerySet

from putright.cases.models import Complaint, EventKind, TimelineEvent
from putright.cases.models.timeline import content_of
from putright.procedure import chain

FIELDS = (
    "pk",
    "complaint_id",
    "kind",
    "stage_number",
    "occurred_at",
    "actor_id",
    "actor_label",
    "summary",
    "data",
    "text_digest",
    "hash",
)


@dataclass(frozen=True)
class BrokenLink:
    """The first event of a case whose stored hash or text is not what the chain says."""

    reference: str
    position: int  # 1 = the case's first recorded event
    event_id: int
    problem: str
    expected: str
    found: str

    def __str__(self) -> str:
        return (
            f"{self.reference}: event {self.position} (id {self.event_id}): {self.problem}; "
            f"expected {self.expected or '(none)'}, found {self.found or '(none)'}"
        )


@dataclass
class Verification:
    """What a run checked and the broken links it found (one per case at most)."""

    cases: int = 0
    events: int = 0
    broken: list[BrokenLink] | None = None

    @property
    def ok(self) -> bool:
        return not self.broken


def redacted_ids(events: Iterable[TimelineEvent]) -> set[int]:
    """Events whose text a chained redaction event says was removed (and so may differ)."""
    named: list[object] = []
    for e in events:
        if e.kind == EventKind.TEXT_REDACTED and isinstance(e.data, dict):
            named.append(e.data.get("event"))
            # issue 15, anonymise: a whole case's events emptied at once, named in one event
            many = e.data.get("events")
            if isinstance(many, list):
                named.extend(many)
    return {pk for pk in named if isinstance(pk, int)}


def first_broken_link(reference: str, events: list[TimelineEvent]) -> BrokenLink | None:
    """Walk one case's events in recorded order; the first that does not follow from the one before."""
    redacted = redacted_ids(events)
    previous = chain.GENESIS
    for position, event in enumerate(events, start=1):
        digest = chain.text_digest(event.summary, event.data)
        if event.pk not in redacted and digest != event.text_digest:
            return BrokenLink(reference, position, event.pk, "text changed", event.text_digest, digest)
        expected = chain.event_hash(previous, content_of(event, event.text_digest))
        if expected != event.hash:
            return BrokenLink(reference, position, event.pk, "link broken", expected, event.hash)
        previous = event.hash
    return None


def _events(complaints: QuerySet[Complaint]) -> Iterator[TimelineEvent]:
    return (
        TimelineEvent.objects.filter(complaint__in=complaints)
        .order_by("complaint_id", "pk")
        .only(*FIELDS)
        .iterator(chunk_size=5000)
    )


def verify(complaints: QuerySet[Complaint] | None = None) -> Verification:
    """Check every case's chain (or those of ``complaints``); streaming, one case in memory."""
    complaints = complaints if complaints is not None else Complaint.objects.all()
    result = Verification(broken=[])
    assert result.broken is not None
    for complaint_id, group in groupby(_events(complaints), key=lambda e: e.complaint_id):
        events = list(group)
        result.cases += 1
        result.events += len(events)
        if (broken := first_broken_link("", events)) is not None:
            result.broken.append(replace(broken, reference=_reference(complaint_id)))
    return result


def _reference(complaint_id: int) -> str:
    return str(Complaint.objects.filter(pk=complaint_id).values_list("reference", flat=True).first())


def summary(result: Verification, limit: int = 20) -> dict[str, Any]:
    """The result as the worker keeps it and /health shows it."""
    broken = result.broken or []
    return {
        "ok": result.ok,
        "cases": result.cases,
        "events": result.events,
        "broken": len(broken),
        "first_broken": [str(b) for b in broken[:limit]],
    }
