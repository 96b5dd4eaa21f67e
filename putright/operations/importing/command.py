"""``putright import complaints FILE.csv --mapping MAP.toml [--dry-run] [--rejects PATH] [--limit N]``."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import IntegrityError

from putright.operations.importing.mapping import MappingError, load_mapping
from putright.operations.importing.run import (
    Outcome,
    import_complaints,
    read_rows,
    write_rejects,
)


class ImportComplaints:
    help = (
        "Import complaints from another system's CSV export, as a mapping file describes its "
        "columns. A dry run checks every row and changes nothing; a real run writes the good rows "
        "in batches, skips rows already imported (so it can be run again after an interruption) and "
        "writes the rejected rows, with the reason, to a CSV beside the file (or --rejects)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path, help="the CSV export")
        parser.add_argument("--mapping", type=Path, required=True, help="the mapping file (TOML)")
        parser.add_argument("--dry-run", action="store_true", help="check and report; change nothing")
        parser.add_argument(
            "--rejects",
            type=Path,
            help="where to write the rejected rows (CSV); by default FILE-rejected.csv beside the file, "
            "and on a dry run only when given",
        )
        parser.add_argument("--limit", type=int, help="stop after importing this many complaints")

    def run(self, options: dict[str, Any], stdout: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        try:
            mapping = load_mapping(options["mapping"])
            progress = sys.stderr if sys.stderr.isatty() else None
            outcome = import_complaints(
                path, mapping, dry_run=options["dry_run"], limit=options["limit"], progress=progress
            )
        except MappingError as error:
            raise CommandError(str(error)) from None
        except UnicodeDecodeError as error:
            raise CommandError(
                f"{path} is not {_charset(mapping.encoding)} text ({error.reason} at byte {error.start:,}): "
                'name its character set in the mapping, e.g. encoding = "cp1252" for a Windows export'
            ) from None
        except IntegrityError as error:
            raise CommandError(
                f"a batch could not be written ({error}); the batches before it are in. Something else "
                "wrote to the same tables meanwhile: run the same command again, it resumes."
            ) from None
        if progress is not None:
            progress.write("\n")
        dry = options["dry_run"]
        # A dry run writes the rejected rows only where it is told to: it leaves the export's folder alone.
        rejects = options["rejects"] or (None if dry else path.with_name(f"{path.stem}-rejected.csv"))
        if outcome.rejected and rejects is not None:
            write_rejects(rejects, read_rows(path, mapping.encoding)[0], outcome.rejected)
        _report(stdout, outcome, mapping.source_system, dry)
        if outcome.rejected and rejects is not None:
            stdout.write(f"The rejected rows, with the reason, are in {rejects}\n")


def _report(stdout: Any, outcome: Outcome, source: str, dry: bool) -> None:
    verb = "Would import" if dry else "Imported"
    stdout.write(
        f"{verb} {outcome.count:,} complaints from {source} ({outcome.rows:,} rows read; "
        f"{outcome.skipped:,} already imported, skipped; {len(outcome.rejected):,} rejected)"
        + ("" if dry else f" in {outcome.seconds:.1f} s, {outcome.rate:,.0f} a second")
        + ".\n"
    )
    if outcome.stopped_at_limit:
        stdout.write("Stopped at --limit: run it again without it to import the rest.\n")
    organisations = sorted({organisation for organisation, _ in outcome.created})
    for organisation in organisations:
        states = {s: n for (o, s), n in sorted(outcome.created.items()) if o == organisation}
        total = sum(states.values())
        stdout.write(f"  {organisation}: {total:,} ({', '.join(f'{s} {n:,}' for s, n in states.items())})\n")
    if outcome.rejected:
        stdout.write(f"{'Would reject' if dry else 'Rejected'}:\n")
        for rejection in outcome.rejected:
            stdout.write(f"  line {rejection.line}: {rejection.reason}\n")
    if dry:
        stdout.write("Dry run: nothing was changed.\n")


def _charset(encoding: str) -> str:
    return "UTF-8" if encoding == "utf-8-sig" else encoding
