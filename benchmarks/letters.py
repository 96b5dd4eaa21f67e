"""How long a letter's PDF takes to draw, and how fast the worker empties the outbox.

Draws every kind of letter from its shipped words (on the stand-in values the
template editor checks with), in standard and large print, several times each,
and prints the median milliseconds. Then queues N emails with a PDF attached
(default 500) and times one worker's delivery of them to a real SMTP server on
loopback (aiosmtpd, from the dev dependencies).

    PUTRIGHT_DATA_DIR=$(mktemp -d) .venv/bin/python benchmarks/letters.py [N]

The database is migrated and its outbox emptied first.
"""

from __future__ import annotations

import logging
import os
import socket
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
django.setup()

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.mail import EmailMessage
from django.core.management import call_command

from putright.comms.email import delivery, outbox
from putright.comms.letters.default_words import default_words
from putright.comms.letters.letterhead import letterhead_for
from putright.comms.letters.pdf import LetterPage, letter_pdf
from putright.comms.letters.placeholders import sample_context
from putright.comms.letters.templating import render
from putright.comms.models import LetterKind, OutboundEmail

RUNS = 5


class Sink:
    """A mail server that accepts everything and counts it."""

    def __init__(self) -> None:
        self.received = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.received += 1
        return "250 OK"


def page(kind: LetterKind, *, large_print: bool) -> LetterPage:
    subject, body = default_words(kind)
    context = sample_context(kind)
    return LetterPage(
        letterhead=letterhead_for(None),
        date="Monday 1 March 2027",
        recipient_name="Ms Ada Lovelace",
        recipient_address="1 Example Road\nNorwich\nNR1 1AA",
        reference="PR-7K3M9Q",
        subject=render(subject, context, field="subject"),
        body=render(body, context, field="body"),
        signed_by="Jo Officer",
        signer_role="Resolution Officer",
        large_print=large_print,
    )


def draw_times() -> None:
    print(f"{'letter':<40} {'standard ms':>12} {'large print ms':>15} {'KB':>6}")
    for kind in LetterKind:
        row = []
        for large in (False, True):
            letter = page(kind, large_print=large)
            times = []
            for _ in range(RUNS):
                start = time.perf_counter()
                pdf = letter_pdf(letter)
                times.append((time.perf_counter() - start) * 1000)
            row.append(statistics.median(times))
        print(f"{kind.label:<40} {row[0]:>12.0f} {row[1]:>15.0f} {len(pdf) / 1024:>6.0f}")


def delivery_rate(count: int) -> None:
    call_command("migrate", verbosity=0)
    OutboundEmail.objects.all().delete()
    sink = Sink()
    with socket.socket() as probe:  # a free loopback port (aiosmtpd cannot use port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Controller(sink, hostname="127.0.0.1", port=port)
    server.start()
    settings.PUTRIGHT_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    pdf = letter_pdf(page(LetterKind.STAGE1_RESPONSE, large_print=False))
    for _ in range(count):
        message = EmailMessage("Your complaint", "Our response is attached.", to=["ada@example.org"])
        message.attach("stage-1-response.pdf", pdf, "application/pdf")
        outbox.queue(message, purpose="letter")
    start = time.perf_counter()
    sent = 0
    while sent < count:
        sent += delivery.deliver_due(limit=count)["sent"]
    seconds = time.perf_counter() - start
    server.stop()
    print(f"\ndelivered {sink.received} emails with a {len(pdf) / 1024:.0f} KB PDF in {seconds:.1f} s")
    print(f"= {sink.received / seconds:.0f} emails a second from one worker")


if __name__ == "__main__":
    logging.disable(logging.INFO)  # the mail server and delivery log every message
    draw_times()
    delivery_rate(int(sys.argv[1]) if len(sys.argv) > 1 else 500)
