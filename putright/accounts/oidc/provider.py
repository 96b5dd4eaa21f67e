"""The provider's settings and its endpoints, found from its issuer (OpenID Connect discovery).

Endpoints named in the environment win; otherwise they are read once from
``ISSUER/.well-known/openid-configuration`` and kept for an hour, so a page view never waits on
the provider and a provider that is down stops only new sign-ins through it.
"""

from __future__ import annotations

import functools
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from django.conf import settings

from putright.accounts.oidc.groups import GroupRule, load_rules

DISCOVERY_SECONDS = 60 * 60
TIMEOUT_SECONDS = 10
ENDPOINT_KEYS = {
    "authorization": "authorization_endpoint",
    "token": "token_endpoint",
    "jwks": "jwks_uri",
    "userinfo": "userinfo_endpoint",
}


class ProviderUnavailable(Exception):
    """The provider could not be asked for its endpoints; the message says what went wrong."""


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    jwks: str
    userinfo: str


def is_on() -> bool:
    """OpenID Connect sign-in is on when a client id and an issuer (or endpoints) are set."""
    return bool(
        settings.PUTRIGHT_OIDC_CLIENT_ID and (settings.PUTRIGHT_OIDC_ISSUER or _explicit()["authorization"])
    )


def passwords_for_everyone() -> bool:
    """Whether staff other than administrators may still sign in with a password."""
    return not is_on() or settings.PUTRIGHT_OIDC_PASSWORD_SIGN_IN == "everyone"  # noqa: S105 (a choice, not a password)


def rules() -> tuple[GroupRule, ...]:
    return _rules(settings.PUTRIGHT_OIDC_GROUPS)


@functools.cache
def _rules(path: str) -> tuple[GroupRule, ...]:
    return load_rules(path)


def _explicit() -> dict[str, str]:
    return {name: getattr(settings, f"PUTRIGHT_OIDC_{name.upper()}_ENDPOINT") for name in ENDPOINT_KEYS}


_lock = threading.Lock()
_discovered: dict[str, tuple[float, dict[str, Any]]] = {}


def endpoints() -> Endpoints:
    """The provider's endpoints: those set in the environment, the rest from discovery."""
    explicit = _explicit()
    if all(explicit[name] for name in ("authorization", "token", "jwks")):
        return Endpoints(**explicit)
    document = discovery(settings.PUTRIGHT_OIDC_ISSUER)
    found = {name: explicit[name] or str(document.get(key, "")) for name, key in ENDPOINT_KEYS.items()}
    missing = [ENDPOINT_KEYS[name] for name in ("authorization", "token", "jwks") if not found[name]]
    if missing:
        raise ProviderUnavailable(f"the provider's discovery document has no {', '.join(missing)}")
    return Endpoints(**found)


def discovery(issuer: str) -> dict[str, Any]:
    """The issuer's discovery document, fetched at most once an hour per process."""
    with _lock:
        cached = _discovered.get(issuer)
        if cached and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
            return cached[1]
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
    except (requests.RequestException, ValueError) as error:
        raise ProviderUnavailable(f"{url} did not answer: {error.__class__.__name__}") from None
    if document.get("issuer") != issuer:
        raise ProviderUnavailable(
            f"the provider says its issuer is {document.get('issuer')!r}, "
            f"not {issuer!r} (PUTRIGHT_OIDC_ISSUER)"
        )
    with _lock:
        _discovered[issuer] = (time.monotonic(), document)
    return document


def forget_discovery() -> None:
    """Drop what discovery found (tests start and stop providers; an operator may change one)."""
    with _lock:
        _discovered.clear()
    _rules.cache_clear()
