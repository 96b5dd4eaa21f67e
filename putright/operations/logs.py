"""Log lines as JSON objects, with the request each belongs to (``PUTRIGHT_LOG_FORMAT=json``).

A log collector (journald, Loki, CloudWatch) can then search by level, logger,
path or user without parsing prose. The request fields come from the request
being served on this thread, read at the moment of logging, so a warning
written deep in a service carries them too. Only what identifies the request
is written: its method, its path without the query string (which may carry a
token), the status, the time taken and the user's id; never headers, cookies
or anything a form sent.
"""

from __future__ import annotations

import contextvars
import logging
from typing import TYPE_CHECKING, Any

from django.utils.functional import empty
from pythonjsonlogger.json import JsonFormatter as _LibraryJsonFormatter

from putright.operations.redaction import redact_path

if TYPE_CHECKING:
    from django.http import HttpRequest

#: The request this thread is serving (set by ``ObserveRequestsMiddleware``).
current_request: contextvars.ContextVar[HttpRequest | None] = contextvars.ContextVar(
    "putright_current_request", default=None
)

#: Extras never written: Django's ``request`` object (its repr holds the query string)
#: and its duplicates of fields written under their own names.
_NOT_WRITTEN = ("request", "status_code", "server_time", "taskName")

#: A key that contains one of these is dropped, whoever passed it as an extra.
_SECRET_WORDS = ("password", "token", "secret", "cookie", "authorization", "session", "csrf")


def user_id(request: HttpRequest) -> int | None:
    """The signed-in user's id when the request has already loaded them (never a query of its own)."""
    user = request.__dict__.get("user")
    if user is None:
        return None
    wrapped = getattr(user, "_wrapped", user)
    # An unevaluated lazy user: looking would read the session for the log's sake.
    if wrapped is None or wrapped is empty:
        return None
    return wrapped.pk if getattr(wrapped, "is_authenticated", False) else None


class RequestContextFilter(logging.Filter):
    """Add the current request's method, path and user id to every record logged while it is served."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and not hasattr(record, "status"):
            record.status = status
        # Django logs a 4xx or 5xx after the middleware has finished, passing the request itself.
        request = _request_of(record) or current_request.get()
        if request is not None:
            for name, value in (("method", request.method), ("path", redact_path(request.path))):
                if not hasattr(record, name):
                    setattr(record, name, value)
            if not hasattr(record, "user_id"):
                record.user_id = user_id(request)
        return True


def _request_of(record: logging.LogRecord) -> HttpRequest | None:
    request = getattr(record, "request", None)
    return request if hasattr(request, "path") and hasattr(request, "method") else None


class JsonFormatter(_LibraryJsonFormatter):
    """python-json-logger's formatter with putright's field names and nothing secret."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("fmt", "%(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        kwargs.setdefault("timestamp", "time")
        kwargs.setdefault("reserved_attrs", [*_reserved(), *_NOT_WRITTEN])
        super().__init__(*args, **kwargs)

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        return {key: value for key, value in log_data.items() if not _is_secret(key)}


def _reserved() -> list[str]:
    from pythonjsonlogger.core import RESERVED_ATTRS

    return list(RESERVED_ATTRS)


def _is_secret(key: str) -> bool:
    lowered = key.lower()
    return any(word in lowered for word in _SECRET_WORDS)


#: gunicorn's own loggers, through the same JSON handler (left to gunicorn in text).
_GUNICORN = {"handlers": ["console"], "level": "INFO", "propagate": False}


#: The servers' access loggers in JSON: their errors only.
_QUIET = {"handlers": ["console"], "level": "WARNING", "propagate": False}


def logging_config(*, json: bool, level: str) -> dict[str, Any]:
    """The ``LOGGING`` dictConfig: one console handler, JSON or plain text.

    Also usable as gunicorn's ``logconfig_dict``, so that the server's own error
    lines come out in the same format from its master too (its loggers are named
    here; in a worker, Django applies this when it loads).
    """
    formatter = {"()": "putright.operations.logs.JsonFormatter"} if json else {"format": "%(message)s"}
    handler = {
        "class": "logging.StreamHandler",
        "formatter": "default",
        # issue 14, serve: no token from a URL path in any line ("Not Found: /password-reset/…").
        "filters": ["request", "redact_secret_paths"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request": {"()": "putright.operations.logs.RequestContextFilter"},
            "redact_secret_paths": {"()": "putright.operations.redaction.RedactSecretPaths"},
        },
        "formatters": {"default": formatter},
        "handlers": {"console": handler},
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # django-axes logs every sign-in at INFO; failures and lockouts are warnings.
            # WeasyPrint and its font subsetter narrate every step of every letter at INFO.
            **{name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
            # One line per request, for JSON logs; in text the server's own access log says it.
            "putright.request": {"level": "INFO" if json else "WARNING"},
            **({"gunicorn.error": _GUNICORN} if json else {}),
            # The servers' own access lines repeat putright.request's, with the query string: in
            # JSON, only their errors are written.
            **(dict.fromkeys(("gunicorn.access", "django.server"), _QUIET) if json else {}),
        },
    }
