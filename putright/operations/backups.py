"""Back putright up while it serves, and bring a backup back into an empty installation.

What a backup holds: the database (a consistent snapshot) and every uploaded
file under MEDIA_ROOT (evidence, logos, letters, reports kept), with a
manifest. What it does not: SECRET_KEY and the rest of the environment, the
delivered-mail folder and collected static files, which are either secrets
kept elsewhere or made again from the code.

The database is copied first, then the files: a file uploaded in between is
archived without a row that names it (harmless), never the other way round,
because uploaded files are not deleted while their rows exist.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils import timezone

from putright.operations import archive, databases
from putright.operations.errors import BackupRefused

FORMAT = 1


@dataclass(frozen=True)
class Backup:
    archive: Path
    checksum: Path
    files: int
    size: int


@dataclass(frozen=True)
class Restored:
    files: int
    created_at: str
    putright_version: str
    unapplied: list[str]


def make_backup(*, to: Path, now: dt.datetime | None = None) -> Backup:
    """Write ``putright-backup-<UTC time>.tar`` and its ``.sha256`` into ``to``."""
    when = (now or timezone.now()).astimezone(dt.UTC)
    vendor = databases.vendor()
    if to.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve()):
        raise BackupRefused(f"{to} is inside the files folder, so each backup would hold the last")
    to.mkdir(parents=True, exist_ok=True)
    target = to / f"putright-backup-{when:%Y%m%dT%H%M%SZ}.tar"
    if target.exists():
        raise BackupRefused(f"{target} already exists: wait a second and run the backup again")
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "putright_version": version("putright"),
        "created_at": when.isoformat(),
        "database_vendor": vendor,
        "dump_name": databases.DUMP_NAMES[vendor],
        "migrations": databases.applied_migrations(),
    }
    with tempfile.TemporaryDirectory(prefix="putright-backup-", dir=to) as work:
        dump_file = Path(work) / manifest["dump_name"]
        databases.dump(dump_file)
        checksum = archive.write(
            target,
            manifest=manifest,
            dump_file=dump_file,
            dump_name=manifest["dump_name"],
            files_root=Path(settings.MEDIA_ROOT),
        )
    return Backup(archive=target, checksum=checksum, files=len(manifest["files"]), size=target.stat().st_size)


def restore_backup(*, archive_path: Path) -> Restored:
    """Restore a backup into an empty database and an empty files folder.

    Everything that can refuse does so before the database or files are
    touched: the checksums, the vendor, a backup from a newer putright, a
    database or files folder that is not empty.
    """
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    # Unpacked beside the files folder, so the files move into place without a second copy.
    with tempfile.TemporaryDirectory(prefix="putright-restore-", dir=media.parent) as work:
        staging = Path(work)
        manifest = archive.unpack_verified(archive_path, staging)
        _check_fits(manifest, media)
        dump_file = staging / manifest["dump_name"]
        databases.check_dump(dump_file, manifest["database_vendor"])
        databases.load(dump_file)
        files = _put_files(staging / archive.FILES, media)
    return Restored(
        files=files,
        created_at=manifest["created_at"],
        putright_version=manifest["putright_version"],
        unapplied=databases.unapplied_migrations(),
    )


def _check_fits(manifest: dict[str, Any], media: Path) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupRefused(f"this backup's format ({manifest.get('format')}) is not one this putright reads")
    here, there = databases.vendor(), manifest["database_vendor"]
    if here != there:
        raise BackupRefused(
            f"this is a {there} backup and DATABASE_URL points at {here}: restore it into the same "
            "kind of database (moving between SQLite and PostgreSQL is not supported by backup and restore)"
        )
    newer = databases.unknown_migrations(manifest["migrations"])
    if newer:
        raise BackupRefused(
            f"this backup was made by a newer putright ({manifest['putright_version']}), with "
            f"migrations this version does not have ({', '.join(newer[:3])}): "
            "install that version or newer, then restore"
        )
    held = databases.landlord_data()
    if held:
        raise BackupRefused(
            f"the database is not empty (it holds {', '.join(held)}): restore only into a new, "
            "empty database, so nothing is overwritten"
        )
    if media.is_dir() and any(p.is_file() for p in media.rglob("*")):
        raise BackupRefused(f"the files folder {media} is not empty: restore only into an empty one")


def _put_files(unpacked: Path, media: Path) -> int:
    media.mkdir(parents=True, exist_ok=True)
    if not unpacked.is_dir():
        return 0
    count = 0
    for path in sorted(p for p in unpacked.rglob("*") if p.is_file()):
        target = media / path.relative_to(unpacked)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(path, target)
        count += 1
    return count
