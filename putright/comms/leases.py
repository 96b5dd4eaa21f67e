"""Leases: one holder at a time for a named job, across processes and machines.

A lease is taken by one conditional UPDATE (free, or expired), which both
SQLite and PostgreSQL run atomically, so two workers asking at once cannot
both win. A holder that dies lets its lease lapse at ``leased_until``, so a
crashed worker never blocks the job for good.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Q
from django.utils import timezone

from putright.comms.models import Job


def holder_name() -> str:
    """This process, as a lease shows it: host, process id and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"[:100]


def take(name: str, holder: str, duration: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Take the lease on job ``name`` for ``duration`` if nobody holds it; True if taken."""
    now = now or timezone.now()
    Job.objects.get_or_create(name=name, defaults={"next_run_at": now})
    taken = Job.objects.filter(
        Q(leased_until__isnull=True) | Q(leased_until__lte=now) | Q(leased_by=holder), name=name
    ).update(leased_by=holder, leased_until=now + duration, last_started_at=now)
    return taken == 1


def release(name: str, holder: str, result: dict[str, object] | None = None) -> None:
    """Give the lease back (only if still ours), noting when the job finished and what it did."""
    Job.objects.filter(name=name, leased_by=holder).update(
        leased_by="", leased_until=None, last_finished_at=timezone.now(), last_result=result or {}
    )


@contextmanager
def held(name: str, duration: dt.timedelta) -> Iterator[bool]:
    """``with held("sweep", ...) as mine:`` runs the body's work only when ``mine``."""
    holder = holder_name()
    mine = take(name, holder, duration)
    try:
        yield mine
    finally:
        if mine:
            release(name, holder)
