"""The schedule of recurring jobs, and the one step that starts each run exactly once.

Every worker calls ``run_due_jobs`` every few seconds. A run is claimed by one
conditional UPDATE of the job's ``next_run_at`` (only where it is due), which
SQLite and PostgreSQL run atomically, so however many workers ask, one of them
enqueues the run. The next run is counted from now, not from when the missed
one was due: a worker that was down for hours catches up with one run of each
job, not one per missed interval (the sweep and the digest find everything
that fell due meanwhile themselves).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks.base import Task

from putright.comms.models import Job
from putright.worker import tasks

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recurring:
    """A task to enqueue every ``every``."""

    name: str
    task: Task[..., Any]
    every: dt.timedelta


def recurring() -> list[Recurring]:
    """The jobs, from the settings (PUTRIGHT_SWEEP_MINUTES: how often the deadline sweep runs)."""
    sweep_every = dt.timedelta(minutes=settings.PUTRIGHT_SWEEP_MINUTES)
    return [
        Recurring("deliver-due-emails", tasks.deliver_due_emails, dt.timedelta(minutes=1)),
        Recurring("sweep-deadlines", tasks.sweep_deadlines, sweep_every),
        # The digest module decides who is due (their time of day, once a day); this only asks often.
        Recurring("send-daily-digests", tasks.send_daily_digests, dt.timedelta(minutes=15)),
        Recurring("housekeeping", tasks.housekeeping, dt.timedelta(days=1)),
        # issue 15, audit: the timeline chains, checked weekly (the result shows on /health)
        Recurring("verify-timeline-chains", tasks.verify_timeline_chains, dt.timedelta(days=7)),
    ]


def claim_run(job: Recurring, now: dt.datetime) -> bool:
    """Claim this job's run if it is due (or has never run); True for the one caller that wins."""
    Job.objects.get_or_create(name=job.name, defaults={"next_run_at": now})
    claimed = Job.objects.filter(Q(next_run_at__lte=now), name=job.name).update(next_run_at=now + job.every)
    return claimed == 1


def run_due_jobs(now: dt.datetime | None = None) -> list[str]:
    """Enqueue each job that is due, once however many workers call this; the names enqueued."""
    now = now or timezone.now()
    started = []
    for job in recurring():
        if not claim_run(job, now):
            continue
        try:
            job.task.enqueue()
        except Exception:
            # The queue is unreachable: make the run due again so the next check retries it.
            Job.objects.filter(name=job.name).update(next_run_at=now)
            logger.exception("Could not enqueue %s; will try again", job.name)
            continue
        logger.info("Enqueued %s", job.name)
        started.append(job.name)
    return started
