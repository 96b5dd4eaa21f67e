"""Checking the timeline chains: the first broken link of each case, read in fixed memory.

The rule is ``putright.procedure.chain``. A case's events are read in the order they
were recorded (id), one case at a time from a streaming query, so checking nine
million events holds one case's events in memory, never the table.

issue 15, chainhead: each case's chain must also end at its stored head (``ChainHead``:
the latest hash and the number of events), so deleting a case's latest events shows as
"events missing after #N"; with PUTRIGHT_AUDIT_KEY set, the head's signature is checked
too. The heads are read as a second stream in case order and merged with the events.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime

from putright.cases.models import ChainHead, Complaint, EventKind, TimelineEvent
from putright.cases.models.timeline import audit_key
from putright.procedure import chain

# issue 15, chainhead: plain tuples in this order, not model instances (a third of the time).
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
CHUNK = 5000
UNKEYED = (
    "The chain heads are not signed (PUTRIGHT_AUDIT_KEY is not set): the chain shows accidents "
    "and casual edits, not a determined database administrator who recomputes it."
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
    keyed: bool = False  # issue 15, chainhead: the heads' signatures were checked

    @property
    def ok(self) -> bool:
        return not self.broken


Row = tuple[Any, ...]
Head = tuple[int, int, str, str]  # complaint id, events, hash, signature


# issue 15, chainhead: the check reads the rows as the database gives them, without Django's
# converters (a third of its time): the data as JSON text (parsed only when not "{}"), and on
# SQLite the moment naive in UTC (the sqlite3 module's own converter, which Django registers).
_REDACTED = int(EventKind.TEXT_REDACTED)
_utc = dt.UTC


def _loads(data: Any) -> Any:
    return json.loads(data) if isinstance(data, str) else data


def _moment(value: Any) -> str:
    """The moment as ``chain.utc_iso`` writes it, from a datetime (or text the driver left as it was)."""
    if isinstance(value, str):
        parsed = parse_datetime(value)
        return value if parsed is None else chain.utc_iso(parsed)  # unreadable: its link breaks
    zone = value.tzinfo
    if zone is None:  # SQLite's own converter: naive, in UTC
        return str(value.isoformat(timespec="microseconds")) + "+00:00"
    if zone is _utc:
        return str(value.isoformat(timespec="microseconds"))
    return chain.utc_iso(value)


def _first_broken(reference: str, rows: list[Row]) -> BrokenLink | None:
    """Walk one case's rows (``FIELDS`` order) in recorded order; the first that does not follow.

    An event's text may differ from its digest only if a later chained redaction names it.
    """
    redacted = set()
    for row in rows:
        data = _loads(row[8]) if row[2] == _REDACTED else None
        named = data.get("event") if isinstance(data, dict) else None
        if isinstance(named, int):
            redacted.add(named)
        # issue 15, anonymise: a whole case's events emptied at once, named in one redaction event
        many = data.get("events") if isinstance(data, dict) else None
        if isinstance(many, list):
            redacted.update(pk for pk in many if isinstance(pk, int))
    text_digest, event_hash, encode = chain.digest_of_encoded, chain.fast_event_hash, chain.canonical_text
    moment, loads = _moment, _loads
    previous = chain.GENESIS
    for position, (
        pk,
        complaint,
        kind,
        stage,
        occurred_at,
        actor,
        label,
        summary,
        data,
        digest,
        stored,
    ) in enumerate(rows, start=1):
        if pk not in redacted:
            found = text_digest(summary, "{}" if data == "{}" else encode(loads(data)))
            if found != digest:
                return BrokenLink(reference, position, pk, "text changed", digest, found)
        expected = event_hash(previous, complaint, kind, stage, moment(occurred_at), actor, label, digest)
        if expected != stored:
            return BrokenLink(reference, position, pk, "link broken", expected, stored)
        previous = stored
    return None


def head_problem(rows: list[Row], head: Head | None, key: bytes) -> BrokenLink | None:
    """issue 15, chainhead: whether the case's stored head is where its chain ends (and signed so)."""
    count = len(rows)
    last_id, last = (rows[-1][0], rows[-1][10]) if rows else (0, chain.GENESIS)
    if head is None:
        return BrokenLink("", count, last_id, "no stored head", f"the head of {count} events", "")
    _, events, latest, signature = head
    if events > count:
        return BrokenLink(
            "", count, last_id, f"events missing after #{count}", _head(events, latest), _head(count, last)
        )
    if (events, latest) != (count, last):
        return BrokenLink(
            "", count, last_id, "stored head does not match", _head(events, latest), _head(count, last)
        )
    if key and signature != (signed := chain.head_signature(key, head[0], events, latest)):
        return BrokenLink("", count, last_id, "head signature does not match", signed, signature)
    return None


def _head(events: int, latest: str) -> str:
    return f"{events} events ending {latest[:16] or '(genesis)'}"


def _stream(queryset: QuerySet[Any], fields: tuple[str, ...]) -> Iterator[Row]:
    """The rows as the database gives them, ``CHUNK`` at a time (a server-side cursor on PostgreSQL)."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connections[queryset.db].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            yield from rows


def _narrowed(complaints: QuerySet[Complaint] | None, between: tuple[int, int] | None) -> Q:
    """The cases to check, as a condition on ``complaint_id``: a range of ids reads the chain's
    index directly, where ``complaint__in`` would first read the complaints."""
    if between is not None:
        return Q(complaint_id__gt=between[0], complaint_id__lte=between[1])
    return Q() if complaints is None else Q(complaint__in=complaints)


def _rows(where: Q) -> Iterator[Row]:
    return _stream(TimelineEvent.objects.filter(where).order_by("complaint_id", "pk"), FIELDS)


def _heads(where: Q) -> Iterator[Head]:
    heads = ChainHead.objects.filter(where).order_by("complaint_id")
    return _stream(heads, ("complaint_id", "events", "hash", "signature"))


def _cases(where: Q) -> Iterator[tuple[int, list[Row], Head | None]]:
    """Each case's events and stored head, from two streams in case order (a merge, fixed memory)."""
    heads = _heads(where)
    head = next(heads, None)
    for complaint_id, group in groupby(_rows(where), key=itemgetter(1)):
        while head is not None and head[0] < complaint_id:  # a head whose events are all gone
            yield head[0], [], head
            head = next(heads, None)
        if head is not None and head[0] == complaint_id:
            yield complaint_id, list(group), head
            head = next(heads, None)
        else:
            yield complaint_id, list(group), None
    while head is not None:
        yield head[0], [], head
        head = next(heads, None)


def verify(
    complaints: QuerySet[Complaint] | None = None,
    *,
    unsigned: list[int] | None = None,
    between: tuple[int, int] | None = None,
) -> Verification:
    """Check every case's chain and head (or those of ``complaints``, or of the complaint ids
    ``between`` (after, up to and including)); streaming, one case in memory.

    With ``unsigned`` (a list to fill), the heads' signatures are not checked: the cases
    whose chain and head hold but whose signature does not are added to it instead, to be
    signed (``putright audit sign``).
    """
    key = audit_key()
    checked = key if unsigned is None else b""
    result = Verification(broken=[], keyed=bool(checked))
    assert result.broken is not None
    for complaint_id, rows, head in _cases(_narrowed(complaints, between)):
        result.cases += 1
        result.events += len(rows)
        broken = _first_broken("", rows) or head_problem(rows, head, checked)
        if broken is not None:
            result.broken.append(replace(broken, reference=_reference(complaint_id)))
        elif unsigned is not None and head is not None and head_problem(rows, head, key) is not None:
            unsigned.append(complaint_id)
    return result


def _reference(complaint_id: int) -> str:
    return str(Complaint.objects.filter(pk=complaint_id).values_list("reference", flat=True).first())


def next_slice(after: int, size: int) -> tuple[int, bool] | None:
    """issue 16: the next ``size`` cases after the id ``after``, as (the last one's id, whether it
    is the last case); None when there is none. One index read of at most ``size`` ids."""
    ids = Complaint.objects.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)
    upto = ids[size - 1 : size].first()
    if upto is not None:
        return upto, not ids.filter(pk__gt=upto).exists()
    last = ids.order_by("-pk").first()
    return None if last is None else (last, True)


def combined(earlier: dict[str, Any], later: dict[str, Any], limit: int = 20) -> dict[str, Any]:
    """Two ``summary`` results of slices of one pass, as one."""
    return {
        "ok": earlier["ok"] and later["ok"],
        "cases": earlier["cases"] + later["cases"],
        "events": earlier["events"] + later["events"],
        "broken": earlier["broken"] + later["broken"],
        "first_broken": [*earlier["first_broken"], *later["first_broken"]][:limit],
        "keyed": later["keyed"],
    }


def summary(result: Verification, limit: int = 20) -> dict[str, Any]:
    """The result as the worker keeps it and /health shows it."""
    broken = result.broken or []
    return {
        "ok": result.ok,
        "cases": result.cases,
        "events": result.events,
        "broken": len(broken),
        "first_broken": [str(b) for b in broken[:limit]],
        "keyed": result.keyed,
    }
