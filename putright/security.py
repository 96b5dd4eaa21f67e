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
