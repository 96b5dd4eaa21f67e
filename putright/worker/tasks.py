"""Background tasks (the Django tasks framework): thin wrappers over the comms services.

Each task is safe to run twice or at once on several workers: delivery claims
each message before sending it, and the sweep and the digest hold a lease.
"""

from __future__ import annotations

from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks import task

from putright.cases.selectors import chain
from putright.comms.email import delivery
from putright.comms.models import Job
from putright.comms.reminders import digest, sweep


@task()
def deliver_email(email_id: int) -> str:
    """Deliver one queued email now (queued after the commit that wrote it)."""
    return delivery.deliver_one(email_id)


@task()
def deliver_due_emails() -> dict[str, int]:
    """Deliver every message that is due, first tries and retries alike."""
    return delivery.deliver_due()


@task()
def sweep_deadlines() -> dict[str, int]:
    """Remind owners and team leads of deadlines due soon, due today and missed."""
    return sweep.sweep()


@task()
def send_daily_digests() -> dict[str, int]:
    """Send each caseworker and team lead their morning digest, once a day."""
    return digest.send_digests()


@task()
def housekeeping() -> str:
    """The daily retention run (``putright retention``), then the task queue's old results.

    issue 15, retention: one run applies every record type's period in force:
    complaints anonymised, drafts, rate-limit attempts and delivered emails'
    attachments forgotten.
    """
    out = StringIO()
    call_command("retention", stdout=out)
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        # The database queue keeps every finished task's result: a row a minute, for ever.
        call_command("prune_db_task_results", "--queue-name", "*", "--min-age-days", "7", stdout=out)
    return out.getvalue().strip()


#: issue 15, audit: the Job row whose last_finished_at and last_result /health shows.
AUDIT_JOB = "verify-timeline-chains"  # the schedule's name for it
#: issue 16: how many cases one run of the check reads (a few seconds' work at any size).
AUDIT_SLICE = 20_000


@task()
def verify_timeline_chains() -> dict[str, object]:
    """Check the next slice of every case's timeline chain (``putright audit verify``); at the end of
    a pass, keep its result on the Job row for /health.

    issue 16: a pass over a million cases takes minutes, and a worker running it delivers no
    email meanwhile. So a run checks ``AUDIT_SLICE`` cases, keeps what it found under the row's
    ``running`` and makes the job due again at once: the next look at the schedule (by any
    worker) claims the next slice, and emails due in between go first. The last pass's result
    stays on /health until the new pass ends.
    """
    now = timezone.now()
    job, _ = Job.objects.get_or_create(name=AUDIT_JOB, defaults={"next_run_at": now})
    kept = {key: value for key, value in job.last_result.items() if key != "running"}
    running = job.last_result.get("running") or {"after": 0, "so_far": None}
    found = chain.next_slice(running["after"], AUDIT_SLICE)
    upto, last = found if found is not None else (running["after"], True)
    part = chain.summary(chain.verify(between=(running["after"], upto)))
    so_far = part if running["so_far"] is None else chain.combined(running["so_far"], part)
    if not last:
        job.last_result = {**kept, "running": {"after": upto, "so_far": so_far}}
        job.next_run_at = now
        job.save(update_fields=["last_result", "next_run_at"])
        return {"checked_up_to": upto, **so_far}
    job.last_result, job.last_finished_at = so_far, now
    job.save(update_fields=["last_result", "last_finished_at"])
    return so_far
