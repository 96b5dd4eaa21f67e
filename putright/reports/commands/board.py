"""``putright report board --quarter 2026-Q2 [--organisation NAME] [--out FILE]``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError

from putright.accounts.models import Organisation
from putright.reports import board_report


class BoardReport:
    help = (
        "Make the quarterly board report (PDF) from the cases, keep it with its figures, "
        "and write it to --out if given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--quarter", required=True, help="A reporting quarter, like 2026-Q2 (July to September)."
        )
        parser.add_argument(
            "--organisation",
            help="An organisation's short name (and those below it); the whole group if left out.",
        )
        parser.add_argument("--out", help="Also write the PDF to this file.")

    def run(self, options: dict[str, Any], stdout: TextIO) -> None:
        if not board_report.is_quarter(options["quarter"]):
            raise CommandError(f"{options['quarter']!r} is not a quarter: give one like 2026-Q2")
        organisation = None
        if options.get("organisation"):
            organisation = Organisation.objects.filter(short_name__iexact=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"No organisation {options['organisation']!r}")
        document = board_report.make(quarter_key=options["quarter"], organisation=organisation, actor=None)
        if options.get("out"):
            Path(options["out"]).write_bytes(bytes(document.pdf))
        stdout.write(f"{document.title}: kept as document {document.pk}")
        if options.get("out"):
            stdout.write(f", written to {options['out']}")
        stdout.write("\n")
