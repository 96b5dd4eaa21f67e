"""``putright restore ARCHIVE``: bring a backup back into an empty database and files folder."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.operations.backups import restore_backup
from putright.operations.errors import BackupRefused


class Command(BaseCommand):
    help = (
        "Restore a backup made by `putright backup` into the empty database of DATABASE_URL and the "
        "empty files folder of PUTRIGHT_DATA_DIR. The archive's checksum and every file's SHA-256 are "
        "checked first: a damaged archive is refused before anything is changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive", type=Path, help="the .tar written by `putright backup` (its .sha256 beside it)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        try:
            restored = restore_backup(archive_path=options["archive"].resolve())
        except BackupRefused as refused:
            raise CommandError(f"Not restored: {refused}") from None
        self.stdout.write(
            f"Restored the database and {restored.files} files from the backup made at "
            f"{restored.created_at} by putright {restored.putright_version}, "
            f"in {time.monotonic() - started:.1f} s."
        )
        if restored.unapplied:
            self.stdout.write(
                f"The backup is from an older version: {len(restored.unapplied)} migrations are not applied "
                f"yet ({', '.join(restored.unapplied[:3])}…). Read `putright upgrade_notes`, then run "
                "`putright migrate`."
            )
        else:
            self.stdout.write("Its migrations match this version: putright can start.")
