"""Letters and emails for the workspace tests, made through the real services.

An email that could not be delivered is made the way it happens: queued in
the outbox, then refused for good by the mail server (a 550 for its only
recipient), which fails it at once and writes EMAIL_FAILED on the timeline.
"""

from __future__ import annotations

import smtplib
from collections.abc import Sequence

from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.test import override_settings

from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.comms import delivery, outbox
from putright.comms.models import Letter, LetterKind, OutboundEmail
from putright.comms.services import letters


class RefusingBackend(BaseEmailBackend):
    """A mail server that has no such mailbox, for good."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        recipients = {address: (550, b"5.1.1 No such mailbox") for m in email_messages for address in m.to}
        raise smtplib.SMTPRecipientsRefused(recipients)


def failed_email(complaint: Complaint, to: str = "ada@example.org") -> OutboundEmail:
    """An email about ``complaint`` that the mail server refused: failed, and on the timeline."""
    message = EmailMessage(subject="Your complaint", body="We have your complaint.", to=[to])
    email = outbox.queue(message, purpose="letter", complaint=complaint)
    with override_settings(PUTRIGHT_DELIVERY_BACKEND=f"{__name__}.RefusingBackend"):
        assert delivery.deliver_one(email.pk) == "failed"
    email.refresh_from_db()
    return email


def send(complaint: Complaint, user: User, kind: LetterKind = LetterKind.ACKNOWLEDGEMENT) -> Letter:
    """A letter of ``kind`` sent as drafted."""
    draft = letters.draft(complaint, kind)
    return letters.send_letter(
        complaint.pk, kind, subject=draft.subject, body=draft.body, template_id=draft.template.pk, actor=user
    )
