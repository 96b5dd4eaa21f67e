"""A letter as an A4 PDF on the landlord's letterhead, in standard or large print.

The body is the caseworker's plain text: a blank line starts a new paragraph,
lines starting "- " become a list, and a short first line without closing
punctuation, followed by more lines, is a heading. Everything is escaped by
the template. WeasyPrint is given a URL fetcher that refuses everything but
inline ``data:`` URLs, so a letter can never make the server fetch anything
(a tracking pixel, an internal address) while it is drawn; the fonts are the
system's own (DejaVu Sans, from Debian's fonts-dejavu-core).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from putright.comms.letters.letterhead import Letterhead


@dataclass(frozen=True)
class Block:
    """One part of the body: a heading, a paragraph (its lines) or a list (its items)."""

    kind: str  # "heading", "paragraph" or "list"
    lines: list[str]


@dataclass(frozen=True)
class LetterPage:
    """Everything printed on the letter."""

    letterhead: Letterhead
    date: str
    recipient_name: str
    recipient_address: str
    reference: str
    subject: str
    body: str
    signed_by: str
    signer_role: str
    large_print: bool = False


def blocks(body: str) -> list[Block]:
    """The body's paragraphs, lists and headings, in order."""
    found: list[Block] = []
    for chunk in body.replace("\r\n", "\n").split("\n\n"):
        lines = [line.rstrip() for line in chunk.strip("\n").split("\n") if line.strip()]
        if not lines:
            continue
        if len(lines) > 1 and _is_heading(lines[0]):
            found.append(Block("heading", [lines[0]]))
            lines = lines[1:]
        found += _runs(lines)
    return found


def _is_heading(line: str) -> bool:
    return (
        not line.startswith("- ")
        and len(line) <= 80
        and not line.rstrip().endswith((".", ":", ",", "?", "!"))
    )


def _runs(lines: list[str]) -> list[Block]:
    """Consecutive list items make one list; other consecutive lines one paragraph."""
    runs: list[Block] = []
    for line in lines:
        kind = "list" if line.startswith("- ") else "paragraph"
        text = line[2:].strip() if kind == "list" else line.strip()
        if runs and runs[-1].kind == kind:
            runs[-1].lines.append(text)
        else:
            runs.append(Block(kind, [text]))
    return runs


def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """Fetch what a letter may load: inline ``data:`` URLs (the logo), nothing from a network or a disk."""
    if not url.startswith("data:"):
        raise ValueError(f"A letter may not load {url!r}: letters use only what is inside them")
    return _inline_fetcher().fetch(url)


def _inline_fetcher() -> Any:
    """WeasyPrint's fetcher, allowed the ``data:`` scheme alone (and refusing anything else first)."""
    from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]  # heavy: only when drawing

    class InlineOnly(URLFetcher):  # type: ignore[misc]  # untyped base
        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"A letter may not load {url!r}: letters use only what is inside them")
            return super().fetch(url, headers)

    return InlineOnly(allowed_protocols={"data"}, allow_redirects=False)


def letter_html(page: LetterPage) -> str:
    """The letter as HTML for WeasyPrint (and for reading in a test)."""
    return render_to_string(
        "comms/letter.html",
        {
            "page": page,
            "blocks": blocks(page.body),
            "address_lines": [line for line in page.recipient_address.splitlines() if line.strip()],
            "brand_colour": settings.PUTRIGHT_BRAND_COLOUR,
        },
    )


def letter_pdf(page: LetterPage) -> bytes:
    """The letter as PDF bytes."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy (pango): load it only when a PDF is made

    pdf = HTML(string=letter_html(page), url_fetcher=_inline_fetcher(), base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
