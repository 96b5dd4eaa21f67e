"""``putright backup [--to DIR]``: a consistent backup of the database and uploaded files, while serving."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.operations.backups import make_backup
from putright.operations.errors import BackupRefused


class Command(BaseCommand):
    help = (
        "Write one archive (database copy, uploaded files, manifest.json) and a .sha256 checksum file "
        "beside it, while the service runs. Secrets (SECRET_KEY, the environment) are not included."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            type=Path,
            default=None,
            help="folder to write the backup into (default: PUTRIGHT_DATA_DIR/backups)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        to = options["to"] or Path(settings.DATA_DIR) / "backups"
        started = time.monotonic()
        try:
            made = make_backup(to=to.resolve())
        except BackupRefused as refused:
            raise CommandError(f"No backup made: {refused}") from None
        self.stdout.write(
            f"Backed up the database and {made.files} files to {made.archive} "
            f"({made.size / 1_000_000:.1f} MB) in {time.monotonic() - started:.1f} s.\n"
            f"Checksum: {made.checksum} "
            f"(check a copy with `sha256sum -c {made.checksum.name}` in its folder)."
        )
