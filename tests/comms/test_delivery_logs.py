"""Issue 15, inputsec: the worker's log lines name the outbox message, never who it was sent to.

Logs are kept longer and read by more people (hosting, support) than the case: a recipient's
address there is personal data outside the record. Delivered, retried, refused for good: each
is logged with the outbox id only.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine

from putright.comms.email import delivery, outbox
from tests.comms.helpers import letter_email

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def worker_log(caplog) -> str:
    """putright's own lines (the loopback SMTP server used here logs its side of the talk)."""
    return "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("putright"))


def test_a_delivered_email_is_logged_by_its_outbox_id_without_the_addresses(smtp_server, clock, caplog):
    email = outbox.queue(letter_email(cc="rep@example.org"), purpose="letter")
    with caplog.at_level(logging.DEBUG):
        assert delivery.deliver_due()["sent"] == 1
    lines = worker_log(caplog)
    assert f"Email {email.pk} delivered" in lines
    assert "ada@example.org" not in lines and "rep@example.org" not in lines and "@" not in lines


def test_a_refused_mailbox_is_logged_without_its_address(smtp_server, clock, caplog, log):
    complaint = log("2027-03-18 09:00")
    email = outbox.queue(letter_email(to="nobody@refused.example"), purpose="letter", complaint=complaint)
    with caplog.at_level(logging.DEBUG):
        assert delivery.deliver_one(email.pk) == "failed"
    lines = worker_log(caplog)
    assert f"Email {email.pk} failed" in lines and "550" in lines
    assert "nobody@refused.example" not in lines and "@" not in lines
    email.refresh_from_db()
    assert "nobody@refused.example" in email.last_error  # the record keeps it, for staff


def test_a_retried_email_is_logged_without_its_address(smtp_server, clock, caplog):
    email = outbox.queue(letter_email(), purpose="letter")
    smtp_server.stop()
    with caplog.at_level(logging.DEBUG):
        assert delivery.deliver_one(email.pk) == "retry"
    lines = worker_log(caplog)
    assert f"Email {email.pk} not delivered" in lines and "@" not in lines


def test_addresses_in_a_mail_servers_answer_are_replaced():
    said = "SMTPRecipientsRefused: {'nobody@refused.example': (550, b'5.1.1 <nobody@refused.example>: no')}"
    assert (
        delivery.without_addresses(said)
        == "SMTPRecipientsRefused: {'[address]': (550, b'5.1.1 <[address]>: no')}"
    )


def test_a_burst_is_delivered_in_one_run_batch_after_batch(smtp_server, clock):
    """A sweep's burst of reminders goes out in the run that finds it, not a batch a minute."""
    emails = [
        outbox.queue(letter_email(f"tenant{n}@example.org", pdf=False), purpose="reminder") for n in range(7)
    ]
    assert delivery.deliver_due(limit=3) == {"sent": 7, "retry": 0, "failed": 0, "skipped": 0}
    assert len(smtp_server.messages) == 7
    assert not delivery.due(dt.datetime.now(dt.UTC)).filter(pk__in=[e.pk for e in emails]).exists()
