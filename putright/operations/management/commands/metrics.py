"""``putright metrics --address host:port``: the Prometheus metrics, served by a process of their own.

For a server run without gunicorn's hook (which starts the same server in
gunicorn's master when PUTRIGHT_METRICS_ADDRESS is set), or to read the
service's figures from another machine on the same database. Runs until
stopped (Ctrl-C, or SIGTERM from systemd).
"""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.operations.metrics import start_metrics_server, stop_metrics_servers


class Command(BaseCommand):
    help = "Serve the Prometheus metrics at host:port (PUTRIGHT_METRICS_ADDRESS by default) until stopped."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--address",
            default=settings.PUTRIGHT_METRICS_ADDRESS or "127.0.0.1:9108",
            help="host:port to listen on; keep it off the public network (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        address = options["address"]
        try:
            start_metrics_server(address)
        except (ValueError, OSError) as error:
            raise CommandError(f"Cannot serve the metrics at {address}: {error}") from None
        stopped = threading.Event()

        def stop(signum: int, frame: FrameType | None) -> None:
            stopped.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        self.stdout.write(f"Metrics at http://{address}/metrics (Ctrl-C to stop)", ending="\n")
        self.stdout.flush()
        stopped.wait()
        stop_metrics_servers()
