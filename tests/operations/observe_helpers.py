"""Running putright in a subprocess of its own, with the environment a test gives it (issue 14, observe:
not a conftest, so that the other tracks' tests/operations/conftest.py merges without a clash)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

#: The top of a script run with ``python -c``: Django set up from the environment, and a client.
PRELUDE = """
import json, logging, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
import django
django.setup()
from django.test import Client
client = Client()
def probe(path, **headers):
    response = client.get(path, **headers)
    print(json.dumps({"path": path, "status": response.status_code, "body": response.json()}))
"""


def free_port() -> int:
    """A loopback port nothing listens on (the OS's choice, closed again)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_putright(
    tmp_path: Path, script: str, *, env: dict[str, str] | None = None, timeout: int = 120
) -> subprocess.CompletedProcess[str]:
    """Run ``PRELUDE + script`` in a fresh Python with a data directory of its own under ``tmp_path``.

    Returns the finished process; ``.probes`` holds each ``probe(...)`` it printed.
    DATABASE_URL is dropped unless given, so the database is a new SQLite file.
    """
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR"}}
    base |= {"PUTRIGHT_DATA_DIR": str(tmp_path / "data"), "DJANGO_SETTINGS_MODULE": "putright.settings"}
    done = subprocess.run(
        [sys.executable, "-c", PRELUDE + script],
        env=base | (env or {}),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    done.probes = [json.loads(line) for line in done.stdout.splitlines() if line.startswith('{"path"')]  # type: ignore[attr-defined]
    return done
