"""Typed answers must be text a person can read: no control or hidden direction characters.

A pasted answer can carry invisible characters (a terminal's escape codes,
a right-to-left override that makes a name read backwards to staff); they are
refused with a message that says what to do, rather than stored.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

from putright.cases.services.evidence import KINDS, TEXT

#: The file name endings a file box offers (the evidence service checks the bytes).
ACCEPT = ",".join(ending for endings in [*(kind[-1] for kind in KINDS), TEXT[-1]] for ending in endings)

#: Characters that change the direction of the text around them without showing.
_DIRECTION = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
#: What a box of several lines may hold besides printable characters.
_LINE_BREAKS = {"\n", "\r", "\t"}


def has_hidden_characters(value: str, *, lines: bool = False) -> bool:
    """Whether ``value`` holds a control character (line breaks allowed in a box of ``lines``)."""
    allowed = _LINE_BREAKS if lines else set()
    return any((unicodedata.category(ch) == "Cc" and ch not in allowed) or ch in _DIRECTION for ch in value)


def hidden_characters_message(subject: str) -> str:
    return f"{subject} has a hidden character we cannot accept. Type it again instead of pasting it"


class PlainText:
    """A field validator: refuses hidden characters, naming the answer in the message."""

    def __init__(self, subject: str, *, lines: bool = False) -> None:
        self.subject, self.lines = subject, lines

    def __call__(self, value: str) -> None:
        if has_hidden_characters(str(value), lines=self.lines):
            raise ValidationError(hidden_characters_message(self.subject), code="hidden_characters")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainText) and (self.subject, self.lines) == (other.subject, other.lines)

    def __hash__(self) -> int:
        return hash((self.subject, self.lines))
