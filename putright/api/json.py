"""JSON as the API writes it: ISO 8601 instants with their offset, dates as YYYY-MM-DD."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder


def dumps(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder)
