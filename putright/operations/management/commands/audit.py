"""``putright audit verify [REFERENCE]``: check the timeline chains (issue 15, audit).

``putright audit sign``: sign the heads of the chains that hold (issue 15, chainhead).
"""

from __future__ import annotations

from typing import ClassVar

from putright.subcommands import TableCommand


class Command(TableCommand):
    help = "The record that cannot be rewritten: check each case's chain of timeline events."
    metavar = "ACTION"
    table: ClassVar[dict[str, str]] = {
        "verify": "putright.operations.audit:Verify",
        "sign": "putright.operations.audit:Sign",
    }
