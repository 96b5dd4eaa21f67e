"""The examples in deploy/ work as written, where this machine can run them.

The systemd units pass ``systemd-analyze verify`` (which also checks the commands exist); the
env file passes Django's deployment checklist; the nginx site runs in a real nginx with a
self-signed certificate in front of a real ``putright serve``. The container file cannot be
built here (no container engine): it is read and held to what scripts/setup installs.
"""

from __future__ import annotations

import configparser
import re
import shutil
import signal
import ssl
import subprocess
import time
from pathlib import Path

import pytest

from tests.operations.servers import (
    CHECKOUT,
    fetch,
    free_port,
    migrated,
    putright_env,
    run_putright,
    scratch_database,
    start_server,
)

DEPLOY = CHECKOUT / "deploy"
UNITS = ["putright-web.service", "putright-worker.service"]


def installed(command: str, package: str) -> str:
    """The path of a command, installing its Debian package when it is missing: a machine
    that cannot install it fails this test rather than skipping it."""
    if shutil.which(command) is None:
        subprocess.run(["apt-get", "update", "-qq"], check=False, capture_output=True, timeout=600)  # noqa: S607
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", package],  # noqa: S607 (Debian's own, from PATH)
            check=False,
            capture_output=True,
            timeout=900,
        )
    path = shutil.which(command) or shutil.which(command, path="/usr/sbin:/usr/bin:/sbin:/bin")
    assert path, f"{command} is needed and could not be installed (apt-get install {package})"
    return path


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(DEPLOY / "systemd" / name)
    return parser


def env_file() -> dict[str, str]:
    values = {}
    for line in (DEPLOY / "putright.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


@pytest.mark.parametrize("name", UNITS)
def test_the_systemd_units_run_putright_as_its_own_user_and_restart_on_failure(name):
    service = unit(name)["Service"]

    assert service["User"] == "putright"
    assert service["EnvironmentFile"] == "/etc/putright/putright.env"
    assert service["Restart"] == "on-failure"
    assert service["NoNewPrivileges"] == "true"
    assert service["ProtectSystem"] == "strict"
    assert service["ReadWritePaths"] == env_file()["PUTRIGHT_DATA_DIR"]
    command = service["ExecStart"].split()
    assert command[0] == "/opt/putright/.venv/bin/putright"
    assert command[1] == {"putright-web.service": "serve", "putright-worker.service": "worker"}[name]


def test_the_systemd_units_pass_systemd_analyze_verify_with_this_checkout(tmp_path):
    analyze = installed("systemd-analyze", "systemd")
    venv = CHECKOUT / ".venv"
    for name in UNITS:
        text = (DEPLOY / "systemd" / name).read_text().replace("/opt/putright/.venv", str(venv))
        (tmp_path / name).write_text(text)

    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in UNITS)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    # It only warns about a line it cannot read: there must be none.
    assert result.stderr.strip() == "", result.stderr


def test_the_web_unit_reloads_with_a_hangup_and_is_ready_when_gunicorn_says_so():
    service = unit("putright-web.service")["Service"]

    assert service["Type"] == "notify"
    assert service["ExecReload"] == "/bin/kill -HUP $MAINPID"
    # Longer than gunicorn's graceful_timeout (30 s), so requests in flight finish.
    assert int(service["TimeoutStopSec"]) > 30


def test_the_env_file_passes_the_deployment_checklist(tmp_path):
    values = env_file()
    values.update(SECRET_KEY="x" * 20 + "an-example-secret-key-long-enough-for-django-checks" + "y" * 10)
    values["PUTRIGHT_DATA_DIR"] = str(tmp_path)

    result = run_putright(
        "check", "--deploy", "--fail-level", "WARNING", env=putright_env(tmp_path, **values)
    )

    assert "no issues" in result.stdout


def test_the_nginx_body_limit_matches_putrights_own():
    from django.conf import settings

    site = (DEPLOY / "nginx" / "putright.conf").read_text()
    limit = re.search(r"client_max_body_size (\d+)m;", site)

    assert limit
    assert int(limit.group(1)) * 1024 * 1024 == settings.PUTRIGHT_MAX_REQUEST_BYTES
    assert int(env_file()["PUTRIGHT_MAX_UPLOAD_BYTES"]) == settings.PUTRIGHT_MAX_UPLOAD_BYTES


def test_the_container_file_installs_what_scripts_setup_does_and_serves():
    containerfile = (DEPLOY / "Containerfile").read_text()
    setup = (CHECKOUT / "scripts" / "setup").read_text()

    assert re.search(r"^FROM python:3\.11-slim-bookworm$", containerfile, re.MULTILINE)
    assert "-c constraints.txt -e ." in containerfile
    for package in re.search(r'pdf_packages="([^"]+)"', setup).group(1).split():
        assert package in containerfile
    assert "scripts/assets" in containerfile
    for line in re.findall(r"^COPY (.+)$", containerfile, re.MULTILINE):
        *sources, _target = line.split()
        for source in sources:
            assert (CHECKOUT / source).exists(), f"COPY {source}: no such file in the checkout"
    assert 'CMD ["putright", "serve", "--no-collectstatic"]' in containerfile


@pytest.fixture
def certificate(tmp_path):
    """A self-signed certificate for localhost, made with openssl."""
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            installed("openssl", "openssl"),
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return key, cert


def nginx_config(tmp_path: Path, *, key: Path, cert: Path, upstream: str, https: int, http: int) -> Path:
    """The example site as written, with this machine's names, ports and certificate, inside a
    minimal nginx.conf of its own (as Debian's includes sites-enabled)."""
    site = (DEPLOY / "nginx" / "putright.conf").read_text()
    site = re.sub(r"^\s*listen \[::\].*\n", "", site, flags=re.MULTILINE)
    for example, here in [
        ("complaints.example.org", "localhost"),
        ("/etc/letsencrypt/live/localhost/fullchain.pem", str(cert)),
        ("/etc/letsencrypt/live/localhost/privkey.pem", str(key)),
        ("server 127.0.0.1:8000;", f"server {upstream};"),
        ("listen 443 ssl", f"listen 127.0.0.1:{https} ssl"),
        ("listen 80;", f"listen 127.0.0.1:{http};"),
    ]:
        assert example in site, example
        site = site.replace(example, here)
    (tmp_path / "putright.conf").write_text(site)
    config = tmp_path / "nginx.conf"
    config.write_text(
        f"""
user root;
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    access_log off;
    include {tmp_path}/putright.conf;
}}
"""
    )
    return config


def test_nginx_in_front_serves_pages_and_static_files_over_https(tmp_path, certificate, static_root):
    nginx = installed("nginx", "nginx")
    key, cert = certificate
    https, http = free_port(), free_port()
    with scratch_database("nginx") as database_url:
        env = putright_env(
            tmp_path / "data",
            database_url,
            production=True,
            static_root=static_root,
            PUTRIGHT_BEHIND_PROXY="true",
            PUTRIGHT_SSL_REDIRECT="true",
        )
        migrated(env)
        server = start_server(env, collectstatic=False, workers=1)
        config = nginx_config(
            tmp_path, key=key, cert=cert, upstream=server.url.removeprefix("http://"), https=https, http=http
        )
        tested = subprocess.run([nginx, "-t", "-c", str(config)], capture_output=True, text=True, timeout=60)
        assert tested.returncode == 0, tested.stderr
        proxy = subprocess.Popen([nginx, "-c", str(config), "-g", "daemon off;"], stderr=subprocess.PIPE)
        try:
            tls = ssl.create_default_context(cafile=str(cert))
            base = f"https://localhost:{https}"
            deadline = time.monotonic() + 30
            while True:
                try:
                    page = fetch(base + "/sign-in/", context=tls)
                    break
                except OSError:
                    assert proxy.poll() is None, proxy.stderr.read() if proxy.stderr else ""
                    assert time.monotonic() < deadline, "nginx did not answer"
                    time.sleep(0.2)

            assert page.status == 200, page.text
            # putright saw HTTPS through X-Forwarded-Proto: no redirect loop, and HSTS is sent.
            assert "max-age=31536000" in page.headers["strict-transport-security"]
            stylesheet = re.search(r'href="(/static/putright/app\.[0-9a-f]{12}\.css)"', page.text).group(1)
            static = fetch(base + stylesheet, headers={"Accept-Encoding": "br, gzip"}, context=tls)
            assert static.status == 200
            assert static.headers["cache-control"] == "max-age=315360000, public, immutable"
            assert static.headers["content-encoding"] == "br"
            plain = fetch(f"http://localhost:{http}/work/?x=1")
            assert plain.status == 301
            assert plain.headers["location"] == "https://localhost/work/?x=1"
        finally:
            proxy.send_signal(signal.SIGQUIT)
            try:
                proxy.wait(30)
            except subprocess.TimeoutExpired:
                proxy.kill()
                proxy.wait(10)
            assert server.stop() == 0
