"""Plain errors Django or django-ninja answer themselves (an unknown address under /api/, a
method an endpoint does not take) become problem details like every other API error."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from putright.api.problems import problem

_KINDS = {404: ("not-found", "Nothing was found at this address."), 405: ("method-not-allowed", "")}


class ApiProblemsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        plain = not response.get("Content-Type", "").startswith(
            ("application/problem+json", "application/json")
        )
        if request.path.startswith("/api/") and response.status_code in _KINDS and plain:
            kind, detail = _KINDS[response.status_code]
            if response.status_code == 405:
                detail = f"{request.method} is not taken here; allowed: {response.get('Allow', 'none')}."
            replaced = problem(request, kind, detail)
            if response.has_header("Allow"):
                replaced["Allow"] = response["Allow"]
            return replaced
        return response
