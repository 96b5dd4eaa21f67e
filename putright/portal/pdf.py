"""A public page as an A4 PDF (the complaints policy), drawn by WeasyPrint.

Like the letters, a public document may load nothing from a network or a
disk while it is drawn: the fetcher allows only inline ``data:`` URLs, and
the fonts are the system's own.
"""

from __future__ import annotations

from typing import Any


def _refuse_fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher  # type: ignore[import-untyped]

        return dict(default_url_fetcher(url))
    raise ValueError(f"A public document may not load {url!r}: it uses only what is inside it")


def pdf_of(html: str) -> bytes:
    """The HTML document as PDF bytes."""
    from weasyprint import HTML  # type: ignore[import-untyped]  # heavy (pango): load it only when a PDF is made

    pdf = HTML(string=html, url_fetcher=_refuse_fetch, base_url=None).write_pdf()
    assert pdf is not None
    return bytes(pdf)
