"""Helpers for the outbox tests: a message to queue, with an HTML part and a PDF; work run by
several threads at once, as several workers would."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.core.mail import EmailMultiAlternatives
from django.db import connections

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


def at_once(work: Callable[[], object], count: int = 2) -> list[object]:
    """Run ``work`` in ``count`` threads released together, each with its own connection.

    Use in a ``django_db(transaction=True)`` test, so that each thread sees the
    others' committed rows. An exception in a thread is raised here.
    """
    barrier = threading.Barrier(count)
    results: list[object] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait()
            results.append(work())
        except BaseException as error:  # handed back to the test below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results
