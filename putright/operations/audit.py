"""``putright audit verify``: name the first broken link of each case's timeline chain (issue 15, audit).

Exit 0 when every chain checked holds; 1 (a CommandError) when any is broken or the
reference names no case. The rule is ``putright.procedure.chain``; the check is
``putright.cases.selectors.chain.verify``, which the worker also runs weekly.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any, TextIO

from django.core.management.base import CommandError

from putright.cases.models import Complaint
from putright.cases.models.timeline import audit_key
from putright.cases.selectors.chain import UNKEYED, verify
from putright.cases.services.chain_heads import sign_heads


class Verify:
    help = (
        "Check one case's chain of timeline events (by reference) or every case's; "
        "exit 1 naming each first broken link."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("reference", nargs="?", help="a complaint's reference; every case when left out")

    def run(self, options: dict[str, Any], stdout: TextIO) -> None:
        complaints = Complaint.objects.all()
        if options.get("reference"):
            complaints = complaints.filter(reference=options["reference"])
            if not complaints.exists():
                raise CommandError(f"No complaint has the reference {options['reference']!r}.")
        result = verify(complaints)
        for broken in result.broken or []:
            stdout.write(f"BROKEN {broken}\n")
        if not result.ok:
            if not result.keyed:
                stdout.write(f"{UNKEYED}\n")
            raise CommandError(
                f"{len(result.broken or [])} of {result.cases} case(s) have a broken chain "
                f"({result.events} events checked)."
            )
        stdout.write(f"OK: {result.cases} case(s), {result.events} events, every chain holds.\n")
        # issue 15, chainhead: say plainly what an unkeyed chain does not stand against
        stdout.write(
            "The chain heads' signatures hold (PUTRIGHT_AUDIT_KEY).\n" if result.keyed else f"{UNKEYED}\n"
        )


class Sign:
    """issue 15, chainhead: after setting PUTRIGHT_AUDIT_KEY, sign the heads of the chains that hold."""

    help = (
        "Check every case's chain and sign the stored heads of those that hold with PUTRIGHT_AUDIT_KEY "
        "(once, after setting the key); a broken chain is named and left unsigned."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        pass

    def run(self, options: dict[str, Any], stdout: TextIO) -> None:
        if not audit_key():
            raise CommandError(
                "PUTRIGHT_AUDIT_KEY is not set: there is nothing to sign the chain heads with."
            )
        unsigned: list[int] = []
        result = verify(unsigned=unsigned)
        signed = sign_heads(unsigned)
        broken = result.broken or []
        for link in broken:
            stdout.write(f"BROKEN {link}\n")
        stdout.write(
            f"Signed {signed} head(s); {result.cases - len(broken)} of {result.cases} case(s) hold.\n"
        )
        if broken:
            raise CommandError(f"{len(broken)} case(s) have a broken chain and were not signed.")
