"""``putright report annual --year 2025-26 [--organisation NAME] [--out FILE]``: make and keep the PDF."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError

from putright.reports.commands.tsm import organisation_by_name, system_user
from putright.reports.scope import reporting_year
from putright.reports.services.annual import make_annual_report


class AnnualCommand:
    help = "The annual complaints performance and service improvement report (PDF), kept with its figures."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--year", required=True, help="A reporting year, for example 2025-26.")
        parser.add_argument("--organisation", help="Short name or name (default: the group).")
        parser.add_argument("--out", help="Also write the PDF to this file.")

    def run(self, options: dict[str, Any], stdout: TextIO) -> None:
        try:
            period = reporting_year(options["year"])
        except ValueError as bad:
            raise CommandError(str(bad)) from None
        organisation = organisation_by_name(options.get("organisation"))
        document = make_annual_report(
            user=system_user(), period=period, organisation=organisation, actor=None
        )
        if options.get("out"):
            Path(options["out"]).write_bytes(bytes(document.pdf))
        stdout.write(
            f"Made “{document.title}” (document {document.pk}, {len(bytes(document.pdf)):,} bytes).\n"
        )
