"""A real HTTP server on loopback that plays a mail service's API: it records every request and
answers from a script (the tests' Microsoft Graph, its sign-in, and an email provider)."""

from __future__ import annotations

import json
import threading
from collections import defaultdict
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, value, **headers: str) -> Answer:
        return cls(status, json.dumps(value).encode(), {"Content-Type": "application/json", **headers})


class LoopbackHttp:
    """Answers a path with the next scripted answer for it, else its standing answer."""

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self.standing: dict[str, Answer] = {}
        self.scripted: dict[str, list[Answer]] = defaultdict(list)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, path: str, answer: Answer) -> None:
        self.standing[path] = answer

    def next(self, path: str, *answers: Answer) -> None:
        self.scripted[path].extend(answers)

    def to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    def start(self) -> LoopbackHttp:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _answer(self, request: Request) -> Answer:
        self.requests.append(request)
        if self.scripted[request.path]:
            return self.scripted[request.path].pop(0)
        return self.standing.get(request.path, Answer(404, b'{"error": "no such path"}'))

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                answer = server._answer(
                    Request("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(answer.body)))
                self.end_headers()
                self.wfile.write(answer.body)

            def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
                pass

        return Handler
