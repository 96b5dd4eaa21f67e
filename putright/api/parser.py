"""Reading what a client sends: JSON bodies, query strings and forms, refusing the NUL character.

No text in putright may hold NUL ("\\u0000"): PostgreSQL cannot store it, and
nobody means to send it. It is refused here, before anything is looked up or
stored, as a validation problem naming the field.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.datastructures import MultiValueDict
from ninja.errors import ValidationError
from ninja.parser import Parser

NUL = "\x00"
MESSAGE = "must not contain the NUL character (\\u0000)"


def _with_nul(value: Any, loc: tuple[Any, ...]) -> list[dict[str, Any]]:
    """Where, in a value read from JSON or a form, a string holds NUL."""
    if isinstance(value, str):
        return [{"loc": loc, "msg": MESSAGE, "type": "string_nul"}] if NUL in value else []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += _with_nul(key, (*loc, key)) + _with_nul(item, (*loc, key))
        return found
    if isinstance(value, list):
        return [error for i, item in enumerate(value) for error in _with_nul(item, (*loc, i))]
    name = getattr(value, "name", None)  # an uploaded file
    return _with_nul(name, loc) if isinstance(name, str) else []


def _refuse_nul(value: Any, source: str) -> None:
    errors = _with_nul(value, (source,))
    if errors:
        raise ValidationError(errors)


class StrictParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        _refuse_nul(data, "body")
        return data

    def parse_querydict(
        self, data: MultiValueDict[str, Any], list_fields: list[str], request: HttpRequest
    ) -> dict[str, Any]:
        result = super().parse_querydict(data, list_fields, request)
        source = "query" if data is request.GET else "file" if data is request.FILES else "form"
        _refuse_nul(result, source)
        return result
