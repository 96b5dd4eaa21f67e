"""The email that tells a safeguarding or health and safety lead a concern is theirs, at once.

Sent with Django's ``send_mail`` road (EmailMessage.send): ``EMAIL_BACKEND`` is
the outbox, so the message is a row written in the referral's own transaction:
a referral rolled back sends nothing, a referral that commits cannot lose it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone

from putright.cases.models import Concern
from putright.procedure.wording import long_date

#: The header the outbox reads to file the message under its purpose (never sent).
PURPOSE_HEADER = "X-Putright-Purpose"
KIND_WORDS = {"safeguarding": "Safeguarding", "health_and_safety": "Health and safety"}


def send_referral(concern: Concern, reference: str) -> bool:
    """Email the lead the concern was referred to; False when they have no email address."""
    lead = concern.referred_to
    if lead is None or not lead.email:
        return False
    kind = KIND_WORDS.get(concern.kind, concern.kind)
    due = (
        long_date(timezone.localtime(concern.outcome_due_at).date(), weekday=True)
        if concern.outcome_due_at
        else ""
    )
    base = settings.PUTRIGHT_BASE_URL
    lines = [
        f"Dear {lead},",
        "",
        f"A {kind.lower()} concern on complaint {reference} has been referred to you.",
        "",
        concern.description,
        "",
        f"Please record what was done about it by {due}." if due else "Please record what was done about it.",
        f"The case: {base}{reverse('web:case', args=[reference])}",
        f"Your concerns: {base}{reverse('web:concerns')}",
    ]
    EmailMessage(
        subject=f"{kind} concern referred to you: {reference}",
        body="\n".join(lines) + "\n",
        to=[lead.email],
        headers={PURPOSE_HEADER: "concern"},
    ).send()
    return True
