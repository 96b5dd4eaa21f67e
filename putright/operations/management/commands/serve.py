"""``putright serve``: serve putright as production does, with gunicorn and WhiteNoise.

It collects the static files (hashed names, gzip and Brotli copies, which the web processes
then serve themselves with year-long cache headers: no front proxy is needed), then replaces
itself with gunicorn's master (same process id, so systemd's ``Type=notify``, HUP and TERM
reach gunicorn). gunicorn's settings are in ``putright.operations.gunicorn_conf``, which says
why gunicorn; the options here only fill the environment it reads.

``runserver`` stays a developer's tool: one process, no static file hashing, reloads on save.
"""

from __future__ import annotations

import os
import shutil
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

#: gunicorn's configuration (imported only once the environment it reads has been checked).
GUNICORN_CONF = "putright.operations.gunicorn_conf"
WSGI_APP = "putright.wsgi:application"
MAX_WORKERS = 8


class Command(BaseCommand):
    help = "Serve putright with gunicorn (the production server), static files included."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--address",
            default=os.environ.get("PUTRIGHT_ADDRESS", "").strip() or "127.0.0.1:8000",
            help="HOST:PORT (or unix:PATH) to listen on (default PUTRIGHT_ADDRESS or 127.0.0.1:8000).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            help=f"Worker processes (default PUTRIGHT_WEB_WORKERS or 2 × cores + 1, at most {MAX_WORKERS}).",
        )
        parser.add_argument(
            "--threads",
            type=int,
            help="Threads in each worker (default PUTRIGHT_WEB_THREADS or 4).",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            help="Seconds before a stuck request's worker is replaced (default PUTRIGHT_WEB_TIMEOUT or 60).",
        )
        parser.add_argument(
            "--no-collectstatic",
            action="store_true",
            help="Do not collect the static files first (they were collected for this version already).",
        )
        parser.add_argument(
            "--print-config",
            action="store_true",
            help="Print what would be run and exit.",
        )

    def handle(
        self,
        *args: Any,
        address: str,
        workers: int | None,
        threads: int | None,
        timeout: int | None,
        no_collectstatic: bool,
        print_config: bool,
        **options: Any,
    ) -> None:
        if workers is None:
            workers = _env_int("PUTRIGHT_WEB_WORKERS", default_workers())
        if threads is None:
            threads = _env_int("PUTRIGHT_WEB_THREADS", 4)
        if timeout is None:
            timeout = _env_int("PUTRIGHT_WEB_TIMEOUT", 60)
        if workers < 1 or threads < 1 or timeout < 1:
            raise CommandError("--workers, --threads and --timeout must each be 1 or more")
        if not address.startswith("unix:") and ":" not in address:
            raise CommandError(f"--address must be HOST:PORT or unix:PATH, not {address!r}")
        environment = {
            "PUTRIGHT_ADDRESS": address,
            "PUTRIGHT_WEB_WORKERS": str(workers),
            "PUTRIGHT_WEB_THREADS": str(threads),
            "PUTRIGHT_WEB_TIMEOUT": str(timeout),
        }
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "--config",
            f"python:{GUNICORN_CONF}",
            WSGI_APP,
        ]
        if print_config:
            for name, value in environment.items():
                self.stdout.write(f"{name}={value}")
            self.stdout.write(" ".join(command))
            return
        if not no_collectstatic:
            self.collect_static()
        os.environ.update(environment)
        metrics_address = os.environ.get("PUTRIGHT_METRICS_ADDRESS", "").strip()
        if metrics_address:
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(fresh_metrics_dir(settings.DATA_DIR))
        self.stdout.write(
            f"putright serving at {address} ({settings.ENVIRONMENT}): "
            f"{workers} workers × {threads} threads, static files from {settings.STATIC_ROOT}"
        )
        self.stdout.flush()
        connections.close_all()
        os.execv(sys.executable, command)  # noqa: S606 (our own interpreter, fixed arguments)

    def collect_static(self) -> None:
        """Collect, hash and compress the static files: quick when nothing has changed."""
        call_command("collectstatic", interactive=False, verbosity=0)


def default_workers() -> int:
    """2 × the cores this process may use + 1 (gunicorn's advice), at most MAX_WORKERS: each
    worker holds its own copy of Django (about 100 MB)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(2 * cores + 1, MAX_WORKERS)


def fresh_metrics_dir(data_dir: Path) -> Path:
    """An empty DATA_DIR/run/metrics for the workers' metric files, before any worker forks:
    files left by a previous run would add its counts to this one's."""
    directory = data_dir / "run" / "metrics"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    return directory


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {value!r}") from None
