"""Prometheus metrics: requests and their latency by view, and what the complaints service owes.

Served on an address of their own (``PUTRIGHT_METRICS_ADDRESS``, e.g.
``127.0.0.1:9108``), never on the public site: the numbers say how much mail
is failing and how many deadlines are missed, which is the landlord's business.

Two kinds of figure:

- request counts and latencies, counted by every web worker as it answers
  (``observe_request``, called by ``ObserveRequestsMiddleware``). Under
  gunicorn each worker is a process of its own: with
  ``PROMETHEUS_MULTIPROC_DIR`` set before the workers start, each writes its
  counts to files there and the metrics server adds them up.
- the state of the service (email waiting and failed, the background jobs'
  last runs, tasks queued, deadlines due today and missed), read from the
  database when Prometheus scrapes (``ServiceCollector``), in a fixed number of
  queries whatever the caseload, so a scrape costs the same on a big landlord.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections.abc import Iterator
from wsgiref.simple_server import WSGIServer

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_client.registry import Collector

#: Requests answered, by view name (never the raw path: ids would make a series per case).
REQUESTS = Counter(
    "putright_http_requests",
    "Requests answered, by view, method and status class (2xx, 3xx, 4xx, 5xx).",
    ["view", "method", "status"],
)
#: How long the answer took, by view and method.
LATENCY = Histogram(
    "putright_http_request_duration_seconds",
    "Time from the request reaching putright to its response, by view and method.",
    ["view", "method"],
)

#: Methods counted under their own name; anything else is "other", so a scanner cannot add series.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

#: The servers started in this process (for ``stop_metrics_servers``).
_servers: list[tuple[WSGIServer, threading.Thread]] = []


def observe_request(*, view: str, method: str, status: int, seconds: float) -> None:
    """Count one answered request and its latency."""
    method = method if method in _METHODS else "other"
    REQUESTS.labels(view=view, method=method, status=f"{status // 100}xx").inc()
    LATENCY.labels(view=view, method=method).observe(seconds)


def start_metrics_server(address: str) -> None:
    """Serve the metrics at ``http://host:port/metrics`` (any path answers) from a thread.

    Called once in gunicorn's master (``when_ready``), or by ``putright metrics``.
    With ``PROMETHEUS_MULTIPROC_DIR`` set the request figures are the sum of
    every worker's files there; otherwise this process's own. A bad address is
    refused with the form it should take.
    """
    host, port = parse_address(address)
    _ensure_django()
    registry = CollectorRegistry()
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        # Workers forked from here on count into files there, even when prometheus_client was
        # imported in this process before the variable was set (it picks its value class then).
        values.ValueClass = values.get_value_class()  # type: ignore[no-untyped-call]
        MultiProcessCollector(registry, path=directory)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Forwarded(REGISTRY))
    registry.register(ServiceCollector(close_connections=True))
    _servers.append(start_http_server(port, addr=host, registry=registry))


def stop_metrics_servers() -> None:
    """Stop every metrics server this process started (tests, and a clean shutdown)."""
    while _servers:
        server, thread = _servers.pop()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def mark_worker_dead(pid: int) -> None:
    """Forget a gunicorn worker that has exited: its live gauges go, its counts stay in the sums."""
    mark_process_dead(pid)  # type: ignore[no-untyped-call]


def parse_address(address: str) -> tuple[str, int]:
    """``host:port`` (or ``[ipv6]:port``) as a host and a port number, or a ValueError that says why."""
    host, sep, port = address.strip().rpartition(":")
    host = host.strip("[]")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"The metrics address must be host:port, such as 127.0.0.1:9108, not {address!r}")
    return host, int(port)


def _ensure_django() -> None:
    """Set Django up when called before it is (gunicorn's master has not loaded the app)."""
    from django.apps import apps

    if not apps.ready:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
        django.setup()


class _Forwarded(Collector):
    """Another registry's metrics (this process's default one), served beside the service's."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()


class ServiceCollector(Collector):
    """What a landlord's operator alerts on, read from the database at each scrape.

    Five queries whatever the data: email by status, the jobs' last runs, the
    task queue, and the policy calendars plus one count for the deadlines. The
    metrics server closes the connection afterwards: each scrape runs on a
    thread of its own, which would otherwise leave one open per scrape.
    """

    def __init__(self, *, close_connections: bool = False) -> None:
        self.close_connections = close_connections

    def collect(self) -> Iterator[Metric]:
        now = timezone.now()
        try:
            families = [*_emails(), *_jobs(now), *_tasks(), *_deadlines(now)]
            readable = 1
        except DatabaseError:
            # The request figures still go out; this gauge says the service's could not be read.
            families, readable = [], 0
        finally:
            if self.close_connections:
                connections.close_all()
        yield GaugeMetricFamily(
            "putright_service_figures_up",
            "1 when the service's figures below could be read from the database, else 0.",
            value=readable,
        )
        yield from families


def _emails() -> Iterator[Metric]:
    from putright.comms.models import EmailStatus, OutboundEmail

    waiting = Q(status__in=[EmailStatus.PENDING, EmailStatus.SENDING])
    row = OutboundEmail.objects.aggregate(
        waiting=Count("pk", filter=waiting),
        failed=Count("pk", filter=Q(status=EmailStatus.FAILED)),
        oldest=Min("created_at", filter=waiting),
    )
    yield GaugeMetricFamily(
        "putright_emails_waiting", "Emails in the outbox not yet delivered.", value=row["waiting"]
    )
    yield GaugeMetricFamily(
        "putright_emails_failed",
        "Emails the worker gave up on (shown on their case to send again).",
        value=row["failed"],
    )
    oldest = row["oldest"]
    yield GaugeMetricFamily(
        "putright_email_oldest_waiting_timestamp_seconds",
        "When the oldest email still waiting was queued (0 when none is).",
        value=oldest.timestamp() if oldest else 0,
    )


def _jobs(now: dt.datetime) -> Iterator[Metric]:
    from putright.comms.models import Job

    finished = GaugeMetricFamily(
        "putright_job_last_finished_timestamp_seconds",
        "When each background job (sweep, deliver-due, digest, ...) last finished a run.",
        labels=["job"],
    )
    age = GaugeMetricFamily(
        "putright_job_seconds_since_last_run",
        "Seconds since each background job last finished a run: growing means the worker is down.",
        labels=["job"],
    )
    runs = Job.objects.exclude(last_finished_at=None).values_list("name", "last_finished_at")
    for name, last in runs:
        if last is None:  # excluded above; for the type checker
            continue
        finished.add_metric([name], last.timestamp())
        age.add_metric([name], max(0.0, (now - last).total_seconds()))
    yield finished
    yield age


def _tasks() -> Iterator[Metric]:
    """Tasks waiting and running on the database queue (nothing to read on Redis: RQ has its own)."""
    if "django_tasks_db" not in settings.TASKS["default"]["BACKEND"]:
        return
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    counts = dict(
        DBTaskResult.objects.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    tasks = GaugeMetricFamily(
        "putright_tasks",
        "Background tasks on the database queue, waiting (ready) and running.",
        labels=["status"],
    )
    for status in (TaskResultStatus.READY, TaskResultStatus.RUNNING):
        tasks.add_metric([status.value.lower()], counts.get(status.value, 0))
    yield tasks


def _deadlines(now: dt.datetime) -> Iterator[Metric]:
    from putright.cases.selectors.workload import deadline_counts, horizon

    counts = deadline_counts(horizon(now))
    yield GaugeMetricFamily(
        "putright_deadlines_due_today",
        "Open complaints whose next deadline falls today.",
        value=counts.due_today,
    )
    yield GaugeMetricFamily(
        "putright_deadlines_missed",
        "Open complaints whose next deadline has passed (overdue).",
        value=counts.missed,
    )
