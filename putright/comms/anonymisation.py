"""issue 15, anonymise: the letters and emails of a complaint being anonymised (registered in ``apps``).

The rows stay (a letter was sent, of this kind, on this date, by post or email: the reports
and the timeline count them); who they went to, what they said and the files are removed. The
letters' stored PDFs are deleted after the transaction commits (``cases.services.anonymisation``).
"""

from __future__ import annotations

from django.db.models import Q

from putright.cases.models import Complaint
from putright.cases.services.anonymisation import REMOVED, kept
from putright.comms.models import Letter, OutboundAttachment, OutboundEmail


def scrub_letters_and_emails(case: Complaint) -> list[str]:
    letters = Letter.objects.filter(complaint=case)
    files = [name for name in letters.values_list("pdf", flat=True) if name]
    letters.update(
        recipient_name=REMOVED, recipient_address="", email="", subject=REMOVED, body=REMOVED, pdf=""
    )
    emails = OutboundEmail.objects.filter(complaint=case)
    OutboundAttachment.objects.filter(email__in=emails).delete()
    emails.update(
        to=[],
        cc=[],
        reply_to=[],
        subject=REMOVED,
        body_text=REMOVED,
        body_html="",
        headers={},
        last_error=kept("last_error"),
    )
    # Staff emails about the case that name no complaint (a colleague told of a note, with the
    # note's words; a digest): found by its reference, their words removed, their staff recipients
    # kept. One query over the outbox, whatever it holds.
    about = OutboundEmail.objects.filter(complaint__isnull=True).filter(
        Q(subject__contains=case.reference) | Q(body_text__contains=case.reference)
    )
    OutboundAttachment.objects.filter(email__in=about).delete()
    about.update(subject=REMOVED, body_text=REMOVED, body_html="")
    return files
