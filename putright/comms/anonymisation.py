"""issue 15, anonymise: the letters and emails of a complaint being anonymised (registered in ``apps``).

The rows stay (a letter was sent, of this kind, on this date, by post or email: the reports
and the timeline count them); who they went to, what they said and the files are removed. The
letters' stored PDFs are deleted after the transaction commits (``cases.services.anonymisation``).
"""

from __future__ import annotations

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
    return files
