"""The rule that links a case's timeline events into a chain no one can quietly rewrite.

Each event's ``hash`` is SHA-256 over the previous event's hash (of the same case,
in the order the events were recorded) and the event's canonical content. The
content is a sorted-key JSON object of exactly these members:

- ``complaint``: the case's id;
- ``kind``: the event kind's number;
- ``stage``: the stage number it happened at;
- ``occurred_at``: when it happened, in UTC, ISO 8601 with microseconds;
- ``actor``: the acting user's id, or null;
- ``actor_label``: who acted, as the timeline shows it;
- ``text``: the ``text_digest`` of the event's free text (summary and data).

The free text enters only through its digest, so that removing it (anonymisation,
erasure) can replace the text and keep the digest: the chain still verifies, the
text is gone, and the redaction is itself a chained event. The first event of a
case chains to ``GENESIS`` (the empty string).

Pure Python, no Django: the rule can be read, tested and re-implemented on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from typing import Any

GENESIS = ""


def canonical(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same object always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def utc_iso(moment: dt.datetime) -> str:
    """A moment as the chain writes it: UTC, with microseconds, whatever zone it came in."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def text_digest(summary: str, data: Mapping[str, Any]) -> str:
    """SHA-256 of the event's free text: its summary and its data (as stored, JSON)."""
    return hashlib.sha256(canonical({"data": data, "summary": summary})).hexdigest()


def content(
    *,
    complaint: int,
    kind: int,
    stage: int,
    occurred_at: dt.datetime,
    actor: int | None,
    actor_label: str,
    text: str,
) -> dict[str, Any]:
    """The members an event's hash covers (see the module's docstring)."""
    return {
        "complaint": complaint,
        "kind": int(kind),
        "stage": int(stage),
        "occurred_at": utc_iso(occurred_at),
        "actor": actor,
        "actor_label": actor_label,
        "text": text,
    }


def event_hash(previous: str, event_content: Mapping[str, Any]) -> str:
    """SHA-256 of the previous event's hash, a newline, and this event's canonical content."""
    return hashlib.sha256(previous.encode() + b"\n" + canonical(event_content)).hexdigest()
