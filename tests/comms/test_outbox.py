"""The outbox: what is stored, and that an email lives and dies with the transaction that made it."""

from __future__ import annotations

import threading

import pytest
from django.core import mail
from django.db import connections, transaction
from django_tasks_db.models import DBTaskResult

from putright.comms.email import outbox
from putright.comms.models import EmailStatus, OutboundEmail
from tests.comms.helpers import PDF, letter_email
from tests.conftest import OUTBOX


@pytest.mark.django_db
def test_queue_stores_the_whole_message_and_fixes_its_message_id():
    email = outbox.queue(letter_email(cc="rep@example.org"), purpose="letter")
    email.refresh_from_db()
    assert (email.status, email.attempts, email.purpose) == (EmailStatus.PENDING, 0, "letter")
    assert (email.to, email.cc, email.from_email) == (
        ["ada@example.org"],
        ["rep@example.org"],
        "complaints@victory.example",
    )
    assert email.headers == {}  # the purpose header is read, not kept
    assert "<b>attached</b>" in email.body_html
    [attachment] = email.attachments.all()
    assert (attachment.filename, attachment.mimetype, bytes(attachment.content)) == (
        "stage-1-response.pdf",
        "application/pdf",
        PDF,
    )
    assert email.message_id.startswith("<") and email.message_id.endswith("@victory.example>")
    first, second = outbox.as_message(email), outbox.as_message(email)
    assert first.extra_headers["Message-ID"] == second.extra_headers["Message-ID"] == email.message_id
    assert "X-Putright-Purpose" not in first.message()


@pytest.mark.django_db
def test_django_mail_goes_to_the_outbox_with_the_purpose_it_names(settings):
    settings.EMAIL_BACKEND = OUTBOX
    mail.EmailMessage(
        "Welcome", "Hello", to=["new@example.org"], headers={"X-Putright-Purpose": "account", "X-Tag": "1"}
    ).send()
    mail.send_mail("Reset your password", "Follow the link", None, ["olivia@example.org"])
    account, other = OutboundEmail.objects.order_by("pk")
    assert (account.purpose, account.headers, account.to) == ("account", {"X-Tag": "1"}, ["new@example.org"])
    assert (other.purpose, other.subject, other.from_email) == (
        "other",
        "Reset your password",
        "complaints@localhost",
    )


@pytest.mark.django_db
def test_blind_copies_are_refused():
    message = letter_email()
    message.bcc = ["hidden@example.org"]
    with pytest.raises(ValueError, match="blind copies"):
        outbox.queue(message, purpose="letter")


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_in_a_rolled_back_step_is_never_stored_nor_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue(letter_email(), purpose="letter")
        raise RuntimeError("the step failed after writing its email")
    assert not OutboundEmail.objects.exists()
    assert not DBTaskResult.objects.exists()  # and the worker was not asked to deliver it


@pytest.mark.django_db(transaction=True)
def test_an_email_queued_in_a_committed_step_is_in_the_database_before_any_delivery():
    with transaction.atomic():
        email = outbox.queue(letter_email(), purpose="letter")
        assert not DBTaskResult.objects.exists()  # no nudge before the commit
    # Another connection (another process, as far as the database knows) sees it at once.
    seen: list[str] = []

    def look() -> None:
        try:
            seen.append(OutboundEmail.objects.get(pk=email.pk).status)
        finally:
            connections.close_all()

    thread = threading.Thread(target=look)
    thread.start()
    thread.join()
    assert seen == [EmailStatus.PENDING]
    [nudge] = DBTaskResult.objects.all()
    assert nudge.task_path == "putright.worker.tasks.deliver_email" and nudge.args_kwargs["args"] == [
        email.pk
    ]
