"""``putright setup FILE [--dry-run] [--reinvite USERNAME]``: put a landlord in from its file."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.operations.landlord import set_up
from putright.operations.landlord_file import LandlordFileError


class Command(BaseCommand):
    help = (
        "Create or update the landlord's organisations, homes, teams, staff (each new member of staff "
        "is invited by email), policy and closure days from one TOML file; see "
        "deploy/landlord.example.toml. A mistake anywhere in the file applies nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the landlord file (TOML)")
        parser.add_argument("--dry-run", action="store_true", help="print what would change, change nothing")
        parser.add_argument(
            "--reinvite",
            action="append",
            default=[],
            metavar="USERNAME",
            help="send this member of staff a new invitation (repeat for several)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            outcome = set_up(options["file"], dry_run=options["dry_run"], reinvite=options["reinvite"])
        except LandlordFileError as error:
            lines = "\n".join(f"  {mistake}" for mistake in error.mistakes)
            count = len(error.mistakes)
            raise CommandError(
                f"{error.source}: {count} mistake{'s' if count > 1 else ''}, nothing was changed:\n{lines}",
                returncode=2,
            ) from None
        if not outcome.changes:
            self.stdout.write("Nothing to change: the database already says what the file says.")
            return
        verb = "Would change" if options["dry_run"] else "Changed"
        self.stdout.write(f"{verb} {len(outcome.changes)} thing(s):")
        for change in outcome.changes:
            self.stdout.write(f"  {change}")
        if outcome.invited:
            sent = "would be invited" if options["dry_run"] else "invited by email (the worker delivers it)"
            self.stdout.write(f"Staff {sent}: {', '.join(outcome.invited)}")
        if not options["dry_run"] and any(c.startswith("policy ") for c in outcome.changes):
            self.stdout.write(_policy_note())


def _policy_note() -> str:
    if os.environ.get("PUTRIGHT_POLICY", "").strip():
        return (
            f"PUTRIGHT_POLICY is set ({settings.PUTRIGHT_POLICY}), so it stays in force: unset it to use "
            f"{settings.LANDLORD_POLICY_FILE}."
        )
    return "Restart the web server and the worker to put the new policy in force."
