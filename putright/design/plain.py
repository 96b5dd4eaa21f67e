"""Plain text an administrator writes, shown as a page: no HTML is ever taken from the database.

The format is the least a page needs, and reads the same as plain text: a
blank line starts a new paragraph, a line starting "## " is a heading, and
lines starting "- " make a bulleted list. Everything is escaped where it is
shown; a tag typed into the text is shown as typed, and ``refuse_markup``
stops one being saved at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")


@dataclass(frozen=True)
class Block:
    """A heading (one line), a paragraph (its lines) or a list (its items)."""

    kind: str  # "heading", "paragraph" or "list"
    lines: list[str] = field(default_factory=list)


def blocks(text: str) -> list[Block]:
    """The text's headings, paragraphs and lists, in order."""
    found: list[Block] = []
    for chunk in text.replace("\r\n", "\n").split("\n\n"):
        start = len(found)  # a blank line ends a paragraph or a list
        for line in (line.strip() for line in chunk.split("\n")):
            if not line:
                continue
            kind, words = _kind_of(line)
            if len(found) > start and found[-1].kind == kind != "heading":
                found[-1].lines.append(words)
            else:
                found.append(Block(kind, [words]))
    return found


def _kind_of(line: str) -> tuple[str, str]:
    if line.startswith("## "):
        return "heading", line[3:].strip()
    if line.startswith("- "):
        return "list", line[2:].strip()
    return "paragraph", line


def refuse_markup(text: str) -> None:
    """A validator: HTML is not part of the format, so say how to write it instead."""
    if _TAG.search(text):
        raise ValidationError(
            "Write plain text without HTML tags: leave a blank line between paragraphs, start a heading "
            'with "## " and each item of a list with "- "'
        )
