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

issue 15, chainhead: each case's head (its latest hash and how many events it has) is
stored apart from the events, so that deleting a case's latest events shows. With a key
(``PUTRIGHT_AUDIT_KEY``) the head is also signed: ``head_signature`` is HMAC-SHA256 over
the case's id, the number of events and the latest hash, so a rewritten chain whose head
was recomputed without the key shows too.

Pure Python, no Django: the rule can be read, tested and re-implemented on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

GENESIS = ""


# issue 15, chainhead: one encoder made once (json.dumps with options makes one per call).
_encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
_string = json.encoder.encode_basestring  # a str as JSON, as the encoder above writes it
_sha256 = hashlib.sha256


def canonical(value: Any) -> bytes:
    """Sorted keys, no spaces, UTF-8: the same object always gives the same bytes."""
    return _encoder.encode(value).encode()


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


# issue 15, chainhead: the same two hashes written out member by member, for the check that
# reads millions of events. Each gives exactly the bytes of ``canonical`` over the dict
# (the members in sorted order); tests/procedure/test_chain_fast.py holds them to that.


def canonical_text(value: Any) -> str:
    """``canonical`` before its UTF-8 encoding."""
    return _encoder.encode(value)


def fast_text_digest(summary: str, data: Any) -> str:
    """``text_digest``, without building the dict."""
    return digest_of_encoded(summary, _encoder.encode(data))


def digest_of_encoded(summary: str, data: str) -> str:
    """``text_digest`` with the data already as ``canonical_text`` writes it."""
    return _sha256(('{"data":' + data + ',"summary":' + _string(summary) + "}").encode()).hexdigest()


def fast_event_hash(
    previous: str,
    complaint: int,
    kind: int,
    stage: int,
    occurred_at: str,
    actor: int | None,
    actor_label: str,
    text: str,
) -> str:
    """``event_hash(previous, content(...))`` with ``occurred_at`` already as ``utc_iso`` writes it."""
    body = (
        f'{previous}\n{{"actor":{"null" if actor is None else int(actor)},'
        f'"actor_label":{_string(actor_label)},"complaint":{int(complaint)},"kind":{int(kind)},"occurred_at":{_string(occurred_at)},'
        f'"stage":{int(stage)},"text":{_string(text)}}}'
    )
    return _sha256(body.encode()).hexdigest()


def head_signature(key: bytes, complaint: int, events: int, head: str) -> str:
    """HMAC-SHA256 of a case's stored head: its id, its number of events and its latest hash."""
    return hmac.new(key, f"{int(complaint)}\n{int(events)}\n{head}".encode(), hashlib.sha256).hexdigest()
