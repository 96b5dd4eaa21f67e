"""Letters and emails for the workspace tests, made through the real services.

An email that could not be delivered is made the way it happens: queued in
the outbox, then tried against a mail server that is not there (a real SMTP
connection to a loopback port nobody listens on) on its last allowed try,
which fails it and writes EMAIL_FAILED on the timeline.
"""

from __future__ import annotations

import socket

from django.core.mail import EmailMessage
from django.test import override_settings

from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.comms.email import delivery, outbox
from putright.comms.letters.services import letters
from putright.comms.models import Letter, LetterKind, OutboundEmail


def _closed_port() -> int:
    """A loopback port with nobody listening (just released by the system)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def failed_email(complaint: Complaint, to: str = "ada@example.org") -> OutboundEmail:
    """An email about ``complaint`` that the mail server refused: failed, and on the timeline."""
    message = EmailMessage(subject="Your complaint", body="We have your complaint.", to=[to])
    email = outbox.queue(message, purpose="letter", complaint=complaint)
    server_down = {
        "PUTRIGHT_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": _closed_port(),
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 5,
        "PUTRIGHT_EMAIL_ATTEMPTS": 1,
    }
    with override_settings(**server_down):
        assert delivery.deliver_one(email.pk) == "failed"
    email.refresh_from_db()
    return email


def send(complaint: Complaint, user: User, kind: LetterKind = LetterKind.ACKNOWLEDGEMENT) -> Letter:
    """A letter of ``kind`` sent as drafted."""
    draft = letters.draft(complaint, kind)
    return letters.send_letter(
        complaint.pk, kind, subject=draft.subject, body=draft.body, template_id=draft.template.pk, actor=user
    )
