"""Short human references for complaints: easy to read out, hard to mistype.

A reference is ``PR-`` and six characters of Crockford's base 32 (no I, L, O
or U), so "PR-7K3M9Q" can be read over the phone. A reference typed with
lower case, spaces, a missing prefix or the letters O, I, L for 0, 1, 1 is
understood.
"""

from __future__ import annotations

import secrets

PREFIX = "PR-"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 6
_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1", "U": "V"})


def new_reference() -> str:
    return PREFIX + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise(typed: str) -> str | None:
    """The reference a person meant, or None if it cannot be one."""
    text = "".join(typed.split()).upper().replace("-", "")
    if text.startswith("PR") and len(text) == len(PREFIX) - 1 + LENGTH:
        text = text[2:]  # the prefix; a bare code may itself start with "PR"
    text = text.translate(_CONFUSABLE)
    if len(text) != LENGTH or any(ch not in ALPHABET for ch in text):
        return None
    return PREFIX + text
