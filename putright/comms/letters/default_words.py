"""The words putright ships for each kind of letter, read from ``defaults/<kind>.txt``.

Each file's first line is ``Subject: ...``; the rest is the body. They become
version 1 of each template (migration 0002); administrators edit from there.
"""

from __future__ import annotations

from pathlib import Path

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"


def default_words(kind: str) -> tuple[str, str]:
    """The default (subject, body) of the letter ``kind``."""
    text = (DEFAULTS_DIR / f"{kind}.txt").read_text(encoding="utf-8")
    first, _, body = text.partition("\n")
    if not first.startswith("Subject:"):
        raise ValueError(f"{kind}.txt must start with a 'Subject: ...' line")
    return first.removeprefix("Subject:").strip(), body.strip() + "\n"
