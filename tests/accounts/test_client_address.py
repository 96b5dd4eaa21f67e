"""One way to find the client's address, for the sign-in lockout and the public rate limits (issue 15).

Behind a proxy REMOTE_ADDR is the proxy's. Before this, the lockout's proxy
setting was read only by an optional package that is not installed, so every
guess counted against the proxy's address and a stranger could lock a
caseworker out. X-Forwarded-For is believed only from PUTRIGHT_TRUSTED_PROXIES.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from putright.accounts.addresses import client_address
from putright.portal import limits

PASSWORD = "correct-horse-battery"
PROXY = "127.0.0.1"


def _address(remote: str, forwarded: str | None = None) -> str:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **extra))


def test_from_a_trusted_proxy_the_client_is_the_address_it_forwarded(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = ["127.0.0.1/32", "10.0.0.0/8"]
    assert _address(PROXY, "203.0.113.9") == "203.0.113.9"
    # What the visitor wrote on the left is not believed: the right-most untrusted address is.
    assert _address(PROXY, "198.51.100.1, 203.0.113.9") == "203.0.113.9"
    # Two proxies of ours: skip both.
    assert _address(PROXY, "198.51.100.1, 203.0.113.9, 10.1.2.3") == "203.0.113.9"
    assert _address(PROXY) == PROXY  # no header: the proxy is all we know


def test_a_forwarded_header_from_an_untrusted_peer_is_ignored(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert _address("203.0.113.9", "192.0.2.1") == "203.0.113.9"
    settings.PUTRIGHT_TRUSTED_PROXIES = []  # the default: no proxy trusted
    assert _address(PROXY, "192.0.2.1") == PROXY


def test_garbage_in_the_header_stops_the_walk_at_the_last_good_address(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = ["127.0.0.1/32"]
    assert _address(PROXY, "203.0.113.9, not-an-address") == PROXY
    assert _address(PROXY, "not-an-address, 203.0.113.9") == "203.0.113.9"
    assert _address(PROXY, "[2001:db8::1]") == "2001:db8::1"


def test_the_rate_limits_count_the_same_client(settings):
    settings.PUTRIGHT_TRUSTED_PROXIES = ["127.0.0.1/32"]
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert limits.client_address(request) == client_address(request) == "203.0.113.9"


def test_the_lockout_uses_this_function(settings):
    assert settings.AXES_CLIENT_IP_CALLABLE == "putright.accounts.addresses.client_address"


def _sign_in(forwarded_for: str, password: str) -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    response = client.post(reverse("web:sign-in"), {"username": "olivia", "password": password})
    return response.status_code


@pytest.mark.django_db
def test_behind_the_proxy_a_stranger_cannot_lock_a_caseworker_out(settings, officer):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    officer.set_password(PASSWORD)
    officer.save()
    settings.PUTRIGHT_TRUSTED_PROXIES = ["127.0.0.1/32"]
    for _ in range(5):
        _sign_in("203.0.113.9", "guess")
    assert _sign_in("203.0.113.9", PASSWORD) == 429  # the stranger's address is locked
    # Olivia, behind the same proxy from the office, signs in as usual.
    assert _sign_in("192.0.2.20", PASSWORD) == 302
    # A stranger who writes the office's address on the left gains nothing.
    assert _sign_in("192.0.2.20, 203.0.113.9", PASSWORD) == 429


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "[]"),
        ({"PUTRIGHT_BEHIND_PROXY": "1"}, "['127.0.0.1/32', '::1/128']"),
        ({"PUTRIGHT_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7"}, "['10.0.0.0/8', '192.0.2.7/32']"),
    ],
)
def test_the_trusted_proxies_come_from_the_environment(environment, expected):
    shown = _settings_in_subprocess(environment)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.strip() == expected


def test_a_bad_trusted_proxy_stops_the_start_with_its_name():
    shown = _settings_in_subprocess({"PUTRIGHT_TRUSTED_PROXIES": "10.0.0.0/8, proxy.example"})
    assert shown.returncode != 0
    assert "PUTRIGHT_TRUSTED_PROXIES: 'proxy.example' is not an IP address or network" in shown.stderr


def _settings_in_subprocess(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTRIGHT_")}
    env.update(environment, DJANGO_SETTINGS_MODULE="putright.settings")
    code = "from django.conf import settings; print(settings.PUTRIGHT_TRUSTED_PROXIES)"
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
