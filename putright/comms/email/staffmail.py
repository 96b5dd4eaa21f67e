"""Emails to staff (reminders, digests), rendered from the templates in ``comms/email/``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string


def render(name: str, context: Mapping[str, Any]) -> tuple[str, str]:
    """The plain text and HTML of ``comms/email/<name>``."""
    return (
        render_to_string(f"comms/email/{name}.txt", dict(context)),
        render_to_string(f"comms/email/{name}.html", dict(context)),
    )
