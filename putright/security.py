"""A strict Content Security Policy on every response.

Django 5.2 has no CSP of its own; this adds the header from
``settings.CONTENT_SECURITY_POLICY`` unless a view has set one already.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request larger than ``settings.PUTRIGHT_MAX_REQUEST_BYTES`` before reading it.

    Django counts the form fields of a request against its limit but not its files, which
    it would write to disk whole before a view could refuse them; this stops an oversized
    upload at the door, with 413.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.PUTRIGHT_MAX_REQUEST_BYTES
        if _multipart_without_boundary(request):
            # issue 15, inputsec: refused at the door, whether or not the view would read the form.
            return _bad_request(request, "A multipart/form-data body must say its boundary in Content-Type.")
        if length > limit:
            detail = f"The request is {length} bytes; the most accepted is {limit}."
            if request.path.startswith("/api/"):
                body = json.dumps(
                    {
                        "type": "https://putright.org.uk/problems/too-large",
                        "title": "Too large",
                        "status": 413,
                        "detail": detail,
                        "instance": request.path,
                    }
                )
                return HttpResponse(body, status=413, content_type="application/problem+json")
            return render(
                request,
                "design/too_large.html",
                {"limit": filesizeformat(settings.PUTRIGHT_MAX_UPLOAD_BYTES)},
                status=413,
            )
        return self.get_response(request)


def _multipart_without_boundary(request: HttpRequest) -> bool:
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.lower().startswith("multipart/"):
        return False
    params = [p.strip().lower() for p in content_type.split(";")[1:]]
    return not any(p.startswith("boundary=") and len(p) > len("boundary=") for p in params)


def _bad_request(request: HttpRequest, detail: str) -> HttpResponse:
    """400, as problem details under /api/ and as plain words elsewhere."""
    if request.path.startswith("/api/"):
        body = {
            "type": "https://putright.org.uk/problems/malformed",
            "title": "The request could not be read",
            "status": 400,
            "detail": detail,
            "instance": request.path,
        }
        return HttpResponse(json.dumps(body), status=400, content_type="application/problem+json")
    return HttpResponse(detail, status=400, content_type="text/plain; charset=utf-8")


#: Where every page is about people or cases (issue 15, inputsec): the staff workspace, its
#: exports and downloads, the API, and a member of staff's own account pages.
PRIVATE_PREFIXES = ("/work/", "/api/", "/account/", "/admin/", "/password-reset/", "/invitation/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every staff page, export and API answer (issue 15, inputsec).

    A case page, a CSV or a workbook left in a shared computer's cache, or shown again by the
    Back button after signing out, is personal data outside the record. The portal marks its
    own pages (putright.portal.urls); static files and the public pages keep their caching. A
    view that has said no-store already (Django's ``never_cache``) keeps its own words.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(PRIVATE_PREFIXES) and "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        return response
