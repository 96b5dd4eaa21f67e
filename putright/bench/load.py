"""The load tool of ``putright bench run``: a small concurrent HTTP client, and the figures it keeps.

Why not ``wrk`` (or ``ab``, ``hey``, ``locust``)? The pages worth measuring are a member of
staff's, behind a session cookie, and half the writes are forms that carry a CSRF token read
from the page before them, a one-time form token, a fresh customer's own address (the public
form's rate limits count by address) and an Idempotency-Key: wrk would need a Lua script per
page to do that, and a separate way to read the queries each page makes. This client is the
standard library's ``http.client``, so it is pinned with Python itself and runs wherever putright
does: a fixed number of connections (threads), each one keep-alive HTTP/1.1 connection with its
own cookies, like one browser tab, sending its next request as soon as the last one is answered
(a closed loop, as wrk does). Its own cost, about 0.1 ms a request, is small beside the pages'
(several milliseconds each), and it is the same for every page and for the peer.

The same scenario code runs in-process through Django's test client (``InProcessSession``),
once per page, to count the queries of the request measured (``CaptureQueriesContext``).
"""

from __future__ import annotations

import http.client
import re
import statistics
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes = field(repr=False)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    @property
    def location(self) -> str:
        """The path a redirect points to (without scheme and host)."""
        parts = urllib.parse.urlsplit(self.headers.get("location", ""))
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def csrf(self) -> str:
        found = CSRF_FIELD.search(self.text)
        if found is None:
            raise Failed(f"no CSRF token on the page (status {self.status})")
        return found.group(1)


class Failed(Exception):
    """A request that did not answer as a person would expect: counted as an error."""


class Session(Protocol):
    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply: ...


class HttpSession:
    """One keep-alive connection with its own cookies, like one browser tab.

    Cookies are sent back whatever their Secure flag: the server is on loopback HTTP, as behind
    the TLS proxy of a deployment. Redirects are not followed: a scenario checks where they go.
    """

    def __init__(self, host: str, port: int, headers: dict[str, str] | None = None) -> None:
        self.host, self.port = host, port
        self.headers = headers or {}
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(host, port, timeout=120)
        #: Called with the session when it is closed (e.g. to keep a signed-in session for the next page).
        self.on_close: Callable[[HttpSession], None] | None = None

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        sent = {"Host": self.host, **self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=sent)
                answer = self.connection.getresponse()
                data = answer.read()
                break
            except (http.client.HTTPException, OSError):
                # The server closed a kept-alive connection (a worker restarted): open a new one, once.
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                if attempt == 2:
                    raise
        for cookie in answer.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            value = rest.split(";", 1)[0]
            if "max-age=0" in cookie.lower() or not value or value == '""':
                self.cookies.pop(name.strip(), None)
            else:
                self.cookies[name.strip()] = value
        return Reply(answer.status, {k.lower(): v for k, v in answer.headers.items()}, data)

    def close(self) -> None:
        self.connection.close()
        if self.on_close is not None:
            self.on_close(self)


class InProcessSession:
    """The same requests through Django's test client, in this process (to count queries)."""

    def __init__(self, headers: dict[str, str] | None = None) -> None:
        from django.test import Client

        self.client = Client(HTTP_HOST="127.0.0.1")
        self.headers = headers or {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> Reply:
        sent = {**self.headers, **(headers or {})}
        content_type = sent.pop("Content-Type", "application/octet-stream")
        extra: dict[str, Any] = {"headers": sent}
        if method == "GET":
            response = self.client.get(path, **extra)
        else:
            response = self.client.generic(method, path, body or b"", content_type=content_type, **extra)
        content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
        return Reply(response.status_code, {k.lower(): v for k, v in response.items()}, content)

    def close(self) -> None:
        pass


def form(fields: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    """A form body (lists as repeated fields) and its content type."""
    body = urllib.parse.urlencode(fields, doseq=True).encode()
    return body, {"Content-Type": "application/x-www-form-urlencoded"}


def expect(reply: Reply, *statuses: int) -> Reply:
    if reply.status not in statuses:
        raise Failed(f"answered {reply.status}, not {' or '.join(map(str, statuses))}: {reply.text[:300]!r}")
    return reply


#: ``record(name, call)``: make one measured request (``call`` returns its Reply).
Record = Callable[[str, Callable[[], Reply]], Reply]
#: One turn of a scenario: a few requests, some of them measured through ``record``.
Turn = Callable[[Session, Record], None]
#: Opens what a connection needs first (e.g. signs in): returns the session and its turn.
Opener = Callable[[Callable[[], Session]], tuple[Session, Turn]]


@dataclass
class Figures:
    """One measured request kind: its latencies (seconds) and errors over a run."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""
    seconds: float = 0.0
    queries: int | None = None
    note: str = ""

    @property
    def requests(self) -> int:
        return len(self.latencies) + self.errors

    def percentile(self, p: float) -> float | None:
        if not self.latencies:
            return None
        if len(self.latencies) == 1:
            return self.latencies[0] * 1000
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive")
        return cuts[min(int(p) - 1, 98)] * 1000

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "requests": self.requests,
            "errors": self.errors,
            "first_error": self.first_error,
            "requests_per_second": round(self.requests / self.seconds, 2) if self.seconds else None,
            "p50_ms": _round(self.percentile(50)),
            "p95_ms": _round(self.percentile(95)),
            "p99_ms": _round(self.percentile(99)),
            "queries": self.queries,
            "note": self.note,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def run_load(
    opener: Opener, new_session: Callable[[], Session], *, connections: int, seconds: float
) -> dict[str, Figures]:
    """Run ``connections`` connections each turning its scenario for ``seconds``; figures by name."""
    figures: dict[str, Figures] = {}
    lock = threading.Lock()
    opened: list[tuple[Session, Turn] | BaseException] = []

    def open_one() -> None:
        try:
            opened.append(opener(new_session))
        except BaseException as error:
            opened.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ready = [item for item in opened if not isinstance(item, BaseException)]
    failures = [item for item in opened if isinstance(item, BaseException)]
    if failures and not ready:
        raise Failed(f"could not open a connection: {failures[0]}")
    if failures:
        figures["connection"] = Figures("connection", errors=len(failures), first_error=repr(failures[0]))

    started = time.perf_counter()
    deadline = started + seconds

    def turn_until_deadline(session: Session, turn: Turn) -> None:
        def record(name: str, call: Callable[[], Reply]) -> Reply:
            began = time.perf_counter()
            try:
                reply = call()
            except Failed as error:
                with lock:
                    kept = figures.setdefault(name, Figures(name))
                    kept.errors += 1
                    kept.first_error = kept.first_error or str(error)
                raise
            elapsed = time.perf_counter() - began
            with lock:
                figures.setdefault(name, Figures(name)).latencies.append(elapsed)
            return reply

        while time.perf_counter() < deadline:
            try:
                turn(session, record)
            except (Failed, http.client.HTTPException, OSError) as error:
                if not isinstance(error, Failed):
                    with lock:
                        kept = figures.setdefault("connection", Figures("connection"))
                        kept.errors += 1
                        kept.first_error = kept.first_error or repr(error)

    workers = [threading.Thread(target=turn_until_deadline, args=item) for item in ready]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    for session, _turn in ready:
        close = getattr(session, "close", None)
        if close is not None:
            close()
    for kept in figures.values():
        kept.seconds = elapsed
    return figures


def count_queries(opener: Opener, new_session: Callable[[], Session]) -> dict[str, int]:
    """One turn in this process after a first one (caches warm): the queries of each measured request."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    session, turn = opener(new_session)
    counts: dict[str, int] = {}

    def warm(name: str, call: Callable[[], Reply]) -> Reply:
        return call()

    def counted(name: str, call: Callable[[], Reply]) -> Reply:
        with CaptureQueriesContext(connection) as captured:
            reply = call()
        counts[name] = len(captured.captured_queries)
        return reply

    turn(session, warm)
    turn(session, counted)
    return counts
