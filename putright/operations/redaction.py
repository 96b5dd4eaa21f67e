"""Secrets that travel in URL paths, kept out of every log.

A password-reset link and a complainant's link to their complaint carry a token in the path.
The access log (putright.operations.gunicorn_conf) and Django's own log lines ("Not Found:
/your-complaint/link/…/") show the route with the token replaced. Query strings are never
logged at all. Pure Python: gunicorn's master, which never imports Django, uses it too.
"""

from __future__ import annotations

import logging
import re

SECRET_PATHS = [
    re.compile(r"(/password-reset/[^/\s]+/)(?!set-password/)[^/\s]+/"),
    re.compile(r"(/your-complaint/link/)[^/\s]+/"),
    # issue 14: an invitation to choose a first password (putright setup) is a reset link too.
    re.compile(r"(/invitation/[^/\s]+/)(?!set-password/)[^/\s]+/"),
]
REDACTED = "[secret]"


def redact_path(text: str) -> str:
    """The text with each secret path segment replaced by REDACTED."""
    for pattern in SECRET_PATHS:
        text = pattern.sub(lambda match: f"{match.group(1)}{REDACTED}/", text)
    return text


class RedactSecretPaths(logging.Filter):
    """A logging filter (settings.LOGGING) that redacts secret paths in each record's message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact_path(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True
