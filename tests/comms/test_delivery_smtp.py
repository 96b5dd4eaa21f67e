"""Delivery over a real SMTP server on loopback (aiosmtpd): what arrives, retries while the
server is down, delivered once it is back and never twice, and a failure shown on the case."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.cases.errors import InvalidInput
from putright.cases.models import EventKind
from putright.cases.services import triage
from putright.comms import leases
from putright.comms.email import delivery, outbox
from putright.comms.email.selectors import failed_emails_for_case
from putright.comms.letters.services import letters
from putright.comms.models import EmailStatus, Letter, LetterStatus, OutboundEmail
from tests.comms.helpers import PDF, letter_email
from tests.web.comms_helpers import send

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 18, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def clock():
    """The time, moved on by the test with ``clock.shift(...)``."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def complaint(log):
    return log("2027-03-18 09:00")


def queued(**kwargs) -> OutboundEmail:
    complaint = kwargs.pop("complaint", None)
    return outbox.queue(letter_email(**kwargs), purpose="letter", complaint=complaint)


def test_what_arrives_is_the_message_queued_with_its_html_and_its_pdf(smtp_server, clock):
    email = queued(cc="rep@example.org")
    assert delivery.deliver_due() == {"sent": 1, "retry": 0, "failed": 0, "skipped": 0}

    [(sender, recipients, message)] = smtp_server.received
    assert sender == "complaints@victory.example"
    assert recipients == ["ada@example.org", "rep@example.org"]
    assert message["To"] == "ada@example.org" and message["Cc"] == "rep@example.org"
    assert message["Subject"] == "Your complaint PR-123456: our response"
    assert message["Message-ID"] == email.message_id
    assert "X-Putright-Purpose" not in message
    assert (
        message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        == "Dear Ada,\n\nOur response is attached.\n"
    )
    assert "Our response is <b>attached</b>." in message.get_body(("html",)).get_content()
    [pdf] = list(message.iter_attachments())
    assert pdf.get_filename() == "stage-1-response.pdf"
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == PDF

    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at, email.last_error) == (EmailStatus.SENT, 1, START, "")


def test_a_server_that_is_down_is_retried_later_and_the_message_arrives_once(smtp_server, clock):
    email = queued()
    smtp_server.stop()
    assert delivery.deliver_due()["retry"] == 1
    email.refresh_from_db()
    assert email.status == EmailStatus.PENDING and email.attempts == 1
    assert "Connection refused" in email.last_error
    assert START + dt.timedelta(minutes=1) <= email.next_attempt_at <= START + dt.timedelta(seconds=66)
    assert delivery.deliver_due() == {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}  # not due yet

    clock.shift(dt.timedelta(minutes=1, seconds=10))
    assert delivery.deliver_due()["retry"] == 1  # still down: the wait doubles
    email.refresh_from_db()
    assert email.attempts == 2
    assert dt.timedelta(minutes=2) <= email.next_attempt_at - timezone.now() <= dt.timedelta(seconds=132)

    smtp_server.start()
    clock.shift(dt.timedelta(minutes=3))
    assert delivery.deliver_due()["sent"] == 1
    clock.shift(dt.timedelta(hours=2))
    assert delivery.deliver_due()["sent"] == 0  # never twice
    assert delivery.deliver_one(email.pk) == "skipped"

    [message] = smtp_server.messages
    assert message["Message-ID"] == email.message_id
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error) == (EmailStatus.SENT, 3, "")


def test_after_the_last_try_the_email_fails_and_the_case_timeline_says_so(
    smtp_server, clock, complaint, settings
):
    settings.PUTRIGHT_EMAIL_ATTEMPTS = 3
    email = queued(complaint=complaint)
    smtp_server.stop()
    outcomes = []
    for _ in range(3):
        outcomes.append(delivery.deliver_one(email.pk))
        clock.shift(dt.timedelta(hours=1, minutes=10))
    assert outcomes == ["retry", "retry", "failed"]
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED and email.attempts == 3
    assert email.failed_at is not None and "Connection refused" in email.last_error
    assert delivery.deliver_due()["failed"] == 0  # a failed message is not tried again by itself

    [event] = complaint.timeline.filter(kind=EventKind.EMAIL_FAILED)
    assert (
        "“Your complaint PR-123456: our response” to ada@example.org could not be delivered" in event.summary
    )
    assert "after 3 tries" in event.summary
    assert event.actor is None and event.actor_label == "putright"
    assert event.data["to"] == ["ada@example.org"] and event.data["email_id"] == email.pk


def test_a_mailbox_refused_for_good_fails_at_once(smtp_server, clock, complaint):
    email = queued(to="nobody@refused.example", complaint=complaint)
    assert delivery.deliver_one(email.pk) == "failed"
    email.refresh_from_db()
    assert email.attempts == 1 and "550" in email.last_error
    assert complaint.timeline.filter(kind=EventKind.EMAIL_FAILED).count() == 1
    assert smtp_server.received == []


def test_failed_emails_are_listed_for_the_case_and_can_be_sent_again(
    smtp_server, clock, complaint, officer, settings
):
    settings.PUTRIGHT_EMAIL_ATTEMPTS = 1
    smtp_server.stop()
    failed = queued(complaint=complaint)
    delivery.deliver_one(failed.pk)
    smtp_server.start()
    queued(complaint=complaint)  # this one will be delivered
    delivery.deliver_due()

    with CaptureQueriesContext(connection) as queries:
        listed = list(failed_emails_for_case(complaint))
    assert len(queries) == 1
    assert [e.pk for e in listed] == [failed.pk]
    assert listed[0].to == ["ada@example.org"] and "Connection refused" in listed[0].last_error

    again = delivery.retry_failed(email_id=failed.pk, actor=officer)
    assert (again.status, again.attempts, again.failed_at) == (EmailStatus.PENDING, 0, None)
    assert delivery.deliver_due()["sent"] == 1
    assert list(failed_emails_for_case(complaint)) == []
    assert [m["Message-ID"] for m in smtp_server.messages][-1] == failed.message_id


def test_a_message_claimed_by_a_worker_that_died_is_sent_when_the_claim_lapses(smtp_server, clock):
    email = queued()
    assert delivery.claim(email.pk)  # a worker claims it, then dies before sending
    assert delivery.deliver_due()["sent"] == 0
    clock.shift(delivery.CLAIM + dt.timedelta(seconds=1))
    assert delivery.deliver_due()["sent"] == 1
    email.refresh_from_db()
    assert (email.status, email.attempts) == (EmailStatus.SENT, 2)
    assert len(smtp_server.messages) == 1


def test_a_run_sends_its_messages_over_one_connection(smtp_server, clock):
    """issue 16: a connection each cost an SMTP session per message (80 a second on loopback)."""
    for n in range(5):
        outbox.queue(letter_email(f"tenant{n}@example.org", pdf=False), purpose="reminder")
    assert delivery.deliver_due(limit=2)["sent"] == 5
    assert len(smtp_server.messages) == 5 and len(set(smtp_server.connections)) == 1


def test_a_relay_that_closes_the_connection_mid_run_loses_no_message_and_sends_none_twice(smtp_server, clock):
    """Some relays close a connection after so many messages: the next message goes at once on a
    fresh connection, not an hour later as a failed try."""
    smtp_server.messages_per_connection = 2
    emails = [
        outbox.queue(letter_email(f"tenant{n}@example.org", pdf=False), purpose="reminder") for n in range(5)
    ]
    assert delivery.deliver_due() == {"sent": 5, "retry": 0, "failed": 0, "skipped": 0}
    assert sorted(m["To"] for m in smtp_server.messages) == [f"tenant{n}@example.org" for n in range(5)]
    assert len(set(smtp_server.connections)) == 3
    assert all(
        e.status == EmailStatus.SENT and e.attempts == 1
        for e in OutboundEmail.objects.filter(pk__in=[e.pk for e in emails])
    )


def test_a_run_whose_server_goes_down_retries_each_message_later(smtp_server, clock):
    """A server that is gone is not a dropped connection: each message waits for its retry."""
    for n in range(3):
        outbox.queue(letter_email(f"tenant{n}@example.org", pdf=False), purpose="reminder")
    smtp_server.stop()
    assert delivery.deliver_due() == {"sent": 0, "retry": 3, "failed": 0, "skipped": 0}
    smtp_server.start()
    clock.shift(dt.timedelta(minutes=3))
    assert delivery.deliver_due()["sent"] == 3 and len(smtp_server.messages) == 3


def test_the_backoff_doubles_from_a_minute_up_to_an_hour():
    waits = [delivery.backoff(n) for n in range(1, 10)]
    floors = [1, 2, 4, 8, 16, 32, 60, 60, 60]
    for wait, minutes in zip(waits, floors, strict=True):
        assert dt.timedelta(minutes=minutes) <= wait <= dt.timedelta(minutes=minutes) * 1.1


def test_a_private_link_is_not_kept_in_the_outbox_once_delivered_but_a_letter_is(smtp_server, clock):
    # Stands for the email that carries a signed case link.
    link = outbox.queue(letter_email(pdf=False), purpose="link")
    letter = queued()
    delivery.deliver_due()
    link.refresh_from_db()
    letter.refresh_from_db()
    assert link.status == letter.status == EmailStatus.SENT
    assert link.body_text == delivery.REMOVED and link.body_html == ""
    assert letter.body_text == "Dear Ada,\n\nOur response is attached.\n"
    # What the customer received is whole.
    assert "Our response is attached." in smtp_server.received[0][2].get_body(("plain",)).get_content()


def test_only_one_delivery_run_at_a_time(smtp_server, clock):
    queued()
    assert leases.take("deliver-due", "another-worker", dt.timedelta(minutes=5))
    assert delivery.deliver_due()["run_skipped"] == 1
    assert smtp_server.received == []
    leases.release("deliver-due", "another-worker")
    assert delivery.deliver_due()["sent"] == 1


def test_a_letter_whose_email_fails_for_good_waits_to_be_posted_until_it_is_emailed_again(
    smtp_server, clock, complaint, officer
):
    complaint.customer.email = "nobody@refused.example"
    complaint.customer.preferred_contact = "email"
    complaint.customer.save()
    triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    letter = send(complaint, officer)
    assert letter.status == LetterStatus.EMAILED
    [email] = letter.emails.all()
    assert delivery.deliver_one(email.pk) == "failed"
    letter.refresh_from_db()
    assert letter.status == LetterStatus.TO_POST
    event = complaint.timeline.get(kind=EventKind.EMAIL_FAILED)
    assert event.summary.endswith("The letter is now waiting to be posted.")

    delivery.retry_failed(email_id=email.pk, actor=officer)
    assert Letter.objects.get(pk=letter.pk).status == LetterStatus.EMAILED


def test_once_the_letter_is_posted_its_failed_email_is_not_shown_nor_sent_again(
    smtp_server, clock, complaint, officer
):
    complaint.customer.email = "nobody@refused.example"
    complaint.customer.preferred_contact = "email"
    complaint.customer.save()
    triage.accept(complaint, owner=officer, actor=officer, reasoning="Meets the definition.")
    letter = send(complaint, officer)
    [email] = letter.emails.all()
    delivery.deliver_one(email.pk)
    assert list(failed_emails_for_case(complaint)) == [email]

    letters.mark_posted(letter.pk, actor=officer)
    assert list(failed_emails_for_case(complaint)) == []
    with pytest.raises(InvalidInput, match="posted on Thursday 18 March 2027, so it will not be emailed"):
        delivery.retry_failed(email_id=email.pk, actor=officer)
    email.refresh_from_db()
    assert email.status == EmailStatus.FAILED
