"""Idempotency-Key: a write sent twice (a retry, a second click) happens once.

The first request with a key runs and its answer is kept with a digest of the
request. The same key and the same request get that answer again, and nothing
runs twice; the same key with another request is refused. Two requests with the
same key at the same moment: the database's unique constraint lets one commit,
and the other is rolled back whole and answered with the first one's result.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from ninja import Status

from putright.api.auth import caller
from putright.api.json import dumps
from putright.api.models import IdempotencyRecord
from putright.cases.errors import InvalidInput

HEADER = "Idempotency-Key"
Answer = tuple[int, dict[str, Any]]


class KeyReused(Exception):
    def __init__(self, key: str) -> None:
        super().__init__(
            f"The Idempotency-Key {key!r} was first used for a different request. "
            "Use a new key for a new request."
        )


def run_write(request: HttpRequest, action: Callable[[], Answer]) -> Status[dict[str, Any]]:
    """Run a write once per Idempotency-Key (or every time without one); answer with its status."""
    return Status(*_run_once(request, action))


def _run_once(request: HttpRequest, action: Callable[[], Answer]) -> Answer:
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return action()
    if len(key) > 200:
        raise InvalidInput(HEADER, "must be at most 200 characters")
    user = caller(request)
    digest = request_digest(request)
    try:
        with transaction.atomic():
            earlier = IdempotencyRecord.objects.filter(user=user, key=key).first()
            if earlier is not None:
                return _replay(earlier, digest)
            # Claim the key before acting: a request with the same key arriving meanwhile
            # waits on this row's unique index, then finds the answer instead of acting again.
            claim = IdempotencyRecord.objects.create(
                user=user,
                key=key,
                method=request.method or "",
                path=request.path[:500],
                request_digest=digest,
                status=0,
                body={},
            )
            status, body = action()
            claim.status, claim.body = status, json.loads(dumps(body))
            claim.save(update_fields=["status", "body"])
            return status, body
    except IntegrityError:
        earlier = IdempotencyRecord.objects.filter(user=user, key=key).first()
        if earlier is None:
            raise
        return _replay(earlier, digest)


def _replay(earlier: IdempotencyRecord, digest: str) -> Answer:
    if earlier.request_digest != digest:
        raise KeyReused(earlier.key)
    return earlier.status, earlier.body


def request_digest(request: HttpRequest) -> str:
    """The request's method, path and content: a form's fields and files, or the raw body."""
    sha = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    if request.content_type == "multipart/form-data":
        for name, value in sorted(request.POST.items()):
            sha.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                upload.seek(0)
                sha.update(f"{name}:{upload.name}:".encode() + hashlib.sha256(upload.read()).digest())
                upload.seek(0)
    else:
        sha.update(request.body)
    return sha.hexdigest()
