"""Rate limits for the public pages, counted in the database so every web process shares them.

A limit never shuts a person out for long: it counts attempts in a sliding
window (an hour by default) and answers "try again later" with the time,
never a CAPTCHA. Addresses and emails are counted by their SHA-256 digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import ipaddress
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from putright.accounts import addresses
from putright.portal.models import RateEvent


@dataclass(frozen=True)
class Limit:
    bucket: str
    allowed: int
    window: dt.timedelta = dt.timedelta(hours=1)


class RateLimited(Exception):
    def __init__(self, retry_at: dt.datetime) -> None:
        super().__init__(f"Too many attempts; try again after {retry_at:%H:%M}")
        self.retry_at = retry_at


def digest(value: str) -> str:
    return hashlib.sha256(value.strip().lower().encode()).hexdigest()


def client_address(request: HttpRequest) -> str:
    """Who is asking, as a rate limit should count them.

    The client's address as the sign-in lockout finds it
    (putright.accounts.addresses: X-Forwarded-For believed only from
    PUTRIGHT_TRUSTED_PROXIES). An IPv6 address counts as its /64, the block
    one household or phone gets, so that moving between its addresses does
    not escape a limit.
    """
    return _counted(addresses.client_address(request))


def _counted(address: str) -> str:
    """An IPv4 address as it is; an IPv6 address as its /64 network."""
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return address.strip()
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{parsed}/64", strict=False))
    return str(parsed)


def count(limit: Limit, value: str, *, now: dt.datetime | None = None) -> None:
    """Count one attempt by ``value``; RateLimited if it is one too many in the window."""
    now = now or timezone.now()
    key = digest(value)
    since = now - limit.window
    with transaction.atomic():
        recent = RateEvent.objects.filter(bucket=limit.bucket, key=key, at__gt=since)
        times = sorted(recent.values_list("at", flat=True))
        if len(times) >= limit.allowed:
            raise RateLimited(times[len(times) - limit.allowed] + limit.window)
        RateEvent.objects.create(bucket=limit.bucket, key=key, at=now)


def count_each(counted: list[tuple[Limit, str]], *, now: dt.datetime | None = None) -> None:
    """Count one attempt against each (limit, value) at once; RateLimited by the first one used up.

    One query reads the recent attempts of them all and one INSERT records
    them, where ``count`` for each would make four (a savepoint, a read, an
    insert, a release). Nothing is counted when one is used up. Inside a
    transaction it joins that transaction without a savepoint, so a
    RateLimited raised here must roll the caller's transaction back (as
    ``drafts.submit`` does by letting it out).
    """
    now = now or timezone.now()
    keyed = [(limit, digest(value)) for limit, value in counted]
    wanted = Q()
    for limit, key in keyed:
        wanted |= Q(bucket=limit.bucket, key=key, at__gt=now - limit.window)
    with transaction.atomic(savepoint=False):
        recent: dict[tuple[str, str], list[dt.datetime]] = {}
        for bucket, key, at in RateEvent.objects.filter(wanted).values_list("bucket", "key", "at"):
            recent.setdefault((bucket, key), []).append(at)
        for limit, key in keyed:
            times = sorted(t for t in recent.get((limit.bucket, key), []) if t > now - limit.window)
            if len(times) >= limit.allowed:
                raise RateLimited(times[len(times) - limit.allowed] + limit.window)
        RateEvent.objects.bulk_create(RateEvent(bucket=limit.bucket, key=key, at=now) for limit, key in keyed)


def check(limit: Limit, value: str, *, now: dt.datetime | None = None) -> None:
    """RateLimited if ``value`` has used up ``limit`` in the window; counts nothing itself.

    For limits that count failures only: check first, then ``record`` a failure.
    """
    now = now or timezone.now()
    times = sorted(
        RateEvent.objects.filter(
            bucket=limit.bucket, key=digest(value), at__gt=now - limit.window
        ).values_list("at", flat=True)
    )
    if len(times) >= limit.allowed:
        raise RateLimited(times[len(times) - limit.allowed] + limit.window)


def record(limit: Limit, value: str, *, now: dt.datetime | None = None) -> None:
    """Count one failed attempt by ``value`` against ``limit``."""
    RateEvent.objects.create(bucket=limit.bucket, key=digest(value), at=now or timezone.now())


def forget_before(moment: dt.datetime, dry_run: bool = False) -> int:
    """Delete attempts older than any window (run by the daily retention run; a dry run counts them)."""
    old = RateEvent.objects.filter(at__lt=moment)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted
