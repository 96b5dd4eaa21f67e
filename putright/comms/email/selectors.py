"""Reads of the outbox that pages need: what could not be sent for a case."""

from __future__ import annotations

from django.db.models import QuerySet

from putright.cases.models import Complaint
from putright.comms.models import EmailStatus, LetterKind, LetterStatus, OutboundEmail


def failed_emails_for_case(complaint: Complaint) -> QuerySet[OutboundEmail]:
    """The case's emails that could not be delivered, newest failure first (one query).

    A letter's email that failed but whose letter has since been posted is no
    longer a gap in what the customer has had, so it is not listed.
    """
    return (
        OutboundEmail.objects.filter(complaint=complaint, status=EmailStatus.FAILED)
        .exclude(letter__status=LetterStatus.POSTED)
        .select_related("letter")
        .only(
            "pk",
            "complaint_id",
            "to",
            "cc",
            "subject",
            "purpose",
            "attempts",
            "last_error",
            "failed_at",
            "letter_id",
            "letter__kind",
        )
        .order_by("-failed_at", "-pk")
    )


def failed_acknowledgement(failed: list[OutboundEmail]) -> OutboundEmail | None:
    """Of a case's failed emails, the acknowledgement letter's (issue 15, inputsec).

    The customer has not been told their complaint was received: the deadlines
    say so beside the acknowledgement deadline, not only in the list of failures.
    """
    return next(
        (
            e
            for e in failed
            if e.letter_id is not None
            and e.letter is not None
            and e.letter.kind == LetterKind.ACKNOWLEDGEMENT
        ),
        None,
    )
