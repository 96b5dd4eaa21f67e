"""The API, version 1: /api/v1/, its OpenAPI document at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from putright.api import problems
from putright.api.auth import AUTH
from putright.api.idempotency import KeyReused
from putright.api.parser import StrictParser
from putright.api.permissions import Forbidden
from putright.api.routers import (
    complaints,
    learning_points,  # issue 12, points
    letters,
    notes,
    people,
    publications,  # issue 12, publish
    reference,
    steps,
    you_said,  # issue 12, yswd
)
from putright.api.routers import remedies as remedy_routes  # issue 12, remedies
from putright.api.routers import reports as report_routes  # issue 13, dash
from putright.api.routers.lessons import router as lessons_router  # issue 12, lessons
from putright.api.routers.report_export import router as report_export_router  # issue 13, export
from putright.api.routers.tsm import router as tsm_router  # issue 13, tsm
from putright.cases.errors import InvalidInput, NotFound, StaleCase, StepNotAllowed
from putright.learning.services.you_said import (  # issue 12, yswd
    EntryForbidden,
    EntryNotAllowed,
    OwnEntry,
    StaleEntry,
)

DESCRIPTION = """
The complaints procedure of a UK social housing landlord, as a JSON API.

**Authentication**: `Authorization: Bearer <token>` with an API token created by
an administrator, or the staff session cookie (with its CSRF token on writes).

**Errors** are RFC 9457 problem details (`application/problem+json`): `type`,
`title`, `status`, `detail`, and where they apply `errors` (one per bad field),
`step` and `reason` (a step the procedure does not allow now) or
`current_version` (the complaint changed since it was read).

**Writes** accept an `Idempotency-Key` header: the same key and body return the
first answer and do nothing twice. Every step on a complaint takes the
`version` of the complaint that was read, and is refused with 409 if the
complaint has changed since.
"""


class PutrightAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Document error responses as application/problem+json, which is what they are."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if str(status).startswith(("4", "5")) and "application/json" in content:
                        content[problems.CONTENT_TYPE] = content.pop("application/json")
        return schema


logger = logging.getLogger(__name__)

api = PutrightAPI(
    title="putright API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=AUTH,
    parser=StrictParser(),
)

api.add_router("/complaints", complaints.router)
api.add_router("/complaints", steps.router)
api.add_router("/complaints", letters.router)
api.add_router("/complaints", notes.router)
api.add_router("/", people.router)
api.add_router("/", reference.router)
# issue 12, publish: published quarters of "You said, we did" and their live figures
api.add_router("/you-said-we-did", publications.router)
# issue 12, remedies
api.add_router("/complaints", remedy_routes.router)
# issue 12, lessons: learning actions
api.add_router("/learning-actions", lessons_router)
# issue 12, yswd: "You said, we did" entries
api.add_router("/you-said-we-did", you_said.router)
# issue 12, points: the learning lists and a point's learning
api.add_router("/", learning_points.router)
api.add_router("/complaints", learning_points.steps_router)
# issue 13, export: the flat export for business-intelligence tools
api.add_router("/reports/export", report_export_router)
# issue 13, dash: the reports dashboard
api.add_router("/reports", report_routes.router)
# issue 13, tsm: the Tenant Satisfaction Measures and the homes they divide by
api.add_router("/", tsm_router)


@api.exception_handler(NotFound)
def not_found(request: HttpRequest, error: NotFound) -> HttpResponse:
    return problems.problem(request, "not-found", error.message)


@api.exception_handler(Http404)
def http_404(request: HttpRequest, error: Http404) -> HttpResponse:
    return problems.problem(request, "not-found", "Nothing was found at this address.")


@api.exception_handler(StaleCase)
def stale(request: HttpRequest, error: StaleCase) -> HttpResponse:
    return problems.problem(request, "stale-version", error.message, current_version=error.actual)


@api.exception_handler(StepNotAllowed)
def refused(request: HttpRequest, error: StepNotAllowed) -> HttpResponse:
    return problems.problem(request, "step-not-allowed", error.reason, step=error.step, reason=error.reason)


@api.exception_handler(InvalidInput)
def invalid(request: HttpRequest, error: InvalidInput) -> HttpResponse:
    errors = [{"field": error.field, "message": error.detail}]
    return problems.problem(request, "invalid", error.message, errors=errors)


@api.exception_handler(ValidationError)
def validation(request: HttpRequest, error: ValidationError) -> HttpResponse:
    errors = [
        {"field": _field(item.get("loc", ())), "message": str(item.get("msg", "is not valid"))}
        for item in error.errors
    ]
    fields = ", ".join(e["field"] or "(body)" for e in errors)
    return problems.problem(request, "invalid", f"Check these fields: {fields}.", errors=errors)


def _field(loc: tuple[object, ...] | list[object]) -> str:
    """The field a validation error is about, from django-ninja's location.

    The location starts with where the value was sent (body, query, path, form,
    file); a JSON body's location then names the endpoint's body parameter
    ("body"), and an uploaded file's names its form field.
    """
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "form", "file", "header", "cookie"}:
        source = parts.pop(0)
        if source == "body" and len(parts) > 1 and parts[0] == "body":
            parts.pop(0)
    return ".".join(str(p) for p in parts)


@api.exception_handler(KeyReused)
def key_reused(request: HttpRequest, error: KeyReused) -> HttpResponse:
    return problems.problem(request, "idempotency-key-reused", str(error))


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = problems.problem(
        request, "unauthenticated", "Give an API token (Authorization: Bearer ...) or sign in."
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(Forbidden)
def forbidden(request: HttpRequest, error: Forbidden) -> HttpResponse:
    return problems.problem(request, "forbidden", str(error))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    if isinstance(error.__cause__, ValidationError):  # a JSON body the parser refused, field by field
        return validation(request, error.__cause__)
    if error.status_code == 403 and "CSRF" in str(error):
        return problems.problem(request, "csrf-failed", "Send the CSRF token with a write made in a session.")
    kind = {401: "unauthenticated", 403: "forbidden", 404: "not-found", 405: "method-not-allowed"}.get(
        error.status_code, "invalid"
    )
    return problems.problem(request, kind, str(error))


# issue 15, inputsec: a body that cannot be read (a multipart form without its boundary, a
# broken upload, too many fields) is the caller's mistake: 400 saying so, never a 500.
@api.exception_handler(MultiPartParserError)
@api.exception_handler(UnreadablePostError)
@api.exception_handler(BadRequest)
@api.exception_handler(SuspiciousOperation)
def malformed(request: HttpRequest, error: Exception) -> HttpResponse:
    if isinstance(error, RequestDataTooBig):
        return problems.problem(request, "too-large", "The request body is larger than this server takes.")
    return problems.problem(
        request,
        "malformed",
        f"The request body could not be read ({error}). Send JSON, or a multipart form with its boundary.",
    )


@api.exception_handler(Exception)
def server_error(request: HttpRequest, error: Exception) -> HttpResponse:
    """Anything unforeseen: logged in full for the administrators, a plain problem for the caller."""
    logger.exception("API error on %s %s", request.method, request.path)
    return problems.problem(
        request, "server-error", "Something went wrong on our side; nothing was changed. Try again later."
    )


# issue 12, yswd: "You said, we did" entries (a refusal by the personal-data check is answered by
# its endpoint, so that the refusal is kept with an Idempotency-Key's answer)


@api.exception_handler(OwnEntry)
def own_entry(request: HttpRequest, error: OwnEntry) -> HttpResponse:
    return problems.problem(request, "own-entry", error.message)


@api.exception_handler(EntryNotAllowed)
def entry_not_allowed(request: HttpRequest, error: EntryNotAllowed) -> HttpResponse:
    return problems.problem(request, "entry-not-allowed", error.message)


@api.exception_handler(StaleEntry)
def stale_entry(request: HttpRequest, error: StaleEntry) -> HttpResponse:
    return problems.problem(request, "stale-entry", error.message, current_version=error.actual)


@api.exception_handler(EntryForbidden)
def entry_forbidden(request: HttpRequest, error: EntryForbidden) -> HttpResponse:
    return problems.problem(request, "forbidden", error.message)
