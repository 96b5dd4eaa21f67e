"""Delivery: hand each email in the outbox to the mail server, once, retrying with backoff.

A message is claimed before it is sent, by one conditional UPDATE (due, and
not claimed by a live worker), which SQLite and PostgreSQL both run atomically:
two workers can never send the same message at once. The claim moves
``next_attempt_at`` to when the claim lapses, so a worker that dies mid-send
leaves a message that is simply due again later, and the one index on
``next_attempt_at`` finds both first tries and abandoned ones.

Delivery is at least once: a worker that dies after the server accepted the
message but before it wrote "sent" sends it again when the claim lapses. The
Message-ID is fixed when the message is queued, so that rare second copy is
the same message to the recipient's mail software.

Each failure is kept in ``last_error`` and the next try waits 1, 2, 4 ...
minutes (at most an hour, with a little jitter so a mail server that comes
back is not hit by every message at once). After PUTRIGHT_EMAIL_ATTEMPTS tries,
or at once when the server refuses every recipient for good (5xx), the message
is failed and the case's timeline says so, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import smtplib
from collections import Counter

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import EventKind, TimelineEvent
from putright.cases.services import timeline
from putright.comms.models import EmailStatus, OutboundEmail
from putright.comms.outbox import as_message, nudge

logger = logging.getLogger(__name__)

#: How long a claim lasts: well beyond an SMTP timeout, so only a dead worker's claim lapses.
CLAIM = dt.timedelta(minutes=5)
FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)
#: Failures worth another try: the server is down, slow, or said "not now".
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


def due(now: dt.datetime) -> QuerySet[OutboundEmail]:
    """Messages to try now: first tries, retries whose wait is over, and lapsed claims."""
    return OutboundEmail.objects.filter(
        status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=now
    )


def claim(email_id: int, now: dt.datetime | None = None) -> bool:
    """Claim one message for this worker if it is due; True when it is ours to send."""
    now = now or timezone.now()
    until = now + CLAIM
    claimed = (
        due(now)
        .filter(pk=email_id)
        .update(
            status=EmailStatus.SENDING,
            claimed_until=until,
            next_attempt_at=until,
            attempts=F("attempts") + 1,
        )
    )
    return claimed == 1


def deliver_one(email_id: int) -> str:
    """Send one message if it is due and nobody else is sending it: "sent", "retry", "failed" or "skipped"."""
    if not claim(email_id):
        return "skipped"
    email = OutboundEmail.objects.select_related("complaint").get(pk=email_id)
    if email.attempts > settings.PUTRIGHT_EMAIL_ATTEMPTS:
        # Every try so far ended with the worker gone mid-send: stop, and say so on the case.
        return _record_failure(email, RuntimeError("the worker stopped while sending it"))
    try:
        _send(email)
    except DELIVERY_ERRORS as error:
        return _record_failure(email, error)
    except Exception as error:
        # Not the mail server: a bug or a bad message. Keep it, retry, and fail it in the end,
        # rather than leave it claimed and tried every few minutes for ever.
        logger.exception("Email %s could not be prepared for sending", email.pk)
        return _record_failure(email, error)
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=EmailStatus.SENT, sent_at=timezone.now(), claimed_until=None, last_error=""
    )
    logger.info("Email %s delivered to %s (try %s)", email.pk, ", ".join(email.to), email.attempts)
    return "sent"


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Try every message that is due (at most ``limit``, oldest first); counts by outcome."""
    now = now or timezone.now()
    ids = list(due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
    outcomes = Counter(deliver_one(pk) for pk in ids)
    return {outcome: outcomes[outcome] for outcome in ("sent", "retry", "failed", "skipped")}


def _send(email: OutboundEmail) -> None:
    # One connection per message: a broken connection cannot spoil the next message's try.
    connection = get_connection(settings.PUTRIGHT_DELIVERY_BACKEND, fail_silently=False)
    if connection.send_messages([as_message(email)]) != 1:
        raise smtplib.SMTPException("The mail backend did not accept the message")


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after try number ``attempts`` failed: doubling, capped, with up to 10% jitter."""
    doublings = min(max(attempts - 1, 0), 16)
    wait = min(FIRST_WAIT * (1 << doublings), LONGEST_WAIT)
    return wait * (1 + random.uniform(0, 0.1))  # noqa: S311 (spreading retries, not a secret)


def _record_failure(email: OutboundEmail, error: BaseException) -> str:
    """Keep the error; try again later, or give up and say so on the case."""
    now = timezone.now()
    message = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts < settings.PUTRIGHT_EMAIL_ATTEMPTS and not _refused_for_good(error):
        wait = backoff(email.attempts)
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.PENDING, next_attempt_at=now + wait, claimed_until=None, last_error=message
        )
        logger.warning(
            "Email %s not delivered (try %s), next in %s: %s", email.pk, email.attempts, wait, message
        )
        return "retry"
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.FAILED, failed_at=now, claimed_until=None, last_error=message
        )
        if email.complaint is not None:
            timeline.append(_failed_event(email, message, now))
    logger.error("Email %s failed after %s tries: %s", email.pk, email.attempts, message)
    return "failed"


def _refused_for_good(error: BaseException) -> bool:
    """True when the server refused every recipient with a permanent (5xx) answer."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _ in error.recipients.values())
    return False


def _failed_event(email: OutboundEmail, error: str, now: dt.datetime) -> TimelineEvent:
    assert email.complaint is not None
    recipients = ", ".join(email.to + email.cc)
    return timeline.event(
        email.complaint,
        EventKind.EMAIL_FAILED,
        f"The email “{email.subject}” to {recipients} could not be delivered "
        f"after {email.attempts} tries. The mail server said: {error}",
        occurred_at=now,
        email_id=email.pk,
        to=email.to,
        cc=email.cc,
        subject=email.subject,
        purpose=email.purpose,
        attempts=email.attempts,
        error=error,
    )


def retry_failed(*, email_id: int, actor: User) -> OutboundEmail:
    """Put a failed message back in the queue for a fresh set of tries (the same Message-ID).

    Returns the message; one that has not failed is returned unchanged.
    """
    now = timezone.now()
    OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.FAILED).update(
        status=EmailStatus.PENDING, attempts=0, next_attempt_at=now, failed_at=None
    )
    email = OutboundEmail.objects.get(pk=email_id)
    logger.info("Email %s put back in the queue by %s", email_id, actor)
    transaction.on_commit(lambda: nudge(email_id), robust=True)
    return email
