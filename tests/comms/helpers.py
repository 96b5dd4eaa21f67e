"""Helpers for the outbox tests: a message to queue, with an HTML part and a PDF."""

from __future__ import annotations

from django.core.mail import EmailMultiAlternatives

#: A tiny but real one-page PDF.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def letter_email(to: str = "ada@example.org", *, cc: str | None = None, pdf: bool = True):
    message = EmailMultiAlternatives(
        subject="Your complaint PR-123456: our response",
        body="Dear Ada,\n\nOur response is attached.\n",
        from_email="complaints@victory.example",
        to=[to],
        cc=[cc] if cc else [],
        headers={"X-Putright-Purpose": "letter"},
    )
    message.attach_alternative("<p>Dear Ada,</p><p>Our response is <b>attached</b>.</p>", "text/html")
    if pdf:
        message.attach("stage-1-response.pdf", PDF, "application/pdf")
    return message
