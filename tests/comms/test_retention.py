"""What the daily housekeeping forgets from the outbox and the task queue, and what it keeps."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django_tasks_db.models import DBTaskResult

from putright.comms.email import delivery, outbox
from putright.comms.models import OutboundAttachment
from putright.worker import tasks
from tests.comms.helpers import letter_email

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)


def test_housekeeping_forgets_old_attachments_and_finished_tasks_but_keeps_the_recent(smtp_server):
    with time_machine.travel(START, tick=False):
        old = outbox.queue(letter_email(), purpose="letter")
        delivery.deliver_due()
        tasks.deliver_due_emails.enqueue()  # a finished task's result, on the database queue
        DBTaskResult.objects.update(status="SUCCESSFUL", finished_at=START)
    with time_machine.travel(START + dt.timedelta(days=31), tick=False):
        recent = outbox.queue(letter_email(), purpose="letter")
        delivery.deliver_due()
        waiting = outbox.queue(letter_email(), purpose="letter")  # not yet delivered
        fresh = tasks.deliver_due_emails.enqueue()
        report = tasks.housekeeping.call()

    assert "email_attachments: 1 removed" in report  # issue 15, retention: the one daily run
    assert not OutboundAttachment.objects.filter(email=old).exists()
    assert OutboundAttachment.objects.filter(email=recent).exists()
    assert OutboundAttachment.objects.filter(email=waiting).exists()
    # Only results finished over a week ago go; work still queued stays.
    assert [str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)] == [fresh.id]
