"""``putright serve``: gunicorn in front of putright as production runs it, started for real.

One production server (PUTRIGHT_ENV=production) for the module, on SQLite in a fresh data
folder or on a fresh PostgreSQL database when the run's DATABASE_URL names one; the tests that
stop or reload a server start their own.
"""

from __future__ import annotations

import gzip
import os
import re
import signal
import subprocess
import time

import brotli
import pytest

from tests.operations.servers import (
    CHECKOUT,
    PUTRIGHT,
    fetch,
    free_port,
    migrated,
    putright_env,
    run_putright,
    scratch_database,
    start_server,
    start_worker,
)


@pytest.fixture(scope="module")
def production(tmp_path_factory, static_root):
    """A migrated database and its production environment."""
    data_dir = tmp_path_factory.mktemp("serve-data")
    with scratch_database("serve") as database_url:
        env = putright_env(data_dir, database_url, production=True, static_root=static_root)
        migrated(env)
        yield env


@pytest.fixture(scope="module")
def server(production):
    server = start_server(production, collectstatic=False)
    yield server
    assert server.stop() == 0, server.log()


def hashed_stylesheet(server) -> str:
    page = fetch(server.url + "/sign-in/")
    match = re.search(r'href="(/static/putright/app\.[0-9a-f]{12}\.css)"', page.text)
    assert match, page.text
    return match.group(1)


def test_a_page_answers_with_the_production_settings(server):
    page = fetch(server.url + "/sign-in/")

    assert page.status == 200
    assert "Sign in" in page.text
    assert page.headers["server"] == "gunicorn"
    # Production's settings: the sign-in form's CSRF cookie goes over HTTPS only.
    assert "Secure" in page.headers["set-cookie"]


def test_a_hashed_static_file_is_cached_for_ever_and_compressed(server):
    url = server.url + hashed_stylesheet(server)

    plain = fetch(url)
    gzipped = fetch(url, headers={"Accept-Encoding": "gzip"})
    brotlied = fetch(url, headers={"Accept-Encoding": "gzip, br"})

    assert plain.status == gzipped.status == brotlied.status == 200
    for answer in (plain, gzipped, brotlied):
        assert answer.headers["cache-control"] == "max-age=315360000, public, immutable"
        assert answer.headers["content-type"].startswith("text/css")
    assert "content-encoding" not in plain.headers
    assert gzipped.headers["content-encoding"] == "gzip"
    assert brotlied.headers["content-encoding"] == "br"
    assert gzip.decompress(gzipped.body) == plain.body == brotli.decompress(brotlied.body)
    assert len(brotlied.body) < len(gzipped.body) < len(plain.body) / 3


def test_a_static_file_by_its_plain_name_is_served_but_not_cached_for_ever(server):
    answer = fetch(server.url + "/static/putright/app.css")

    assert answer.status == 200
    assert "immutable" not in answer.headers["cache-control"]


def test_the_access_log_keeps_no_secret_from_the_address_or_the_headers(server):
    fetch(server.url + "/sign-in/?token=SECRET-IN-QUERY&next=/work/")
    fetch(server.url + "/password-reset/MQ/SECRET-RESET-TOKEN/")
    fetch(server.url + "/your-complaint/link/SECRET-LINK-TOKEN/")
    fetch(
        server.url + "/work/",
        headers={
            "Referer": "https://elsewhere.example/?token=SECRET-IN-REFERRER",
            "Cookie": "sessionid=SECRET-COOKIE",
            "Authorization": "Bearer SECRET-BEARER",
        },
    )
    time.sleep(0.5)  # the access log line is written after the response

    log = server.log()
    assert '"GET /sign-in/ HTTP/1.1" 200' in log
    assert '"GET /password-reset/MQ/[secret]/ HTTP/1.1"' in log
    assert '"GET /your-complaint/link/[secret]/ HTTP/1.1"' in log
    assert '"GET /work/ HTTP/1.1" 302' in log
    assert "SECRET" not in log
    assert "token=" not in log


def test_a_hangup_reloads_the_workers_and_it_keeps_serving(production):
    server = start_server(production, collectstatic=False, workers=1)
    try:
        first = booted_workers(server.log())
        server.signal(signal.SIGHUP)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and booted_workers(server.log()) <= first:
            time.sleep(0.3)

        assert booted_workers(server.log()) > first, server.log()
        assert fetch(server.url + "/sign-in/").status == 200
        assert server.running()
    finally:
        assert server.stop() == 0


def booted_workers(log: str) -> set[str]:
    return set(re.findall(r"Booting worker with pid: (\d+)", log))


def test_terminate_stops_it_within_seconds_with_exit_0(production):
    server = start_server(production, collectstatic=False)
    assert fetch(server.url + "/sign-in/").status == 200

    started = time.monotonic()
    server.signal(signal.SIGTERM)
    status = server.process.wait(30)
    took = time.monotonic() - started

    assert status == 0, server.log()
    assert took < 15, f"took {took:.1f}s"
    assert "Shutting down: Master" in server.log()


def test_the_worker_stops_after_terminate_with_exit_0(production):
    worker = start_worker(production)
    try:
        deadline = time.monotonic() + 120
        while "putright worker starting" not in worker.log() and time.monotonic() < deadline:
            assert worker.running(), worker.log()
            time.sleep(0.3)
        worker.signal(signal.SIGTERM)
        status = worker.process.wait(30)
    finally:
        worker.stop()
    assert status == 0, worker.log()
    assert "putright worker stopped" in worker.log()


def test_serve_collects_the_static_files_itself(tmp_path):
    env = putright_env(tmp_path)
    migrated(env)
    server = start_server(env, workers=1)
    try:
        assert (tmp_path / "static" / "staticfiles.json").exists()
        assert fetch(server.url + hashed_stylesheet(server)).status == 200
    finally:
        assert server.stop() == 0


def test_the_metrics_hook_gets_an_empty_folder_and_serving_goes_on_without_the_module(production, tmp_path):
    env = {
        **production,
        "PUTRIGHT_DATA_DIR": str(tmp_path),
        "PUTRIGHT_METRICS_ADDRESS": f"127.0.0.1:{free_port()}",
    }
    stale = tmp_path / "run" / "metrics" / "counter_12345.db"
    stale.parent.mkdir(parents=True)
    stale.write_text("from the last run")
    if "DATABASE_URL" not in env:
        migrated(env)

    server = start_server(env, collectstatic=False, workers=1)
    try:
        assert fetch(server.url + "/sign-in/").status == 200
        assert not stale.exists()
        assert stale.parent.is_dir()
    finally:
        assert server.stop() == 0


def test_the_worker_count_comes_from_the_machine_or_the_environment(tmp_path):
    def config(**extra):
        return run_putright("serve", "--print-config", env=putright_env(tmp_path, **extra)).stdout

    cores = len(os.sched_getaffinity(0))
    assert f"PUTRIGHT_WEB_WORKERS={min(2 * cores + 1, 8)}\n" in config()
    assert "PUTRIGHT_WEB_WORKERS=3\n" in config(PUTRIGHT_WEB_WORKERS="3")
    assert "PUTRIGHT_ADDRESS=0.0.0.0:8080\n" in config(PUTRIGHT_ADDRESS="0.0.0.0:8080")
    assert "gunicorn --config python:putright.operations.gunicorn_conf putright.wsgi:application" in config()


@pytest.mark.parametrize(
    ("arguments", "extra", "message"),
    [
        (["--workers", "0"], {}, "--workers, --threads and --timeout must each be 1 or more"),
        (["--timeout", "-5"], {}, "--workers, --threads and --timeout must each be 1 or more"),
        ([], {"PUTRIGHT_WEB_WORKERS": "many"}, "PUTRIGHT_WEB_WORKERS must be a whole number, not 'many'"),
        (["--address", "8000"], {}, "--address must be HOST:PORT or unix:PATH"),
    ],
)
def test_bad_options_are_refused_clearly_and_nothing_starts(tmp_path, arguments, extra, message):
    if "--address" not in arguments:
        # A port of its own: were the option taken, the server would start there and time out.
        arguments = [*arguments, "--address", f"127.0.0.1:{free_port()}"]
    result = subprocess.run(
        [*PUTRIGHT, "serve", *arguments],
        env=putright_env(tmp_path, **extra),
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "static" / "staticfiles.json").exists()
