"""The email that carries a letter: the same words as the PDF, in plain text and simple HTML.

The words are in the email itself (many people read on a phone and never open
an attachment); the PDF is attached as the letter to keep.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from putright.comms.letters.pdf import LetterPage, blocks


def email_bodies(page: LetterPage) -> tuple[str, str]:
    """(plain text, HTML) for the email carrying ``page``."""
    head = page.letterhead
    contact = " · ".join(x for x in (head.phone, head.email, head.website) if x)
    text = "\n".join(
        [
            f"Our reference: {page.reference}",
            "",
            page.body,
            "",
            "Yours sincerely,",
            "",
            page.signed_by,
            page.signer_role,
            head.name,
            *([contact] if contact else []),
            "",
            "This letter is also attached as a PDF for you to keep.",
        ]
    )
    html = render_to_string(
        "comms/letter_email.html", {"page": page, "blocks": blocks(page.body), "contact": contact}
    )
    return text, html
