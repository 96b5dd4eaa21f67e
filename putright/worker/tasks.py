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


@task()
def verify_timeline_chains() -> dict[str, object]:
    """Check every case's timeline chain (``putright audit verify``) and keep the result on its Job row."""
    result = chain.summary(chain.verify())
    Job.objects.update_or_create(
        name=AUDIT_JOB,
        defaults={"last_finished_at": timezone.now(), "last_result": result},
        create_defaults={
            "next_run_at": timezone.now(),
            "last_finished_at": timezone.now(),
            "last_result": result,
        },
    )
    return result
