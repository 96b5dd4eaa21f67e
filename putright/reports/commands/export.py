"""``putright report export``: a table of the flat export as CSV, or a workbook (issue 13, export).

The command line sees every organisation (it runs as the operator of the installation);
``--organisation`` narrows it to one and those below it. See docs/reports-export.md.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import CommandError, OutputWrapper
from django.utils import timezone

from putright.cases.errors import InvalidInput
from putright.reports.export_scope import Scope, export_scope
from putright.reports.flat import TABLES, Lookups, Table
from putright.reports.flat_files import csv_lines, xlsx_bytes


class Export:
    help = "The flat export for business-intelligence tools: one table as CSV, or an Excel workbook."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--table", choices=list(TABLES), help="The table (every table in a workbook if left out)."
        )
        parser.add_argument(
            "--period", default="", help="2025-26, 2026-Q1 or 2026-04-01..2026-05-15; all if left out."
        )
        parser.add_argument("--organisation", default="", help="A short name: it and those below it.")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "--out", type=Path, help="The file to write (CSV goes to standard output without it)."
        )

    def run(self, options: dict[str, Any], stdout: OutputWrapper) -> None:
        try:
            scope = export_scope(user=None, period=options["period"], organisation=options["organisation"])
        except InvalidInput as refused:
            raise CommandError(f"--{refused.field}: {refused.detail}") from None
        table = TABLES[options["table"]] if options["table"] else None
        lookups = Lookups.read(timezone.now())
        if options["format"] == "xlsx":
            self._workbook(scope, lookups, table, options["out"], stdout)
            return
        if table is None:
            raise CommandError("--table: a CSV file holds one table; choose one of " + ", ".join(TABLES))
        if options["out"] is None:
            for line in csv_lines(table, scope, lookups):
                stdout.write(line, ending="")
            return
        with _open(options["out"]) as file:
            file.writelines(csv_lines(table, scope, lookups))
        stdout.write(f"Wrote {table.name} to {options['out']}")

    def _workbook(
        self, scope: Scope, lookups: Lookups, table: Table | None, out: Path | None, stdout: OutputWrapper
    ) -> None:
        if out is None:
            raise CommandError("--out: a workbook is a file; name the file to write")
        body = xlsx_bytes(scope, lookups, [table] if table else None)
        try:
            out.write_bytes(body)
        except OSError as error:
            raise CommandError(f"--out: cannot write {out}: {error.strerror}") from None
        stdout.write(f"Wrote the workbook to {out}")


def _open(path: Path) -> TextIO:
    try:
        return path.open("w", encoding="utf-8", newline="")
    except OSError as error:
        raise CommandError(f"--out: cannot write {path}: {error.strerror}") from None
