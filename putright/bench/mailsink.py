"""A mail relay on loopback for ``putright bench run``: accepts every message at once and keeps none.

Production hands its email to a relay that answers in milliseconds; a benchmark without one
either sends nowhere (the worker then fails and retries each message, writing to the database
while the pages are measured) or needs a real server. This is the smallest SMTP server that
says yes (HELO/EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT; no TLS, no authentication), in a
thread of the run's own process, counting what it accepted.
"""

from __future__ import annotations

import socketserver
import threading


class _Conversation(socketserver.StreamRequestHandler):
    server: MailSink
    # Each reply goes out at once: with Nagle's algorithm a reply written just after another
    # waits for the client's delayed acknowledgement of the first (40 ms on Linux), and the
    # worker's deliveries, one connection each, crawled at ten a second.
    disable_nagle_algorithm = True

    def reply(self, *lines: str) -> None:
        self.wfile.write(b"".join(line.encode() + b"\r\n" for line in lines))
        self.wfile.flush()

    def handle(self) -> None:
        self.reply("220 bench relay ready")
        while True:
            line = self.rfile.readline(65536)
            if not line:
                return
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.reply("250-bench relay", "250 8BITMIME")
            elif verb == b"DATA":
                self.reply("354 go ahead")
                while self.rfile.readline(1 << 20) not in (b".\r\n", b".\n", b""):
                    pass
                self.server.count()
                self.reply("250 accepted")
            elif verb == b"QUIT":
                self.reply("221 bye")
                return
            else:  # HELO, MAIL, RCPT, RSET, NOOP and anything else: yes
                self.reply("250 ok")


class MailSink(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Conversation)
        self.accepted = 0
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def count(self) -> None:
        with self._lock:
            self.accepted += 1

    def __enter__(self) -> MailSink:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
