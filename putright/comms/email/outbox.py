"""The outbox: every email is stored in the transaction that causes it, then delivered.

``queue`` writes a message (with its attachments) to ``OutboundEmail`` inside
the caller's transaction, so a step that is rolled back sends nothing and a
step that commits cannot lose its email to a crash or a mail server that is
down. After commit it asks the worker to deliver promptly; the worker's
scheduled delivery also picks up anything due, so a lost nudge only delays.

The outbox does not import the worker (the worker sits above comms and runs
it): the worker hands its two delivery tasks to ``use_courier`` when Django
starts (``WorkerConfig.ready``). Until then a nudge does nothing, and the
scheduled delivery sends the message.

``OutboxBackend`` is Django's EMAIL_BACKEND, so that Django's own mail (a
password reset) and every ``send_mail`` take the same road. A caller of
``send_mail`` can name the purpose with the ``X-Putright-Purpose`` header; it
is read here and never stored or sent.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from email.mime.base import MIMEBase
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import make_msgid
from django.db import transaction
from django.utils import timezone

from putright.cases.models import Complaint
from putright.comms.models import EmailStatus, Letter, OutboundAttachment, OutboundEmail

logger = logging.getLogger(__name__)

#: The header a ``send_mail`` caller may use to say what an email is for; never sent.
PURPOSE_HEADER = "X-Putright-Purpose"
#: Headers the outbox sets itself, or that must not travel: taken off what is stored.
_NOT_STORED = {"message-id", PURPOSE_HEADER.lower()}


#: How long the bytes of a delivered email's attachments are kept: a letter's PDF
#: is kept on the letter itself, so the outbox's copy is only needed for a resend.
#: The default; the period in force is the landlord's (``cases.services.retention``, issue 15).
KEEP_ATTACHMENTS = dt.timedelta(days=30)


def queue(
    message: EmailMessage,
    *,
    purpose: str,
    complaint: Complaint | None = None,
    letter: Letter | None = None,
) -> OutboundEmail:
    """Store ``message`` for delivery, in the current transaction; deliver after commit."""
    email = _row(message, purpose=purpose, complaint=complaint, letter=letter, now=timezone.now())
    email.save()
    OutboundAttachment.objects.bulk_create(
        OutboundAttachment(email=email, filename=name, mimetype=mimetype, content=content)
        for name, content, mimetype in _attachments(message)
    )
    # robust: the email is already safe in the table; a queue that is down must not
    # turn a committed step into an error page (the scheduled delivery sends it).
    transaction.on_commit(lambda: nudge(email.pk), robust=True)
    return email


@dataclass(frozen=True)
class PlainEmail:
    """One rendered message to one person, for ``queue_many``."""

    to: str
    subject: str
    text: str
    html: str
    complaint_id: int | None = None

    def as_message(self) -> EmailMultiAlternatives:
        message = EmailMultiAlternatives(subject=self.subject, body=self.text, to=[self.to])
        message.attach_alternative(self.html, "text/html")
        return message


def queue_many(emails: Iterable[PlainEmail], *, purpose: str) -> int:
    """Store many messages at once (the sweep, the digest): one insert per batch, one nudge after commit.

    ``queue`` nudges the worker once per message, right for a step on one case;
    thousands of reminders would mean thousands of tasks, and the scheduled
    delivery picks up everything due anyway.
    """
    now = timezone.now()
    rows = [_row(e.as_message(), purpose=purpose, complaint_id=e.complaint_id, now=now) for e in emails]
    if rows:
        OutboundEmail.objects.bulk_create(rows, batch_size=500)
        transaction.on_commit(_nudge_due, robust=True)
    return len(rows)


def _row(message: EmailMessage, *, purpose: str, now: dt.datetime, **about: object) -> OutboundEmail:
    """The outbox row for ``message`` (unsaved), due now; ``about`` names its complaint or letter."""
    if message.bcc:
        raise ValueError("The outbox does not keep blind copies: send each recipient their own message")
    sender = message.from_email or settings.DEFAULT_FROM_EMAIL
    return OutboundEmail(
        **about,
        purpose=purpose[:30],
        from_email=sender,
        to=list(message.to),
        cc=list(message.cc),
        reply_to=list(message.reply_to),
        subject=str(message.subject),
        body_text=str(message.body or ""),
        body_html=_html_alternative(message),
        headers={k: str(v) for k, v in message.extra_headers.items() if k.lower() not in _NOT_STORED},
        message_id=_header(message, "Message-ID") or make_msgid(domain=_domain(sender)),
        next_attempt_at=now,
    )


@dataclass(frozen=True)
class Courier:
    """How to ask for delivery now: one message by id, or everything due."""

    deliver_one: Callable[[int], object]
    deliver_due: Callable[[], object]


_courier: Courier | None = None


def use_courier(courier: Courier | None) -> Courier | None:
    """Set how the outbox asks for delivery after commit (the worker's tasks), None for no nudges;
    the one it replaces."""
    global _courier  # set once at start-up, by the app that owns the tasks
    previous, _courier = _courier, courier
    return previous


def _nudge_due() -> None:
    if _courier is not None:
        _courier.deliver_due()


def _header(message: EmailMessage, name: str) -> str:
    for key, value in message.extra_headers.items():
        if key.lower() == name.lower():
            return str(value)
    return ""


def _html_alternative(message: EmailMessage) -> str:
    for content, mimetype in getattr(message, "alternatives", []) or []:
        if mimetype == "text/html":
            return str(content)
    return ""


def _attachments(message: EmailMessage) -> list[tuple[str, bytes, str]]:
    found = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise ValueError("Attach files as (name, content, mimetype), not as MIME parts")
        name, content, mimetype = attachment
        data = content.encode() if isinstance(content, str) else bytes(content)
        found.append((name or "attachment", data, mimetype or "application/octet-stream"))
    return found


def _domain(sender: str) -> str:
    """The sender's domain, for the Message-ID: the mail server we hand it to vouches for it."""
    return sender.rsplit("@", 1)[-1].strip("> ") if "@" in sender else "putright.local"


def nudge(email_id: int) -> None:
    """Ask the worker to deliver one message now (the scheduled delivery is the safety net)."""
    if _courier is not None:
        _courier.deliver_one(email_id)


def as_message(email: OutboundEmail) -> EmailMultiAlternatives:
    """The stored email as Django's message, with the Message-ID fixed when it was queued."""
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email,
        to=email.to,
        cc=email.cc,
        reply_to=email.reply_to,
        headers={**email.headers, "Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for attachment in email.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


class OutboxBackend(BaseEmailBackend):
    """Django's mail goes to the outbox, not straight to the server."""

    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        for message in email_messages:
            queue(message, purpose=_header(message, PURPOSE_HEADER) or "other")
        return len(email_messages)


def forget_delivered_attachments(before: dt.datetime, dry_run: bool = False) -> int:
    """Delete the attachments of emails delivered before ``before``; how many went (or would)."""
    old = OutboundAttachment.objects.filter(email__status=EmailStatus.SENT, email__sent_at__lt=before)
    if dry_run:
        return old.count()
    gone, _ = old.delete()
    return gone
