"""``putright retention``: apply the retention periods in force, or show them (issue 15).

The worker runs it daily (its ``housekeeping`` job). ``--dry-run`` counts what
would go and changes nothing; ``--show`` prints the period in force for each
record type, and whether it is the landlord's or the default.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from putright.cases.services import retention

_DONE = {
    retention.RecordType.COMPLAINTS: "anonymised",
}


class Command(BaseCommand):
    help = (
        "Anonymise complaints whose retention period has ended (not those under legal hold) and remove "
        "old drafts, rate-limit records and delivered emails' attachments."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Count what would go; change nothing.")
        parser.add_argument(
            "--show", action="store_true", help="Show the retention in force; change nothing."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["show"]:
            self.show()
            return
        dry_run = options["dry_run"]
        counts = retention.apply_retention(timezone.now(), dry_run=dry_run)
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
        for kind in retention.RECORD_TYPES:
            done = _DONE.get(kind.record_type, "removed")
            verb = f"would be {done}" if dry_run else done
            self.stdout.write(f"{kind.record_type.value}: {counts[kind.record_type]} {verb}")

    def show(self) -> None:
        for record_type, force in retention.in_force().items():
            kind = force.kind
            where = (
                "the default"
                if force.is_default
                else f"set by the landlord; default {kind.words(kind.default)}"
            )
            self.stdout.write(f"{record_type.value}: {force.words} ({where}) - {force.kind.label}")
