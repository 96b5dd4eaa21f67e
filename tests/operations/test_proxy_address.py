"""Behind a real nginx (the example site), the sign-in lockout counts the client, not the proxy (issue 15).

nginx writes the address it saw into X-Forwarded-For; putright believes it
because the peer is 127.0.0.1, a trusted proxy with PUTRIGHT_BEHIND_PROXY. The
"stranger" and the "office" connect from different loopback addresses
(127.0.0.5 and 127.0.0.6), as two people behind the one proxy: the stranger's
wrong passwords lock only the stranger's address out of the caseworker's account.
"""

from __future__ import annotations

import http.client
import re
import signal
import ssl
import subprocess
import time
import urllib.parse

from tests.operations.servers import (
    free_port,
    migrated,
    putright_env,
    run_putright,
    scratch_database,
    start_server,
)
from tests.operations.test_deploy_examples import certificate, installed, nginx_config  # noqa: F401

PASSWORD = "correct-horse-battery"
MAKE_OFFICER = (
    "from putright.accounts.models import User, Role; "
    f"User.objects.create_user(username='olivia', password='{PASSWORD}', role=Role.RESOLUTION_OFFICER)"
)


class Visitor:
    """A browser at one loopback address, talking HTTPS to nginx."""

    def __init__(self, address: str, port: int, tls: ssl.SSLContext) -> None:
        self.address, self.port, self.tls = address, port, tls

    def _request(self, method: str, path: str, body: str = "", headers: dict[str, str] | None = None):
        connection = http.client.HTTPSConnection(
            "localhost", self.port, context=self.tls, source_address=(self.address, 0), timeout=30
        )
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.getheader("Set-Cookie") or "", response.read().decode()
        finally:
            connection.close()

    def sign_in(self, password: str) -> int:
        _, cookie, page = self._request("GET", "/sign-in/")
        csrf_cookie = re.search(r"csrftoken=([^;]+)", cookie).group(1)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        origin = f"https://localhost:{self.port}"
        fields = {"username": "olivia", "password": password, "csrfmiddlewaretoken": token}
        body = urllib.parse.urlencode(fields)
        status, _, _ = self._request(
            "POST",
            "/sign-in/",
            body,
            {
                "Cookie": f"csrftoken={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": origin,
                "Referer": f"{origin}/sign-in/",
            },
        )
        return status


def test_behind_nginx_a_stranger_cannot_lock_a_caseworker_out(tmp_path, certificate, static_root):  # noqa: F811
    nginx = installed("nginx", "nginx")
    key, cert = certificate
    https, http_port = free_port(), free_port()
    with scratch_database("proxy") as database_url:
        env = putright_env(
            tmp_path / "data",
            database_url,
            production=True,
            static_root=static_root,
            PUTRIGHT_BEHIND_PROXY="true",
            PUTRIGHT_SIGN_IN_ATTEMPTS="3",
            CSRF_TRUSTED_ORIGINS=f"https://localhost:{https}",
        )
        migrated(env)
        run_putright("shell", "-c", MAKE_OFFICER, env=env)
        server = start_server(env, collectstatic=False, workers=1)
        upstream = server.url.removeprefix("http://")
        config = nginx_config(tmp_path, key=key, cert=cert, upstream=upstream, https=https, http=http_port)
        proxy = subprocess.Popen([nginx, "-c", str(config), "-g", "daemon off;"], stderr=subprocess.PIPE)
        try:
            tls = ssl.create_default_context(cafile=str(cert))
            stranger, office = Visitor("127.0.0.5", https, tls), Visitor("127.0.0.6", https, tls)
            deadline = time.monotonic() + 30
            while True:
                try:
                    first = stranger.sign_in("guess")
                    break
                except OSError:
                    assert proxy.poll() is None, proxy.stderr.read() if proxy.stderr else ""
                    assert time.monotonic() < deadline, "nginx did not answer"
                    time.sleep(0.2)
            assert first == 200
            assert stranger.sign_in("guess") == 200
            assert stranger.sign_in("guess") == 429  # the third wrong password locks...
            assert stranger.sign_in(PASSWORD) == 429  # ...this address out of the account
            assert office.sign_in(PASSWORD) == 302  # the caseworker, behind the same proxy, signs in
        finally:
            proxy.send_signal(signal.SIGQUIT)
            try:
                proxy.wait(30)
            except subprocess.TimeoutExpired:
                proxy.kill()
                proxy.wait(10)
            assert server.stop() == 0
