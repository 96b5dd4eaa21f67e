"""Delivery: hand each email in the outbox to the mail server, once, retrying with backoff.

The mail server is whichever route PUTRIGHT_EMAIL_PROVIDER chose (settings):
an SMTP relay, Microsoft Graph (``graph``) or an email provider's API through
django-anymail; each raises on refusal, and a service that asks us to wait
(a 429's Retry-After) is waited for at least that long.

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
import re
import smtplib
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from anymail.exceptions import AnymailError
from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import EventKind, TimelineEvent
from putright.cases.services import timeline
from putright.comms.email.graph import MailServiceRefused, retry_after
from putright.comms.email.outbox import as_message, nudge
from putright.comms.leases import held
from putright.comms.models import EmailStatus, Letter, LetterStatus, OutboundEmail
from putright.procedure.wording import long_date

logger = logging.getLogger(__name__)

#: How long a claim lasts: well beyond an SMTP timeout, so only a dead worker's claim lapses.
CLAIM = dt.timedelta(minutes=5)
FIRST_WAIT = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=1)
#: Failures worth another try: the server is down, slow, or said "not now" (by SMTP, by
#: Microsoft Graph, or by an email provider's API through django-anymail).
DELIVERY_ERRORS = (smtplib.SMTPException, OSError, MailServiceRefused, AnymailError)
#: One delivery run stops starting new messages after this long, so that a mail
#: server that hangs rather than refuses cannot hold the worker for an hour while
#: reminders wait behind it; the next run (a minute later) carries on.
RUN_BUDGET = dt.timedelta(minutes=2)
#: What we keep of each message once it is delivered. Letters, reminders and
#: digests stay readable (their words are the record); anything else, such as a
#: private case link or a password reset, held a secret that must not outlive
#: its delivery in the database.
KEPT_AFTER_DELIVERY = {"letter", "reminder", "digest"}
REMOVED = "(Removed after delivery: it held a private link.)"


def due(now: dt.datetime) -> QuerySet[OutboundEmail]:
    """Messages to try now: first tries, retries whose wait is over, and lapsed claims."""
    return OutboundEmail.objects.filter(
        status__in=[EmailStatus.PENDING, EmailStatus.SENDING], next_attempt_at__lte=now
    )


def claim(email_id: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """Claim one message for this worker if it is due: the claim's end when it is ours to send, else None.

    The claim's end identifies this claim: only its holder may mark the message sent.
    """
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
    return until if claimed == 1 else None


def deliver_one(email_id: int, connection: BaseEmailBackend | None = None) -> str:
    """Send one message if it is due and nobody else is sending it: "sent", "retry", "failed" or "skipped".

    ``connection``: a run's connection to the mail server, shared by its messages (``deliver_due``);
    without one, the message has a connection of its own.
    """
    until = claim(email_id)
    if until is None:
        return "skipped"
    email = OutboundEmail.objects.select_related("complaint").get(pk=email_id)
    if email.attempts > settings.PUTRIGHT_EMAIL_ATTEMPTS:
        # Every try so far ended with the worker gone mid-send: stop, and say so on the case.
        return _record_failure(email, RuntimeError("the worker stopped while sending it"))
    try:
        _send(email, connection)
    except DELIVERY_ERRORS as error:
        return _record_failure(email, error)
    except Exception as error:
        # Not the mail server: a bug or a bad message. Keep it, retry, and fail it in the end,
        # rather than leave it claimed and tried every few minutes for ever.
        logger.exception("Email %s could not be prepared for sending", email.pk)
        return _record_failure(email, error)
    _mark_sent(email, until)
    # issue 15, inputsec: the outbox id, never the address: logs are kept and read more widely
    # than the case. Who it went to is on the outbox row and the case.
    logger.info("Email %s delivered (try %s)", email.pk, email.attempts)
    return "sent"


def _mark_sent(email: OutboundEmail, until: dt.datetime) -> None:
    """Write "sent", trying again if the database is briefly busy: a lost write means a second copy.

    Only the holder of this claim may write it (``claimed_until`` is its mark).
    """
    values: dict[str, object] = {"status": EmailStatus.SENT, "claimed_until": None, "last_error": ""}
    if email.purpose not in KEPT_AFTER_DELIVERY:
        values.update(body_text=REMOVED, body_html="")
    for pause in (0.0, 0.5, 2.0, 5.0):
        time.sleep(pause)
        try:
            mine = OutboundEmail.objects.filter(pk=email.pk, status=EmailStatus.SENDING, claimed_until=until)
            mine.update(sent_at=timezone.now(), **values)
            return
        except OperationalError:
            logger.warning("Email %s was delivered but could not yet be marked sent; trying again", email.pk)
    raise OperationalError(f"Email {email.pk} was delivered but could not be marked sent")


def deliver_due(now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Try the messages that are due, oldest first, for at most ``RUN_BUDGET``; counts by outcome.

    One run at a time (a lease): runs are enqueued every minute, and a slow
    mail server must not let them pile up behind each other. The messages are
    read ``limit`` at a time, batch after batch while the budget lasts: one
    batch a run sent a burst (a sweep's thousands of reminders) at 200 a
    minute, an hour for 12,000 while the worker sat idle. Each message tried
    leaves ``due(now)`` (sent, failed, waiting for its retry or claimed), so
    no batch repeats one.
    """
    counts = {"sent": 0, "retry": 0, "failed": 0, "skipped": 0}
    with held("deliver-due", RUN_BUDGET + CLAIM) as mine, _run_connection() as connection:
        if not mine:
            return {**counts, "run_skipped": 1}
        now = now or timezone.now()
        stop_at = time.monotonic() + RUN_BUDGET.total_seconds()
        outcomes: Counter[str] = Counter()
        ids: list[int] = [0] * limit
        while len(ids) == limit and time.monotonic() <= stop_at:
            ids = list(due(now).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit])
            for pk in ids:
                if time.monotonic() > stop_at:
                    break
                outcomes[deliver_one(pk, connection)] += 1
        counts.update(outcomes)
        return counts


@contextmanager
def _run_connection() -> Iterator[BaseEmailBackend]:
    """One connection to the mail server for a run's messages, opened at the first message.

    A connection each cost an SMTP session (connect, greeting, EHLO, STARTTLS and login on a
    real relay) per message: the worker sent some 80 messages a second on loopback, and a
    sweep's thousands of reminders took minutes. A message whose send fails drops the
    connection (``_send``), so the next one starts on a fresh one.
    """
    connection = get_connection(settings.PUTRIGHT_DELIVERY_BACKEND, fail_silently=False)
    try:
        yield connection
    finally:
        _drop(connection)


def _send(email: OutboundEmail, connection: BaseEmailBackend | None) -> None:
    """Hand the message to the mail server, on the run's connection (opened if it is not) or on
    one of its own; a failure drops the run's connection, so a broken one cannot spoil the next
    message's try."""
    if connection is None:
        connection = get_connection(settings.PUTRIGHT_DELIVERY_BACKEND, fail_silently=False)
        reused = False
    else:
        # open() is a no-op on an open connection (False), and send_messages then leaves it open.
        reused = connection.open() is False
    try:
        accepted = connection.send_messages([as_message(email)])
    except BaseException as error:
        _drop(connection)
        if not (reused and _hung_up(error)):
            raise
        # A relay that closes a connection after so many messages, or after a quiet spell:
        # the message is tried once more at once, on a fresh connection.
        _send(email, connection)
        return
    if accepted != 1:
        _drop(connection)
        raise smtplib.SMTPException("The mail backend did not accept the message")


def _hung_up(error: BaseException) -> bool:
    """Whether the server ended the connection (gone, or "421 closing"), rather than refused the message."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code == 421


def _drop(connection: BaseEmailBackend) -> None:
    """Close the connection, whatever state the server left it in."""
    try:
        connection.close()
    except Exception:  # the server may already be gone; the next open starts afresh
        logger.info("A mail connection could not be closed cleanly", exc_info=True)


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
        wait = max(backoff(email.attempts), asked_wait(error) or dt.timedelta(0))
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.PENDING, next_attempt_at=now + wait, claimed_until=None, last_error=message
        )
        logger.warning(
            "Email %s not delivered (try %s), next in %s: %s",
            email.pk,
            email.attempts,
            wait,
            without_addresses(message),
        )
        return "retry"
    with transaction.atomic():
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=EmailStatus.FAILED, failed_at=now, claimed_until=None, last_error=message
        )
        if email.letter_id is not None:
            # The customer has not had the letter: it goes back to the post pile.
            Letter.objects.filter(pk=email.letter_id, status=LetterStatus.EMAILED).update(
                status=LetterStatus.TO_POST
            )
        if email.complaint is not None:
            timeline.append(_failed_event(email, message, now))
    logger.error("Email %s failed after %s tries: %s", email.pk, email.attempts, without_addresses(message))
    return "failed"


_ADDRESS = re.compile(r"[^\s<>()\[\]{}'\",;:]+@[^\s<>()\[\]{}'\",;:]+")


def without_addresses(text: str) -> str:
    """The mail server's answer for the log, with any email address in it (a refused mailbox) replaced.

    The full answer stays on the outbox row and the case, where only staff read it.
    """
    return _ADDRESS.sub("[address]", text)


def asked_wait(error: BaseException) -> dt.timedelta | None:
    """How long the mail service asked us to wait (a 429's Retry-After), never beyond a day."""
    wait = getattr(error, "retry_after", None)
    response = getattr(error, "response", None)  # anymail keeps the provider's HTTP response
    if wait is None and response is not None and getattr(response, "headers", None) is not None:
        wait = retry_after(response.headers.get("Retry-After"))
    return min(wait, dt.timedelta(days=1)) if isinstance(wait, dt.timedelta) else None


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
        f"after {email.attempts} tries. The mail server said: {error}"
        + (" The letter is now waiting to be posted." if email.letter_id else ""),
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

    Returns the message; one that has not failed is returned unchanged. A letter
    that has been posted meanwhile is not emailed as well (InvalidInput).
    """
    now = timezone.now()
    posted = Letter.objects.filter(emails=email_id, status=LetterStatus.POSTED).first()
    if posted is not None and posted.posted_at is not None:
        day = long_date(timezone.localtime(posted.posted_at).date(), weekday=True)
        raise InvalidInput("email_id", f"this letter was posted on {day}, so it will not be emailed as well")
    with transaction.atomic():
        retried = OutboundEmail.objects.filter(pk=email_id, status=EmailStatus.FAILED).update(
            status=EmailStatus.PENDING, attempts=0, next_attempt_at=now, failed_at=None
        )
        email = OutboundEmail.objects.get(pk=email_id)
        if retried and email.letter_id is not None:
            # Emailing it again, so it is no longer waiting for the post (unless already posted).
            Letter.objects.filter(pk=email.letter_id, status=LetterStatus.TO_POST).update(
                status=LetterStatus.EMAILED
            )
    logger.info("Email %s put back in the queue by %s", email_id, actor)
    transaction.on_commit(lambda: nudge(email_id), robust=True)
    return email
