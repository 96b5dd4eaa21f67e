"""Run panva's oidc-provider (tests/oidc/provider.mjs) on loopback for a test, and stop it.

Its npm packages come from tests/oidc/package-lock.json (``npm ci --prefix tests/oidc``, which
scripts/test runs); a test that needs the provider fails, never skips, when they are missing.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLIENT_ID = "putright-tests"
CLIENT_SECRET = "a-client-secret-for-the-tests-only"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class OidcProvider:
    """A real OpenID Connect provider in a node process, with these accounts (subject: claims)."""

    def __init__(self, *, redirect_uri: str, accounts: dict[str, dict[str, object]], workdir: Path) -> None:
        if shutil.which("node") is None:
            raise RuntimeError(
                "node is not installed: scripts/assets installs it (apt-get install nodejs npm)"
            )
        if not (HERE / "node_modules" / "oidc-provider").is_dir():
            raise RuntimeError(
                "oidc-provider is not installed: run npm ci --prefix tests/oidc (scripts/test does)"
            )
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        config = workdir / f"oidc-provider-{self.port}.json"
        config.write_text(
            json.dumps(
                {
                    "port": self.port,
                    "client_id": CLIENT_ID,
                    "client_secret": CLIENT_SECRET,
                    "redirect_uri": redirect_uri,
                    "accounts": accounts,
                }
            )
        )
        self.log = workdir / f"oidc-provider-{self.port}.log"
        self._log = self.log.open("w")
        self.process = subprocess.Popen(
            ["node", str(HERE / "provider.mjs"), str(config)],  # noqa: S607 (node from PATH)
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=HERE,
        )
        self._wait_until_listening()

    def _wait_until_listening(self) -> None:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the OIDC provider stopped: {self.log.read_text()}")
            if "listening" in self.log.read_text():
                return
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the OIDC provider did not start in 30 s: {self.log.read_text()}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()

    def settings(self, settings, groups_file: Path) -> None:
        """Point putright at this provider (pytest-django's ``settings`` fixture)."""
        from putright.accounts.oidc.provider import forget_discovery

        forget_discovery()
        settings.PUTRIGHT_OIDC_ISSUER = self.issuer
        settings.PUTRIGHT_OIDC_CLIENT_ID = CLIENT_ID
        settings.PUTRIGHT_OIDC_CLIENT_SECRET = CLIENT_SECRET
        settings.OIDC_RP_CLIENT_ID = CLIENT_ID
        settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
        settings.PUTRIGHT_OIDC_GROUPS = str(groups_file)
        backend = "putright.accounts.oidc.backend.OidcBackend"
        if backend not in settings.AUTHENTICATION_BACKENDS:
            settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, backend]
