"""RFC 9457 problem details: every error the API returns, in one shape.

``type`` is a URI naming the kind of problem (documented in the OpenAPI
document), ``title`` says it in words, ``detail`` says what to do about this
one. Validation problems add ``errors``, one per bad field; a refused step adds
``step`` and ``reason``; a stale version adds ``current_version``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Schema

from putright.api.json import dumps

CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://putright.org.uk/problems/"


class FieldError(Schema):
    field: str
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None
    step: str | None = None
    reason: str | None = None
    current_version: int | None = None


TITLES = {
    "unauthenticated": "Sign in or give an API token",
    "forbidden": "Your role does not allow this",
    "not-found": "Not found",
    "invalid": "Some of what was sent cannot be used",
    "step-not-allowed": "The procedure does not allow this step now",
    "stale-version": "The complaint has changed since you read it",
    "idempotency-key-reused": "This Idempotency-Key was used for a different request",
    "method-not-allowed": "Method not allowed",
    "csrf-failed": "The CSRF token is missing or wrong",
    "server-error": "Something went wrong on our side",
    "too-large": "Too large",
    "malformed": "The request could not be read",  # issue 15, inputsec
    # issue 12, yswd: "You said, we did" entries
    "personal-data": "The words give away personal data",
    "own-entry": "Nobody approves their own entry",
    "entry-not-allowed": "The entry's status does not allow this",
    "stale-entry": "The entry has changed since you read it",
}

STATUS = {
    "unauthenticated": 401,
    "forbidden": 403,
    "not-found": 404,
    "method-not-allowed": 405,
    "step-not-allowed": 409,
    "stale-version": 409,
    "too-large": 413,
    "malformed": 400,  # issue 15, inputsec
    "invalid": 422,
    "idempotency-key-reused": 422,
    "csrf-failed": 403,
    "server-error": 500,
    # issue 12, yswd: "You said, we did" entries
    "personal-data": 422,
    "own-entry": 409,
    "entry-not-allowed": 409,
    "stale-entry": 409,
}


def problem(request: HttpRequest, kind: str, detail: str, **extra: Any) -> HttpResponse:
    body = {
        "type": TYPE_BASE + kind,
        "title": TITLES[kind],
        "status": STATUS[kind],
        "detail": detail,
        "instance": request.path,
        **{k: v for k, v in extra.items() if v is not None},
    }
    return HttpResponse(dumps(body), status=STATUS[kind], content_type=CONTENT_TYPE)


#: The error responses every authenticated endpoint may give, for its OpenAPI entry.
READ_ERRORS: dict[int, type[Problem]] = {401: Problem, 403: Problem, 404: Problem, 422: Problem}
WRITE_ERRORS: dict[int, type[Problem]] = {**READ_ERRORS, 409: Problem}
