"""Prometheus metrics as an operator's Prometheus scrapes them, on an address apart from the site."""

from __future__ import annotations

import datetime as dt
import urllib.request

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from prometheus_client import REGISTRY, values
from prometheus_client.parser import text_string_to_metric_families

from putright.comms.email import delivery, outbox
from putright.comms.reminders import sweep
from putright.operations import metrics
from tests.operations.observe_helpers import free_port, run_putright


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Each sample of a scrape by name and labels."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def collected(collector) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in collector.collect()
        for sample in family.samples
    }


@pytest.fixture
def open_case(log, frontline, officer):
    """A complaint received at a London time and accepted at stage 1: its clocks run from receipt."""
    from putright.cases.services import triage

    def make(received: str):
        complaint = triage.accept(
            log(received), owner=officer, actor=frontline, reasoning="Meets the definition."
        )
        complaint.refresh_from_db()
        return complaint

    return make


@pytest.fixture
def metrics_server():
    """A metrics server on a free loopback port, stopped after the test; call it to scrape."""
    port = free_port()
    metrics.start_metrics_server(f"127.0.0.1:{port}")

    def scrape() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            return samples(response.read().decode())

    yield scrape
    metrics.stop_metrics_servers()


def requests_of(view: str, status: str, method: str = "GET") -> float:
    value = REGISTRY.get_sample_value(
        "putright_http_requests_total", {"view": view, "method": method, "status": status}
    )
    return value or 0.0


@pytest.mark.django_db
def test_requests_are_counted_by_view_name_not_by_path(client, log):
    complaint = log("2026-03-02 10:00")
    before = (
        requests_of("health", "2xx"),
        requests_of("unresolved", "4xx"),
        requests_of("portal:case-start", "2xx"),
    )
    client.get("/health")
    client.get("/health")
    client.get(f"/no-such-page/{complaint.reference}")
    after = (
        requests_of("health", "2xx"),
        requests_of("unresolved", "4xx"),
        requests_of("portal:case-start", "2xx"),
    )
    assert (after[0] - before[0], after[1] - before[1]) == (2, 1)
    observed = REGISTRY.get_sample_value(
        "putright_http_request_duration_seconds_count", {"view": "health", "method": "GET"}
    )
    assert observed and observed >= 2
    # No series is named for a case.
    names = {
        s.labels.get("view")
        for f in REGISTRY.collect()
        for s in f.samples
        if s.name.startswith("putright_http")
    }
    assert not any(complaint.reference in (name or "") for name in names)


@pytest.mark.django_db
def test_the_public_site_has_no_metrics(client):
    assert client.get("/metrics").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_a_scrape_shows_failed_email_and_missed_deadlines_as_they_happen(
    metrics_server, smtp_server, open_case, client
):
    first = metrics_server()
    assert first[("putright_emails_failed", ())] == 0
    assert first[("putright_deadlines_missed", ())] == 0

    outbox.queue(
        EmailMessage("Your complaint", "We have it.", to=["nobody@refused.example"]), purpose="letter"
    )
    outbox.queue(EmailMessage("Your complaint", "We have it.", to=["ada@example.org"]), purpose="letter")
    assert metrics_server()[("putright_emails_waiting", ())] == 2
    delivery.deliver_due()
    open_case("2026-01-05 10:00")  # its deadlines passed long ago
    sweep.sweep()
    client.get("/health")

    second = metrics_server()
    assert second[("putright_emails_failed", ())] == 1
    assert second[("putright_emails_waiting", ())] == 0
    assert second[("putright_deadlines_missed", ())] == 1
    assert 0 <= second[("putright_job_seconds_since_last_run", (("job", "sweep"),))] < 60
    assert ("putright_job_last_finished_timestamp_seconds", (("job", "sweep"),)) in second
    assert second[("putright_tasks", (("status", "ready"),))] >= 0
    # This process's request counts are served beside them (no PROMETHEUS_MULTIPROC_DIR).
    assert (
        second[("putright_http_requests_total", (("method", "GET"), ("status", "2xx"), ("view", "health")))]
        >= 1
    )


@pytest.mark.django_db
def test_a_deadline_counts_as_due_today_on_its_day_and_as_missed_once_it_has_passed(open_case):
    complaint = open_case("2026-03-02 09:00")
    due = complaint.next_due_at
    collector = metrics.ServiceCollector()
    with time_machine.travel(due - dt.timedelta(minutes=1), tick=False):
        on_the_day = collected(collector)
    with time_machine.travel(due + dt.timedelta(minutes=1), tick=False):
        after = collected(collector)
    with time_machine.travel(due - dt.timedelta(days=1), tick=False):
        the_day_before = collected(collector)
    assert (
        on_the_day[("putright_deadlines_due_today", ())],
        on_the_day[("putright_deadlines_missed", ())],
    ) == (1, 0)
    assert (after[("putright_deadlines_due_today", ())], after[("putright_deadlines_missed", ())]) == (0, 1)
    assert the_day_before[("putright_deadlines_due_today", ())] == 0


@pytest.mark.django_db
def test_a_scrape_reads_the_same_few_queries_however_much_there_is(open_case, settings):
    collector = metrics.ServiceCollector()
    with CaptureQueriesContext(connection) as empty:
        collected(collector)
    for day in range(5, 15):
        open_case(f"2026-01-{day:02d} 10:00")
        outbox.queue(EmailMessage("Hello", "Body", to=["ada@example.org"]), purpose="letter")
    settings.PUTRIGHT_POLICY = "code-2024"  # a second policy record, a second calendar
    open_case("2026-02-02 10:00")
    sweep.sweep()
    with CaptureQueriesContext(connection) as full:
        found = collected(collector)
    assert found[("putright_deadlines_missed", ())] == 11
    assert len(full.captured_queries) == len(empty.captured_queries) == 5


@pytest.mark.django_db(transaction=True)
def test_with_a_multiprocess_directory_the_server_adds_up_every_worker(tmp_path, monkeypatch):
    directory = tmp_path / "prometheus"
    directory.mkdir()
    worker = run_putright(
        tmp_path,
        'for _ in range(3):\n    client.get("/ready")\nprint(os.getpid())\n',
        env={"PROMETHEUS_MULTIPROC_DIR": str(directory)},
    )
    pid = int(worker.stdout.split()[-1])
    assert list(directory.glob("counter_*.db"))

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    # The server switches this process's own counting to files, for the workers it would fork.
    monkeypatch.setattr(values, "ValueClass", values.ValueClass)
    port = free_port()
    metrics.start_metrics_server(f"127.0.0.1:{port}")
    assert values.ValueClass is not values.MutexValue
    try:
        metrics.mark_worker_dead(pid)  # what gunicorn's child_exit does: its counts stay
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            scraped = samples(response.read().decode())
    finally:
        metrics.stop_metrics_servers()
    assert (
        scraped[("putright_http_requests_total", (("method", "GET"), ("status", "5xx"), ("view", "ready")))]
        == 3
    )
    assert ("putright_emails_waiting", ()) in scraped
    assert scraped[("putright_service_figures_up", ())] == 1


@pytest.mark.parametrize("address", ["9108", "localhost", "127.0.0.1:http", ":9108", "127.0.0.1:70000"])
def test_a_bad_metrics_address_is_refused_with_the_form_it_takes(address):
    with pytest.raises(ValueError, match=r"host:port, such as 127\.0\.0\.1:9108"):
        metrics.start_metrics_server(address)


def test_putright_metrics_serves_until_stopped_and_says_when_the_figures_cannot_be_read(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"}}
    env["PUTRIGHT_DATA_DIR"] = str(tmp_path)  # an empty database: no tables to read
    server = subprocess.Popen(
        [sys.executable, "-m", "putright", "metrics", "--address", f"127.0.0.1:{port}"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        assert server.stdout.readline().startswith(f"Metrics at http://127.0.0.1:{port}/metrics")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
            scraped = samples(response.read().decode())
        assert scraped[("putright_service_figures_up", ())] == 0
        assert ("putright_emails_waiting", ()) not in scraped
        started = time.monotonic()
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=10) == 0
        assert time.monotonic() - started < 10
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


def test_putright_metrics_refuses_a_bad_address(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"} | {"PUTRIGHT_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "putright", "metrics", "--address", "nowhere"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert "Cannot serve the metrics at nowhere: The metrics address must be host:port" in done.stderr
