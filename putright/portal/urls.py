"""The public pages: the complaint form under /complain/, a customer's case under /your-complaint/.

Every page wrapped in ``no_store`` also carries the customer's visit forward
(its cookie re-signed so the idle time starts again, or deleted when it ended).

Every page is wrapped in ``no_store``: a complaint, a confirmation or a case
holds a person's details, which must not stay in a shared computer's cache
or be shown again by the Back button after the visitor has left.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.urls import URLPattern

from putright.portal import access
from putright.portal.views import case, complain, pages, you_said

app_name = "portal"


def no_store(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The view's response, marked never to be stored by a browser or a proxy."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        response["Cache-Control"] = "no-store"
        access.keep_visit(request, response)  # issue 15, portalsec: the visit's idle time starts again
        return response

    return wrapped


def _no_store(patterns: list[URLPattern]) -> list[URLPattern]:
    return [URLPattern(p.pattern, no_store(p.callback), p.default_args, p.name) for p in patterns]


urlpatterns = [*_no_store([*complain.urlpatterns, *case.urlpatterns]), *pages.urlpatterns]

# issue 12, publish: the public "You said, we did" pages (public and cacheable: no personal data).
urlpatterns += you_said.urlpatterns
