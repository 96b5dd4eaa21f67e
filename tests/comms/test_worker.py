"""``putright worker``: it delivers queued email to a real SMTP server and starts due jobs, in
process (``--once``) and as a long-running process stopped by SIGTERM; and with the Redis
setting, delivery tasks go to the real Redis queue."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django_tasks_db.models import DBTaskResult

from putright.comms.email import outbox
from putright.comms.models import EmailStatus, Job, OutboundEmail
from putright.worker import tasks
from tests.comms.helpers import letter_email

REDIS_FOR_TESTS = "redis://127.0.0.1:6379/15"


def _results() -> dict[str, tuple[str, object]]:
    """Each task run: its name, to its status and what it returned."""
    return {
        row.task_path.rsplit(".", 1)[-1]: (row.status, row.return_value)
        for row in DBTaskResult.objects.order_by("enqueued_at")
    }


@pytest.mark.django_db(transaction=True)
def test_worker_once_delivers_queued_email_and_runs_the_due_jobs(smtp_server):
    with transaction.atomic():
        email = outbox.queue(letter_email(), purpose="letter")
    call_command("worker", "--once", stdout=StringIO())

    [message] = smtp_server.messages
    assert message["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and email.attempts == 1
    results = _results()
    assert results["deliver_email"] == ("SUCCESSFUL", "sent")  # the nudge sent after commit
    assert results["deliver_due_emails"][0] == "SUCCESSFUL"
    assert results["housekeeping"][0] == "SUCCESSFUL"
    assert {"sweep_deadlines", "send_daily_digests"} <= set(results)
    assert set(Job.objects.values_list("name", flat=True)) >= {
        "deliver-due-emails",
        "sweep-deadlines",
        "send-daily-digests",
        "housekeeping",
    }

    call_command("worker", "--once", stdout=StringIO())  # again: nothing is sent twice
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_worker_once_delivers_email_whose_nudge_was_lost(smtp_server):
    """The scheduled delivery is the safety net: a message with no task queued for it still goes."""
    email = outbox.queue(letter_email(), purpose="letter")
    DBTaskResult.objects.all().delete()
    call_command("worker", "--once", stdout=StringIO())
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and len(smtp_server.messages) == 1


def _database_url() -> str:
    """The test database, as DATABASE_URL for a worker in another process."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_the_long_running_worker_delivers_and_stops_gracefully_on_sigterm(smtp_server, tmp_path):
    email = outbox.queue(letter_email(), purpose="letter")
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PUTRIGHT_DATA_DIR": str(tmp_path),
        "PUTRIGHT_SMTP_HOST": smtp_server.host,
        "PUTRIGHT_SMTP_PORT": str(smtp_server.port),
        "PUTRIGHT_SMTP_STARTTLS": "false",
        "PUTRIGHT_TASKS": "database",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "putright", "worker", "--interval", "1", "--poll", "0.2"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(200):
            if OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENT).exists():
                break
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=20)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output
    assert len(smtp_server.messages) == 1, output
    assert "putright worker starting: database queue" in output
    assert "Scheduled: deliver-due-emails" in output
    assert "shutting down gracefully" in output and "putright worker stopped" in output


@pytest.fixture
def redis_tasks(settings):
    """The PUTRIGHT_TASKS=redis settings, on the real Redis's test database."""
    settings.RQ_QUEUES = {"default": {"URL": REDIS_FOR_TESTS}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


@pytest.mark.django_db
def test_with_redis_a_delivery_task_lands_in_the_redis_queue_and_runs_from_it(
    redis_tasks, smtp_server, django_capture_on_commit_callbacks
):
    import django_rq
    from django_tasks_rq.backend import Job as TaskJob
    from rq import SimpleWorker

    email = outbox.queue(letter_email(), purpose="letter")
    with django_capture_on_commit_callbacks(execute=True):  # django-rq enqueues on commit
        result = tasks.deliver_email.enqueue(email.pk)
    queue = django_rq.get_queue("default", job_class=TaskJob)
    job = queue.fetch_job(result.id)
    try:
        assert job is not None and result.id in queue.job_ids
        assert job.func_name == "putright.worker.tasks.deliver_email" and job.args == (email.pk,)
        assert queue.connection.connection_pool.connection_kwargs["db"] == 15

        # A worker in this process (no fork: it shares the test's transaction) runs it.
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            SimpleWorker([queue], connection=queue.connection, job_class=TaskJob).execute_job(job, queue)
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
        result.refresh()
        assert result.status == "SUCCESSFUL" and result.return_value == "sent"
    finally:
        if job is not None:
            job.delete()
    email.refresh_from_db()
    assert email.status == EmailStatus.SENT and len(smtp_server.messages) == 1
