"""The address a request came from: one answer for the sign-in lockout and the public rate limits.

Behind a reverse proxy REMOTE_ADDR is the proxy's, and counting it would
turn the lock on username and address into a lock on the username alone
(anyone could lock a caseworker out). X-Forwarded-For says who the proxy
was talking to, but a visitor can send the header themselves, so only the
part written by proxies we trust is believed: starting from REMOTE_ADDR and
walking X-Forwarded-For from the right, the first address that is not one of
PUTRIGHT_TRUSTED_PROXIES is the client. With no trusted proxies (the default)
the header is ignored and REMOTE_ADDR is the client.

Proxies are named by network (CIDR), not counted by hops: a count trusts
whatever sits that many places from the right even when a request reached
the server without passing the proxy, while a network list believes the
header only from a peer that really is a proxy.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part, strict=False) for part in spec)


def trusted_proxies() -> tuple[Network, ...]:
    """The networks of settings.PUTRIGHT_TRUSTED_PROXIES (a list of CIDRs; empty trusts none)."""
    return _networks(tuple(getattr(settings, "PUTRIGHT_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        found = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    if isinstance(found, ipaddress.IPv6Address) and found.ipv4_mapped is not None:
        return found.ipv4_mapped
    return found


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def client_address(request: HttpRequest) -> str:
    """The client's address: the right-most one not written by a trusted proxy ("" if none is valid)."""
    peer = _address(str(request.META.get("REMOTE_ADDR", "")))
    if peer is None:
        return ""
    networks = trusted_proxies()
    if not _trusted(peer, networks):
        return str(peer)
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    client = peer
    for part in reversed([piece for piece in forwarded.split(",") if piece.strip()]):
        hop = _address(part)
        if hop is None:  # garbage in the header: believe nothing left of it
            break
        client = hop
        if not _trusted(hop, networks):
            break
    return str(client)
