"""Start putright as production runs it, from this checkout, and stop it again.

For the operations tests and the going-live end-to-end test (issue 14): the web server
(``putright serve``: gunicorn, static files from WhiteNoise) and the worker (``putright worker``)
as real subprocesses against a given DATABASE_URL (or SQLite in the data folder) and DATA_DIR.

    with scratch_database() as database_url:
        env = putright_env(tmp_path, database_url, production=True)
        run_putright("migrate", "--no-input", env=env)
        with running_stack(env) as stack:
            response = fetch(stack.server.url + "/health")

Everything started here is stopped when the ``with`` block ends, however it ends.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
PUTRIGHT = [sys.executable, "-m", "putright"]
#: Variables of the test run that a deployment never has.
DROPPED = {
    "DATABASE_URL",
    "PUTRIGHT_ENV",
    "SECRET_KEY",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def putright_env(
    data_dir: Path,
    database_url: str | None = None,
    *,
    production: bool = False,
    static_root: Path | None = None,
    **extra: str,
) -> dict[str, str]:
    """The environment of a deployment: this machine's, less the test run's own settings.

    ``production=True`` sets what production insists on, for a service on loopback: a fresh
    SECRET_KEY, localhost as the host, a mail relay on loopback (nothing listens unless the
    test starts one), and no redirect to HTTPS (the cookies stay Secure: sign in through TLS,
    or use development). ``static_root`` shares one collectstatic between servers.
    """
    env = {name: value for name, value in os.environ.items() if name not in DROPPED}
    env["PUTRIGHT_DATA_DIR"] = str(data_dir)
    env["PYTHONUNBUFFERED"] = "1"
    if database_url:
        env["DATABASE_URL"] = database_url
    if static_root is not None:
        env["PUTRIGHT_STATIC_ROOT"] = str(static_root)
    if production:
        env.update(
            PUTRIGHT_ENV="production",
            SECRET_KEY=secrets.token_urlsafe(64),
            ALLOWED_HOSTS="localhost,127.0.0.1",
            PUTRIGHT_SMTP_HOST="127.0.0.1",
            PUTRIGHT_SMTP_PORT=str(free_port()),
            PUTRIGHT_MAIL_FROM="complaints@example.org",
            PUTRIGHT_BASE_URL="https://localhost",
            PUTRIGHT_SSL_REDIRECT="false",
        )
    env.update(extra)
    return env


def run_putright(*args: str, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess[str]:
    """Run a putright command to the end; fail the test with its output if it fails."""
    result = subprocess.run(
        [*PUTRIGHT, *args], env=env, cwd=CHECKOUT, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise AssertionError(f"putright {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
    return result


def migrated(env: dict[str, str]) -> None:
    """Give ``env``'s new, empty database every migration, as ``putright migrate`` would.

    For the tests of what runs on a migrated database, not of migrating: ``migrate`` renders
    113 migrations' model states, 6 to 12 seconds of CPU a time, and CI ran it in a dozen
    tests twice over. So each test process migrates one database once and copies it: on
    SQLite the file (by SQLite's backup), on PostgreSQL by ``CREATE DATABASE ... TEMPLATE``.
    The going-live, backup and probes tests still run ``migrate`` itself.
    """
    database_url = env.get("DATABASE_URL", "")
    if database_url.startswith(("postgres://", "postgresql://")):
        _copy_postgresql(_template(database_url), database_url)
    else:
        import sqlite3

        target = Path(env["PUTRIGHT_DATA_DIR"]) / "putright.sqlite3"
        target.parent.mkdir(parents=True, exist_ok=True)
        with (
            contextlib.closing(sqlite3.connect(_template(None))) as source,
            contextlib.closing(sqlite3.connect(target)) as copy,
        ):
            source.backup(copy)


_TEMPLATES: dict[str, str] = {}


def _template(database_url: str | None) -> str:
    """This process's migrated database for ``database_url``'s server (SQLite when None): made once."""
    key = "sqlite" if database_url is None else "postgresql"
    if key not in _TEMPLATES:
        import atexit
        import shutil
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="putright-migrated-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        if database_url is None:
            run_putright("migrate", "--no-input", "-v", "0", env=putright_env(folder))
            _TEMPLATES[key] = str(folder / "putright.sqlite3")
        else:
            name = f"live_template_{secrets.token_hex(4)}"
            _admin(database_url, f'CREATE DATABASE "{name}"')
            atexit.register(_admin, database_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            template_url = _with_name(database_url, name)
            run_putright("migrate", "--no-input", "-v", "0", env=putright_env(folder, template_url))
            _TEMPLATES[key] = name
    return _TEMPLATES[key]


def _copy_postgresql(template: str, database_url: str) -> None:
    """Make ``database_url``'s (empty, unused) database a copy of the template database."""
    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    _admin(database_url, f'DROP DATABASE "{name}"')
    _admin(database_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')


def _with_name(database_url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(database_url)._replace(path=f"/{name}"))


def _admin(database_url: str, statement: str) -> None:
    """Run a statement on the server's ``postgres`` database, outside a transaction (CREATE DATABASE)."""
    import psycopg

    with psycopg.connect(_with_name(database_url, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


@dataclass
class Process:
    """A long-running putright process, its output going to a file."""

    name: str
    process: subprocess.Popen[bytes]
    log_path: Path
    url: str = ""

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def running(self) -> bool:
        return self.process.poll() is None

    def signal(self, signum: int) -> None:
        self.process.send_signal(signum)

    def stop(self, timeout: float = 40) -> int:
        """TERM, wait up to ``timeout`` seconds, then KILL; the exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        return int(self.process.returncode)


def _start(name: str, args: list[str], env: dict[str, str], log_dir: Path) -> Process:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}-{time.time_ns()}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*PUTRIGHT, *args], env=env, cwd=CHECKOUT, stdout=log, stderr=subprocess.STDOUT
        )
    return Process(name, process, log_path)


def start_server(
    env: dict[str, str],
    *,
    port: int | None = None,
    workers: int = 2,
    threads: int = 2,
    collectstatic: bool = True,
    ready_timeout: float = 180,
) -> Process:
    """``putright serve`` on a loopback port, once it answers (its /health, whatever it says)."""
    address = f"127.0.0.1:{port or free_port()}"
    args = ["serve", "--address", address, "--workers", str(workers), "--threads", str(threads)]
    if not collectstatic:
        args.append("--no-collectstatic")
    server = _start("server", args, env, Path(env["PUTRIGHT_DATA_DIR"]) / "logs")
    server.url = f"http://{address}"
    try:
        wait_until_answering(server, ready_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def start_worker(env: dict[str, str]) -> Process:
    """``putright worker``, checking for due jobs every second."""
    return _start("worker", ["worker", "--interval", "1"], env, Path(env["PUTRIGHT_DATA_DIR"]) / "logs")


def wait_until_answering(server: Process, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not server.running():
            raise AssertionError(f"{server.name} exited ({server.process.returncode}):\n{server.log()}")
        try:
            fetch(server.url + "/health", timeout=5)
            return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{server.name} did not answer within {timeout}s:\n{server.log()}")


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def fetch(url: str, *, headers: dict[str, str] | None = None, timeout: float = 30, context=None) -> Response:
    """GET a URL: its status, headers (names in lower case) and body, whatever the status.
    Redirects are not followed, so a test sees them."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    handlers: list = [NoRedirect()]
    if context is not None:
        handlers.append(urllib.request.HTTPSHandler(context=context))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 (our own http(s) URL)
    try:
        with opener.open(request, timeout=timeout) as answer:
            return Response(answer.status, {k.lower(): v for k, v in answer.headers.items()}, answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, {k.lower(): v for k, v in error.headers.items()}, error.read())


@dataclass
class Stack:
    env: dict[str, str]
    server: Process
    worker: Process


@contextlib.contextmanager
def running_stack(env: dict[str, str], **server_options) -> Iterator[Stack]:
    """The web server and the worker, both stopped at the end (the database must be migrated)."""
    worker = start_worker(env)
    try:
        server = start_server(env, **server_options)
        try:
            yield Stack(env, server, worker)
        finally:
            server.stop()
    finally:
        worker.stop()


@contextlib.contextmanager
def scratch_database(name_hint: str = "serve") -> Iterator[str | None]:
    """A new empty database for processes started here, dropped at the end: on the server of
    this run's DATABASE_URL when it is PostgreSQL, else None (SQLite in the data folder)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith(("postgres://", "postgresql://")):
        yield None
        return
    name = f"live_{name_hint}_{secrets.token_hex(4)}"
    _admin(base, f'CREATE DATABASE "{name}"')
    try:
        yield _with_name(base, name)
    finally:
        _admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
