"""gunicorn's configuration for ``putright serve`` (``gunicorn -c python:putright.operations.gunicorn_conf``).

Why gunicorn: it is the mature, plain-Python WSGI server (nothing to compile on the landlord's
machine), pre-fork (a worker that crashes or leaks is replaced by the master, and the workers
are recycled after ``max_requests``), with the signals systemd speaks: HUP reloads the code
gracefully (new workers start, old ones finish their requests), TERM shuts down gracefully
(requests in flight finish within ``graceful_timeout``), and it tells systemd when it is ready
(``Type=notify``).

This module runs in the master, which never imports Django: each worker loads
``putright.wsgi:application`` afresh, so a HUP after an upgrade serves the new code. Everything
comes from the environment, which ``putright serve`` fills from its options (PUTRIGHT_ADDRESS,
PUTRIGHT_WEB_WORKERS, PUTRIGHT_WEB_THREADS, PUTRIGHT_WEB_TIMEOUT, PUTRIGHT_FORWARDED_ALLOW_IPS,
PUTRIGHT_METRICS_ADDRESS).
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from pathlib import Path
from typing import Any

from gunicorn.glogging import Logger

from putright.operations.redaction import redact_path

#: The metrics module the observe track provides; the hooks below do nothing without it.
METRICS_MODULE = "putright.operations.metrics"


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, "").strip() or default)


# Query strings, cookies, the Authorization header and the referrer (which may carry another
# page's query string) are never logged; secret path segments are replaced (redaction).
class AccessLogger(Logger):  # type: ignore[misc]  # gunicorn has no type information
    """gunicorn's logger with the request path's secret segments replaced (redaction.SECRET_PATHS)."""

    def atoms(self, resp: Any, req: Any, environ: dict[str, Any], request_time: Any) -> dict[str, Any]:
        atoms: dict[str, Any] = super().atoms(resp, req, environ, request_time)
        atoms["U"] = redact_path(atoms.get("U") or "")
        # Nothing else in the record may carry the query string or the referrer.
        for key in ("r", "q", "f"):
            atoms[key] = "-"
        return atoms


bind = [os.environ.get("PUTRIGHT_ADDRESS", "").strip() or "127.0.0.1:8000"]
wsgi_app = "putright.wsgi:application"
# Threads in each worker: a slow client (no proxy in front) holds one thread, not a whole
# process, and keep-alive works (the sync worker ignores it).
worker_class = "gthread"
# `putright serve` always sets the next three (default_workers there: 2 × cores + 1, at most 8).
workers = _int("PUTRIGHT_WEB_WORKERS", 3)
threads = _int("PUTRIGHT_WEB_THREADS", 4)
# A request that takes longer than this is stuck: its worker is killed and replaced. Long
# enough for the largest export or annual report PDF.
timeout = _int("PUTRIGHT_WEB_TIMEOUT", 60)
# TERM and HUP give requests in flight this long to finish.
graceful_timeout = 30
keepalive = 5
# Recycle each worker after about a thousand requests (the jitter keeps them from all
# restarting at once), so a slow leak never grows.
max_requests = 1000
max_requests_jitter = 100
# X-Forwarded-Proto is believed only from these addresses (a proxy on this machine).
forwarded_allow_ips = os.environ.get("PUTRIGHT_FORWARDED_ALLOW_IPS", "").strip() or "127.0.0.1,::1"
# Logs to the standard streams: systemd's journal or the container's log collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("PUTRIGHT_LOG_LEVEL", "info").strip().lower() or "info"
logger_class = AccessLogger
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'
# Heartbeat files in memory, not on a disk that may stall.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # nosec B108 # noqa: S108
proc_name = "putright"
# gunicorn's run-time control socket is a second way in, in the operator's home: not wanted.
control_socket_disable = True


def _metrics() -> Any | None:
    """The observe track's metrics module when it is installed, else None."""
    if not os.environ.get("PUTRIGHT_METRICS_ADDRESS", "").strip():
        return None
    if importlib.util.find_spec(METRICS_MODULE) is None:
        return None
    return importlib.import_module(METRICS_MODULE)


def when_ready(server: Any) -> None:
    """Start the metrics server in the master once it listens (PUTRIGHT_METRICS_ADDRESS)."""
    metrics = _metrics()
    if metrics is not None:
        metrics.start_metrics_server(os.environ["PUTRIGHT_METRICS_ADDRESS"].strip())


def child_exit(server: Any, worker: Any) -> None:
    """Let the metrics forget a worker that has gone (multi-process counters)."""
    metrics = _metrics()
    if metrics is not None:
        metrics.mark_worker_dead(worker.pid)
