"""Going live, end to end (issue 14), as the README's "Going live" section tells a landlord to.

From a clean checkout and an empty database (SQLite in the data folder, or a new PostgreSQL
database when the run's DATABASE_URL is PostgreSQL): migrate, apply the example landlord file,
import the example export from the old system, start the production server (gunicorn) and the
worker in production settings with mail through a real SMTP server on loopback, follow an
invitation from its email, choose a password and sign in, then check a page, the API, a static
file's cache headers, /health, readiness and the metrics. Everything runs as subprocesses of
the ``putright`` command, as an operator would type it.
"""

from __future__ import annotations

import http.cookiejar
import json
import re
import shutil
import time
import urllib.parse
import urllib.request
from urllib.error import HTTPError

import pytest

from tests.conftest import SmtpServer
from tests.operations.servers import (
    CHECKOUT,
    fetch,
    free_port,
    putright_env,
    run_putright,
    running_stack,
    scratch_database,
)

LANDLORD_FILE = CHECKOUT / "deploy" / "landlord.example.toml"
EXPORT = CHECKOUT / "deploy" / "import" / "example-complaints.csv"
MAPPING = CHECKOUT / "deploy" / "import" / "example-mapping.toml"
#: A member of staff the example landlord file invites: a Resolution Officer of Eastward Homes.
OFFICER = ("bmills", "ben.mills@eastward.example")
PASSWORD = "a-long-password-of-her-own-choosing"


class Browser:
    """Someone at a browser: keeps cookies (the production cookies are Secure; the server is on
    plain loopback HTTP here, with TLS left to the proxy in front), follows redirects, and
    posts forms with their CSRF token."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        policy = http.cookiejar.DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))
        self.cookies = http.cookiejar.CookieJar(policy)
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        self.url = ""

    def get(self, path: str) -> str:
        return self._open(urllib.request.Request(self.base_url + path))  # noqa: S310 (loopback)

    def submit(self, page: str, path: str, fields: dict[str, str]) -> str:
        """Post a form from ``page`` to ``path`` with the page's CSRF token."""
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        assert token, "the form has no CSRF token"
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), **fields}).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method="POST")  # noqa: S310
        request.add_header("Referer", self.base_url + path)
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> str:
        try:
            with self.opener.open(request, timeout=60) as answer:
                self.url = answer.geturl()
                return answer.read().decode()
        except HTTPError as error:
            raise AssertionError(
                f"{request.full_url} answered {error.code}: {error.read()[:2000]!r}"
            ) from None


def _path(url: str) -> str:
    return urllib.parse.urlsplit(url).path


def _wait_for_invitation(smtp: SmtpServer, address: str, timeout: float = 120) -> str:
    """The path of the invitation link in the email the worker delivers to ``address``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in smtp.messages:
            if message["To"] == address:
                body = message.get_body(("plain",)).get_content()
                link = re.search(r"(https?://\S+/invitation/\S+/)", body)
                assert link, body
                return _path(link.group(1))
        time.sleep(0.5)
    raise AssertionError(f"no invitation reached {address} within {timeout} s")


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


def test_a_landlord_goes_live_from_its_own_data(tmp_path, static_root, smtp):
    timings: dict[str, float] = {}

    def timed(step: str, *args: str):
        started = time.monotonic()
        result = run_putright(*args, env=env)
        timings[step] = time.monotonic() - started
        return result

    metrics_address = f"127.0.0.1:{free_port()}"
    with scratch_database("golive") as database_url:
        env = putright_env(
            tmp_path / "data",
            database_url,
            production=True,
            static_root=static_root,
            PUTRIGHT_SMTP_PORT=str(smtp.port),
            PUTRIGHT_SMTP_STARTTLS="false",
            PUTRIGHT_METRICS_ADDRESS=metrics_address,
        )
        timed("migrate", "migrate", "--no-input", "-v", "0")
        setup = timed("setup", "setup", str(LANDLORD_FILE))
        assert "Eastward" in setup.stdout
        # The export as the old system wrote it, somewhere of the landlord's own (the rejected rows
        # are written beside it).
        export = shutil.copy(EXPORT, tmp_path / "complaints.csv")
        imported = timed("import", "import", "complaints", str(export), "--mapping", str(MAPPING))
        counted = re.search(r"Imported ([\d,]+) complaints .*; ([\d,]+) rejected\)", imported.stdout)
        assert counted, imported.stdout
        assert (int(counted.group(1)), int(counted.group(2))) == (200, 14)
        assert (tmp_path / "complaints-rejected.csv").exists()

        started = time.monotonic()
        with running_stack(env, collectstatic=False) as stack:
            timings["start the server and the worker"] = time.monotonic() - started
            base = stack.server.url
            # The worker delivers the invitation over SMTP; the officer follows it.
            invitation = _wait_for_invitation(smtp, OFFICER[1])
            timings["invitation delivered"] = time.monotonic() - started
            browser = Browser(base)
            form = browser.get(invitation)
            assert "Choose your password" in form
            browser.submit(form, _path(browser.url), {"new_password1": PASSWORD, "new_password2": PASSWORD})
            sign_in = browser.get("/sign-in/")
            home = browser.submit(sign_in, "/sign-in/", {"username": OFFICER[0], "password": PASSWORD})
            assert _path(browser.url) == "/work/", browser.url
            assert "Ben Mills" in home

            # A page: the officer's list holds Eastward Homes' imported complaints, with the old
            # system's reference on each case.
            listing = browser.get("/work/complaints/?state=closed")
            case = re.search(r'href="(/work/complaints/PR-[^/"]+/)"', listing)
            assert case, listing[:3000]
            assert "Civica CX, their reference" in browser.get(case.group(1))

            # The API, with a token made for the officer.
            made = run_putright("token", "create", OFFICER[0], "going-live check", env=env)
            key = made.stdout.splitlines()[1].strip()
            api = fetch(base + "/api/v1/complaints?limit=5", headers={"Authorization": f"Bearer {key}"})
            assert api.status == 200, api.text
            assert 0 < json.loads(api.text)["count"] < 200  # Eastward Homes' only, not the others'

            # A static file of the page: hashed, compressed, cached for a year by the browser.
            stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
            static = fetch(base + stylesheet, headers={"Accept-Encoding": "gzip"})
            assert static.status == 200
            assert "immutable" in static.headers["cache-control"]
            assert static.headers.get("content-encoding") == "gzip"

            health = fetch(base + "/health")
            assert health.status == 200, health.text
            ready = fetch(base + "/ready")
            assert ready.status == 200, ready.text

            metrics = fetch(f"http://{metrics_address}/metrics")
            assert metrics.status == 200
            assert "putright_" in metrics.text
            # The metrics are not on the public site.
            assert fetch(base + "/metrics").status == 404

        assert stack.server.process.returncode == 0, stack.server.log()
        assert stack.worker.process.returncode == 0, stack.worker.log()
    # The README's "Going live" gives these beside its steps.
    report = CHECKOUT / "artifacts" / f"going-live-{'postgresql' if database_url else 'sqlite'}.json"
    report.parent.mkdir(exist_ok=True)
    report.write_text(json.dumps({step: round(seconds, 1) for step, seconds in timings.items()}, indent=1))
