"""Rate limits for the public pages, counted in the database so every web process shares them.

A limit never shuts a person out for long: it counts attempts in a sliding
window (an hour by default) and answers "try again later" with the time,
never a CAPTCHA. Addresses and emails are counted by their SHA-256 digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

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
    """The visitor's address (behind a proxy, settings make REMOTE_ADDR the real one)."""
    return str(request.META.get("REMOTE_ADDR", ""))


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


def forget_before(moment: dt.datetime) -> int:
    """Delete attempts older than any window (run by the daily housekeeping)."""
    deleted, _ = RateEvent.objects.filter(at__lt=moment).delete()
    return deleted
