"""Each request counted, timed and logged once, by the view that answered it."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from putright.operations import metrics
from putright.operations.logs import current_request, user_id

log = logging.getLogger("putright.request")


class ObserveRequestsMiddleware:
    """Count and time every request by view, and write one log line for it.

    First in MIDDLEWARE, so that the time includes every other middleware and
    the status is the one the client gets (a 500 from a view, a static file
    from WhiteNoise). A streamed download is timed to its first byte.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        token = current_request.set(request)
        try:
            response = self.get_response(request)
            seconds = time.perf_counter() - started
            view = view_label(request)
            metrics.observe_request(
                view=view, method=request.method or "", status=response.status_code, seconds=seconds
            )
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "status": response.status_code,
                    "duration_ms": round(seconds * 1000, 1),
                    "view": view,
                    "user_id": user_id(request),
                },
            )
            return response
        finally:
            current_request.reset(token)


def view_label(request: HttpRequest) -> str:
    """The view's name (``web:case``), never the path: a path carries a case's reference."""
    match = request.resolver_match
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return "static"
    return "unresolved"
