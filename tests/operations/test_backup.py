"""``putright backup`` and ``putright restore``, run as an operator runs them, on SQLite and PostgreSQL.

Each installation is a data folder (and on PostgreSQL a database made here and
dropped after) driven by real ``putright`` processes: the demo is loaded with
evidence files, a writer process keeps adding notes while the backup is taken,
and the backup is restored into a new, empty installation. The notes are how
consistency shows: each is written with its timeline event in one
transaction, so a snapshot taken part-way holds both or neither.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

PUTRIGHT = Path(sys.executable).with_name("putright")
SHA256SUM = shutil.which("sha256sum") or "/usr/bin/sha256sum"  # coreutils, as an operator checks a copy
BASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = BASE_URL.startswith(("postgres://", "postgresql://"))
# One worker runs this module (scripts/test: --dist loadgroup), so the demo is loaded and backed up once.
pytestmark = pytest.mark.xdist_group("backup")
VENDORS = [
    "sqlite",
    pytest.param(
        "postgresql", marks=pytest.mark.skipif(not ON_POSTGRES, reason="DATABASE_URL is not PostgreSQL")
    ),
]

PREPARE = """
from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.cases.services import evidence
admin = User.objects.get(username="admin")
from putright.cases.errors import StepNotAllowed
files = [
    ("photo of the damp.png", b"\\x89PNG\\r\\n\\x1a\\n" + bytes(range(256)) * 40),
    ("surveyor report.pdf", b"%PDF-1.4\\n" + bytes(reversed(range(256))) * 30 + b"\\n%%EOF\\n"),
    ("my timeline.txt", "Damp since March; reported 3 times. \\u00a3120 spent on heaters.".encode()),
]
cases = iter(Complaint.objects.order_by("pk"))
while files:  # only an open complaint takes evidence
    try:
        evidence.attach(next(cases), name=files[0][0], content=files[0][1], actor=admin)
    except StepNotAllowed:
        continue
    files.pop(0)
"""

WRITER = """
import time
from django.conf import settings
from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.cases.services.notes import add_note
here = settings.DATA_DIR
admin = User.objects.get(username="admin")
cases = list(Complaint.objects.order_by("pk")[:5])
written = 0
while not (here / "stop").exists():
    add_note(cases[written % len(cases)], text=f"Writer note {written}", actor=admin)
    written += 1
    (here / "progress").write_text(str(written))
    time.sleep(0.005)
"""

SNAPSHOT = """
import hashlib, json, pathlib
from django.conf import settings
from putright.cases.models import Attachment, CaseNote, Complaint, EventKind, TimelineEvent
events = TimelineEvent.objects.select_related("complaint").order_by("pk")
media = pathlib.Path(settings.MEDIA_ROOT)
print(json.dumps({
    "complaints": [
        list(c) for c in Complaint.objects.order_by("pk").values_list("reference", "state", "version")
    ],
    "timeline": [
        [e.complaint.reference, e.kind, e.summary, e.occurred_at.isoformat()]
        for e in events if e.kind != EventKind.NOTE_ADDED
    ],
    "notes": [[n.pk, n.text] for n in CaseNote.objects.order_by("pk")],
    "note_events": sorted(e.data["note"] for e in events if e.kind == EventKind.NOTE_ADDED),
    "attachments": [
        [a.complaint.reference, a.name, a.file.name, a.size, a.sha256]
        for a in Attachment.objects.select_related("complaint").order_by("pk")
    ],
    "files": {
        p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(media.rglob("*")) if p.is_file()
    },
}))
"""


@dataclass
class Installation:
    """One putright installation: a data folder and, on PostgreSQL, a database of its own."""

    data_dir: Path
    database_url: str = ""

    def env(self) -> dict[str, str]:
        env = {**os.environ, "PUTRIGHT_DATA_DIR": str(self.data_dir)}
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        return env

    def run(self, *args: str, check: bool = True, timeout: int = 300) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [str(PUTRIGHT), *args],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and done.returncode != 0:
            raise AssertionError(f"putright {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done

    def snapshot(self) -> dict[str, Any]:
        return json.loads(self.run("shell", "--no-imports", "-c", SNAPSHOT).stdout.splitlines()[-1])

    def is_untouched(self) -> bool:
        """No tables in the database and no uploaded files: as a new installation is."""
        if (self.data_dir / "media").exists() and any(
            p.is_file() for p in (self.data_dir / "media").rglob("*")
        ):
            return False
        if self.database_url:
            import psycopg

            with psycopg.connect(self.database_url) as db:
                row = db.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
                return row is not None and row[0] == 0
        database = self.data_dir / "putright.sqlite3"
        if not database.exists():
            return True
        with sqlite3.connect(database) as db:
            return db.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0] == 0


@dataclass
class Installations:
    """Makes installations for one vendor and removes their PostgreSQL databases at the end."""

    root: Path
    vendor: str
    made: list[str] = field(default_factory=list)

    def new(self, name: str) -> Installation:
        data_dir = self.root / name
        data_dir.mkdir()
        if self.vendor == "sqlite":
            return Installation(data_dir)
        # Named for the xdist worker too, so two workers never share a database.
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        database = f"{urlsplit(BASE_URL).path.lstrip('/') or 'putright'}_backup_{worker}_{name}"
        _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        _admin(f'CREATE DATABASE "{database}"')
        self.made.append(database)
        return Installation(data_dir, urlunsplit(urlsplit(BASE_URL)._replace(path=f"/{database}")))

    def remove_all(self) -> None:
        for database in self.made:
            _admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(BASE_URL, dbname="postgres", autocommit=True) as db:
        db.execute(sql)  # type: ignore[arg-type]


@dataclass
class Source:
    installation: Installation
    archive: Path
    notes_before_backup: int
    backup_output: str
    after: dict[str, Any]


@pytest.fixture(scope="module", params=VENDORS)
def installations(request, tmp_path_factory) -> Iterator[Installations]:
    made = Installations(tmp_path_factory.mktemp(request.param), request.param)
    try:
        yield made
    finally:
        made.remove_all()


@pytest.fixture(scope="module")
def source(installations) -> Source:
    """The demo with evidence, backed up while a writer keeps adding notes."""
    live = installations.new("source")
    live.run("migrate", "--no-input")
    live.run("demo", "--complaints", "8")
    live.run("shell", "--no-imports", "-c", PREPARE)
    writer = subprocess.Popen(
        [str(PUTRIGHT), "shell", "--no-imports", "-c", WRITER],
        env=live.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    progress = live.data_dir / "progress"
    try:
        notes_before = _wait_for_notes(progress, at_least=5, writer=writer)
        made = live.run("backup", "--to", str(live.data_dir.parent / "backups-source"))
        _wait_for_notes(progress, at_least=_notes(progress) + 5, writer=writer)
    finally:
        (live.data_dir / "stop").touch()
        _, errors = writer.communicate(timeout=60)
    assert writer.returncode == 0, errors
    (archive,) = (live.data_dir.parent / "backups-source").glob("*.tar")
    return Source(live, archive, notes_before, made.stdout, live.snapshot())


def _notes(progress: Path) -> int:
    return int(progress.read_text() or 0) if progress.exists() else 0


def _wait_for_notes(progress: Path, *, at_least: int, writer: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 120
    while _notes(progress) < at_least:
        assert writer.poll() is None, f"the writer stopped: {writer.communicate()[1]}"
        assert time.monotonic() < deadline, "the writer wrote too few notes in two minutes"
        time.sleep(0.05)
    return _notes(progress)


def test_a_backup_taken_while_writing_restores_whole_into_an_empty_installation(installations, source):
    archive = source.archive
    assert archive.name.startswith("putright-backup-") and "Checksum:" in source.backup_output
    checked = subprocess.run(
        [SHA256SUM, "-c", archive.name + ".sha256"],
        cwd=archive.parent,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0 and f"{archive.name}: OK" in checked.stdout

    fresh = installations.new("fresh")
    restored_output = fresh.run("restore", str(archive)).stdout
    assert "Restored the database and 3 files" in restored_output
    assert "Its migrations match this version" in restored_output
    restored, before = fresh.snapshot(), source.after

    assert len(restored["complaints"]) == 8
    assert restored["complaints"] == before["complaints"]
    assert restored["timeline"] == before["timeline"] and len(restored["timeline"]) > 8 * 3
    # Consistent: every note came with its timeline event, and none of the later ones leaked in.
    note_ids = [note_id for note_id, _ in restored["notes"]]
    assert restored["note_events"] == note_ids
    assert source.notes_before_backup <= len(note_ids) < len(before["notes"])
    assert restored["notes"] == before["notes"][: len(note_ids)]
    # The evidence: its rows and its bytes.
    assert len(restored["attachments"]) == 3 and restored["attachments"] == before["attachments"]
    assert restored["files"] == before["files"]
    for _, _, name, _, sha256 in restored["attachments"]:
        assert restored["files"][name] == sha256


def test_the_manifest_lists_versions_migrations_and_every_file(source):
    import tarfile

    with tarfile.open(source.archive) as tar:
        names = tar.getnames()
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest = json.loads(member.read())
    vendor = "sqlite" if not source.installation.database_url else "postgresql"
    assert manifest["database_vendor"] == vendor
    assert manifest["putright_version"] and manifest["created_at"]
    assert "0001_initial" in manifest["migrations"]["cases"]
    assert sorted(f"files/{entry['path']}" for entry in manifest["files"]) == sorted(
        name for name in names if name.startswith("files/")
    )
    assert {len(entry["sha256"]) for entry in manifest["files"]} == {64}
    # Not the delivered mail, and no secret.
    assert not any(name.startswith("files/mail") for name in names)
    assert "SECRET_KEY" not in json.dumps(manifest)
    # Personal data: the archive is readable by the service's user only.
    assert source.archive.stat().st_mode & 0o777 == 0o600


def test_a_damaged_archive_is_refused_before_anything_is_touched(installations, source, tmp_path):
    damaged = _copy(source.archive, tmp_path)
    _flip_a_byte_of_the_database(damaged)
    target = installations.new("after-damage")

    refused = target.run("restore", str(damaged), check=False)

    assert refused.returncode != 0
    assert "does not match its checksum" in refused.stderr and "Nothing was restored" in refused.stderr
    assert target.is_untouched()


def test_a_damaged_file_is_refused_even_with_a_checksum_made_for_it(installations, source, tmp_path):
    """Someone "fixed" the checksum file after the damage: the manifest's hashes still catch it."""
    damaged = _copy(source.archive, tmp_path)
    _flip_a_byte_of_the_database(damaged)
    digest = subprocess.run(
        [SHA256SUM, damaged.name], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    (tmp_path / (damaged.name + ".sha256")).write_text(digest.stdout)
    target = installations.new("after-rehash")

    refused = target.run("restore", str(damaged), check=False)

    assert refused.returncode != 0
    assert "database" in refused.stderr and "does not match its SHA-256 in the manifest" in refused.stderr
    assert target.is_untouched()


def test_restoring_into_a_database_with_data_is_refused(source):
    before = source.installation.snapshot()

    refused = source.installation.run("restore", str(source.archive), check=False)

    assert refused.returncode != 0
    assert "the database is not empty (it holds " in refused.stderr and " complaints" in refused.stderr
    assert source.installation.snapshot() == before


def test_a_migrated_but_empty_database_takes_a_restore(installations, source):
    """An operator who ran `putright migrate` on the new machine first can still restore: the rows
    the migrations load themselves are not a landlord's data (pg_restore replaces the tables)."""
    if installations.vendor == "sqlite":
        pytest.skip("SQLite's restore replaces the whole file; the PostgreSQL run covers this")
    migrated = installations.new("migrated")
    migrated.run("migrate", "--no-input")

    migrated.run("restore", str(source.archive))

    assert migrated.snapshot()["attachments"] == source.after["attachments"]


@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL beside SQLite")
def test_a_sqlite_backup_is_refused_by_postgresql(installations, source, tmp_path):
    if installations.vendor != "sqlite":
        pytest.skip("one direction is enough")
    target = Installations(tmp_path, "postgresql")  # not the module's: it is SQLite here
    try:
        pg = target.new("cross")
        refused = pg.run("restore", str(source.archive), check=False)
        assert refused.returncode != 0
        assert "this is a sqlite backup and DATABASE_URL points at postgresql" in refused.stderr
        assert pg.is_untouched()
    finally:
        target.remove_all()


def _copy(archive: Path, folder: Path) -> Path:
    copy = folder / archive.name
    copy.write_bytes(archive.read_bytes())
    (folder / (archive.name + ".sha256")).write_bytes(
        archive.with_name(archive.name + ".sha256").read_bytes()
    )
    return copy


def _flip_a_byte_of_the_database(archive: Path) -> None:
    import tarfile

    with tarfile.open(archive) as tar:
        member = next(m for m in tar.getmembers() if m.name.startswith("database."))
    with archive.open("r+b") as raw:
        raw.seek(member.offset_data + member.size // 2)
        byte = raw.read(1)
        raw.seek(-1, os.SEEK_CUR)
        raw.write(bytes([byte[0] ^ 0xFF]))


def test_a_backup_is_not_written_into_the_files_folder_it_backs_up(tmp_path):
    empty = Installation(tmp_path)

    refused = empty.run("backup", "--to", str(tmp_path / "media" / "backups"), check=False)

    assert refused.returncode != 0
    assert "is inside the files folder, so each backup would hold the last" in refused.stderr
    assert not (tmp_path / "media").exists()
