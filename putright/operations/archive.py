"""One backup as one file: a tar of the database copy, the uploaded files and a manifest.

The manifest (``manifest.json``, the tar's last member) lists every other
member with its size and SHA-256, so a restore can prove each one whole; a
``NAME.tar.sha256`` file beside the archive holds the archive's own SHA-256 in
the form ``sha256sum -c`` reads, so an operator can check a copy anywhere.
The tar is not compressed: evidence is mostly photos and PDFs, already
compressed, and a plain tar can be listed with ``tar tf``.
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

from putright.operations.errors import BackupRefused

MANIFEST = "manifest.json"
FILES = "files"
CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while block := source.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def write(
    archive: Path, *, manifest: dict[str, Any], dump_file: Path, dump_name: str, files_root: Path
) -> Path:
    """Write the archive and its checksum file; return the checksum file.

    Written under a temporary name and renamed when complete, so a backup cut
    short (a full disk, a kill) never leaves a file that looks like a backup.
    """
    partial = archive.with_name(archive.name + ".partial")
    try:
        partial.touch(mode=0o600)  # personal data: readable by the service's user only
        with tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as tar:
            manifest["database"] = _add_file(tar, dump_name, dump_file)
            manifest["files"] = [
                {"path": relative, **_add(tar, f"{FILES}/{relative}", data)}
                for relative, data in _uploaded_files(files_root)
            ]
            body = json.dumps(manifest, indent=2, sort_keys=True).encode()
            _add(tar, MANIFEST, body)
        partial.replace(archive)
    finally:
        partial.unlink(missing_ok=True)
    checksum = archive.with_name(archive.name + ".sha256")
    checksum.write_text(f"{sha256_of(archive)}  {archive.name}\n")
    return checksum


def unpack_verified(archive: Path, staging: Path) -> dict[str, Any]:
    """Check the archive against its checksum file and manifest, unpacking it into ``staging``.

    Refuses (BackupRefused) at the first thing that does not match; only
    ``staging`` has been written to by then, and the caller removes it.
    """
    _check_archive_checksum(archive)
    found: dict[str, dict[str, Any]] = {}
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(archive, "r:") as tar:
            for member in tar:
                name = _safe_name(member)
                if name == MANIFEST:
                    manifest = json.loads(_open(tar, member).read())
                else:
                    found[name] = _unpack(_open(tar, member), staging / name)
    except (tarfile.TarError, json.JSONDecodeError, OSError) as broken:
        raise BackupRefused(f"{archive} is not a readable putright backup: {broken}") from None
    if manifest is None:
        raise BackupRefused(f"{archive} has no {MANIFEST}: it is not a putright backup")
    _check_members(manifest, found)
    return manifest


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> dict[str, Any]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600  # complaints and evidence are personal data
    tar.addfile(info, io.BytesIO(data))
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _add_file(tar: tarfile.TarFile, name: str, path: Path) -> dict[str, Any]:
    """Add the database copy (private, nothing else writes it) without reading it into memory."""
    info = tar.gettarinfo(str(path), arcname=name)
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    with path.open("rb") as source:
        tar.addfile(info, source)
    return {"size": info.size, "sha256": sha256_of(path)}


def _uploaded_files(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under the files folder, each read once so its hash is of the bytes archived."""
    if not root.is_dir():
        return
    for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
        yield path.relative_to(root).as_posix(), path.read_bytes()


def _check_archive_checksum(archive: Path) -> None:
    checksum = archive.with_name(archive.name + ".sha256")
    if not archive.is_file():
        raise BackupRefused(f"there is no backup at {archive}")
    if not checksum.is_file():
        raise BackupRefused(
            f"the checksum file {checksum.name} is missing beside {archive}: "
            "it is needed to prove the archive whole"
        )
    expected = checksum.read_text().split()[:1]
    if expected != [sha256_of(archive)]:
        raise BackupRefused(
            f"{archive.name} does not match its checksum in {checksum.name}: the archive is damaged "
            "or not the one the checksum was made for. Nothing was restored."
        )


def _check_members(manifest: dict[str, Any], found: dict[str, dict[str, Any]]) -> None:
    listed = {f"{FILES}/{entry['path']}": entry for entry in manifest.get("files", [])}
    database = manifest.get("database", {})
    listed[str(manifest.get("dump_name", ""))] = database
    for name, entry in listed.items():
        got = found.get(name)
        if got is None:
            raise BackupRefused(f"{name} is in the manifest but not in the archive. Nothing was restored.")
        if (got["size"], got["sha256"]) != (entry.get("size"), entry.get("sha256")):
            raise BackupRefused(f"{name} does not match its SHA-256 in the manifest. Nothing was restored.")
    extra = sorted(set(found) - set(listed))
    if extra:
        raise BackupRefused(f"the archive holds files its manifest does not list: {', '.join(extra[:5])}")


def _safe_name(member: tarfile.TarInfo) -> str:
    path = PurePosixPath(member.name)
    if not member.isfile() or path.is_absolute() or ".." in path.parts:
        raise BackupRefused(f"the archive holds {member.name!r}, which a putright backup never does")
    return path.as_posix()


def _open(tar: tarfile.TarFile, member: tarfile.TarInfo) -> IO[bytes]:
    source = tar.extractfile(member)
    if source is None:
        raise BackupRefused(f"{member.name} cannot be read from the archive")
    return source


def _unpack(source: IO[bytes], target: Path) -> dict[str, Any]:
    digest, size = hashlib.sha256(), 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        while block := source.read(CHUNK):
            digest.update(block)
            size += len(block)
            out.write(block)
    return {"size": size, "sha256": digest.hexdigest()}
