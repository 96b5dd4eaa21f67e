"""``putright bench run`` (issue 16, benchrun): end to end, as someone measuring would type it.

A fresh database (SQLite in the data folder, or a new PostgreSQL database when this run's
DATABASE_URL is PostgreSQL) seeded with 50 complaints, served by ``putright serve`` with its
worker, every page loaded for a second over real HTTP: the JSON names every page, none with an
error, each with its latencies and a query count, and the table shows them.
"""

from __future__ import annotations

import json
import os

import pytest

from putright.bench.running import LABELS, PAGES
from tests.operations.conftest import static_root  # noqa: F401 - the fixture, collected once
from tests.operations.servers import putright_env, run_putright, scratch_database

EVERY = {name for page in PAGES for name in page.names} | {"sweep", "sweep-again"}


def test_every_page_is_measured_over_http_without_an_error(tmp_path, static_root):  # noqa: F811
    out = tmp_path / "bench.json"
    with scratch_database("bench") as database_url:
        env = putright_env(tmp_path / "data", database_url, static_root=static_root)
        args = [
            "bench",
            "run",
            "--complaints",
            "50",
            "--seconds",
            "1",
            "--connections",
            "2",
            "--json",
            str(out),
        ]
        result = run_putright(*args, env=env, timeout=600)
    report = json.loads(out.read_text())
    rows = {row["key"]: row for row in report["pages"]}
    assert set(rows) == EVERY, result.stdout
    for key, row in rows.items():
        assert row["errors"] == 0, (key, row["first_error"])
        assert row["requests"] >= 1 and row["p50_ms"] > 0 and row["p99_ms"] >= row["p95_ms"] >= row["p50_ms"]
        assert isinstance(row["queries"], int) and row["queries"] >= 1, row
    assert report["complaints"] == 50 and report["server"]["workers"] == 2
    assert rows["sweep"]["note"], "the sweep says what it sent"
    for key in EVERY:
        assert LABELS[key][:51] in result.stdout
    assert "p95 ms" in result.stdout and "queries" in result.stdout


def test_only_a_known_peer_is_offered(putright):
    result = putright("bench", "run", "--peer", "osticket")
    assert result.returncode != 0
    assert "invalid choice: 'osticket'" in result.stderr and "django-helpdesk" in result.stderr


@pytest.mark.skipif(
    not os.environ.get("PUTRIGHT_BENCH_PEER_DIR"),
    reason="the peer is installed from the package registry: set PUTRIGHT_BENCH_PEER_DIR to a folder "
    "to keep its environment in (installed on first use) to run this",
)
def test_the_side_by_side_with_django_helpdesk_gives_a_ratio_for_each_pair(tmp_path, static_root):  # noqa: F811
    from putright.bench.peer import PAIRS

    out = tmp_path / "bench.json"
    with scratch_database("peer") as database_url:
        env = putright_env(tmp_path / "data", database_url, static_root=static_root)
        args = ["bench", "run", "--complaints", "50", "--seconds", "1", "--connections", "2"]
        result = run_putright(
            *args, "--pages", "home", "--peer", "django-helpdesk", "--json", str(out), env=env
        )
    pairs = {row["key"]: row for row in json.loads(out.read_text())["peer"]["pairs"]}
    assert set(pairs) == {pair.key for pair in PAIRS}
    for key, row in pairs.items():
        assert row["putright"]["errors"] == row["peer"]["errors"] == 0, (key, row)
        assert row["ratio_p50"] > 0 and row["ratio_p95"] > 0
    assert "Side by side with django-helpdesk 2.6.1" in result.stdout


def test_an_unknown_page_is_named(putright):
    result = putright("bench", "run", "--pages", "home", "nowhere")
    assert result.returncode != 0
    assert "no page nowhere" in result.stderr


@pytest.mark.django_db
def test_pages_are_measured_only_once_the_worker_has_sent_what_is_due():
    """The first sweep's thousands of reminders, sent while pages are measured, would be measured
    instead of the pages: the run waits for the worker's backlog, and says so if it never ends."""
    import io

    from django.utils import timezone

    from putright.bench.running import wait_for_quiet_worker
    from putright.comms.models import EmailStatus, OutboundEmail

    email = OutboundEmail.objects.create(
        purpose="reminder",
        from_email="complaints@example.org",
        to=["officer@example.org"],
        subject="Due tomorrow",
        body_text="A deadline is near.",
        message_id="<bench-wait@example.org>",
        next_attempt_at=timezone.now(),
    )
    out = io.StringIO()
    wait_for_quiet_worker(out, timeout=0.3, poll=0.05)
    assert "the worker still had 1 emails and tasks after" in out.getvalue()

    OutboundEmail.objects.filter(pk=email.pk).update(status=EmailStatus.SENT)
    out = io.StringIO()
    wait_for_quiet_worker(out, timeout=5, poll=0.05)
    assert out.getvalue() == ""
