"""The public "You said, we did" pages: what complaints taught each landlord, quarter by quarter.

``/you-said-we-did/`` lets a visitor choose the organisation when several have
published; ``/you-said-we-did/<short name>/`` shows its latest published quarter
first (figures, then the entries), with an archive of the earlier quarters, each at
``/you-said-we-did/<short name>/<quarter key>/``.

Only what a manager published is shown (``learning.published``), nothing about a
person and no link into the workspace. The pages are public and the same for every
visitor, so a browser or a proxy may keep them for five minutes; ``Last-Modified``
is the latest publication's time and a conditional GET answers 304 without
rendering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_GET

from putright.accounts.models import Organisation
from putright.learning import published
from putright.learning.figures import Figures
from putright.learning.models import Publication
from putright.learning.quarters import Quarter

MAX_AGE = 300


def _not_modified(request: HttpRequest, last: dt.datetime | None) -> bool:
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return last is not None and since is not None and int(last.timestamp()) <= since


def _cacheable(response: HttpResponse, last: dt.datetime | None) -> HttpResponse:
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    if last is not None:
        response["Last-Modified"] = http_date(last.timestamp())
    return response


def _not_found(request: HttpRequest, what: str) -> HttpResponse:
    response = render(request, "portal/you_said/not_found.html", {"what": what}, status=404)
    response["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """The organisations that have published; with only one, its page."""
    organisations = published.published_organisations()
    if len(organisations) == 1:
        return HttpResponseRedirect(
            reverse("portal:you-said", kwargs={"organisation": organisations[0].short_name})
        )
    last = published.last_published_at()
    if _not_modified(request, last):
        return _cacheable(HttpResponseNotModified(), last)
    return _cacheable(render(request, "portal/you_said/choose.html", {"organisations": organisations}), last)


@require_GET
def organisation_page(request: HttpRequest, organisation: str, quarter: str | None = None) -> HttpResponse:
    """One organisation's quarter (the latest when none is named), then its archive."""
    found = Organisation.objects.filter(short_name__iexact=organisation).first()
    if found is None:
        return _not_found(request, "organisation")
    quarters = published.published_quarters(found)
    if not quarters:
        return _not_found(request, "organisation")
    if quarter is None:
        shown = quarters[0]
    else:
        try:
            wanted = Quarter.parse(quarter)
        except ValueError:
            return _not_found(request, "quarter")
        matching = [q for q in quarters if q.quarter == wanted]
        if not matching:
            return _not_found(request, "quarter")
        shown = matching[0]
    last = max(q.published_at for q in quarters)
    if _not_modified(request, last):
        return _cacheable(HttpResponseNotModified(), last)
    item = Publication.objects.get(pk=shown.publication_id)
    context: dict[str, Any] = {
        "organisation": found,
        "publication": item,
        "quarter": shown.quarter,
        "figures": Figures.from_json(item.figures),
        "entries": item.entries,
        "archive": [q for q in quarters if q.quarter != shown.quarter],
        "is_latest": shown == quarters[0],
        "several": len(published.published_organisations()) > 1,
    }
    return _cacheable(render(request, "portal/you_said/quarter.html", context), last)


urlpatterns = [
    path("you-said-we-did/", choose, name="you-said-choose"),
    path("you-said-we-did/<str:organisation>/", organisation_page, name="you-said"),
    path("you-said-we-did/<str:organisation>/<str:quarter>/", organisation_page, name="you-said-quarter"),
]
