"""The database half of a backup: a consistent copy taken while the service runs, and put back.

SQLite is copied with its online backup API, which reads one snapshot of the
database while other processes carry on writing (WAL mode). PostgreSQL is
dumped by ``pg_dump``, which reads one snapshot in a single transaction, and
restored by ``pg_restore`` in a single transaction, so a failed restore leaves
the database as it was. The connection's password goes to the tools through
the environment (``PGPASSWORD``), never on a command line others can read.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Mapping
from pathlib import Path

from django.apps import apps
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from putright.operations.errors import BackupRefused

#: The file the database is kept as inside the archive, by vendor.
DUMP_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
POSTGRES_CLIENT_HINT = (
    "install Debian's PostgreSQL client tools, of the server's major version or newer: "
    "`apt-get install postgresql-client`"
)


def vendor() -> str:
    """The database in use, as Django names it ("sqlite" or "postgresql")."""
    if connection.vendor not in DUMP_NAMES:
        raise BackupRefused(
            f"putright cannot back up a {connection.vendor} database, only SQLite or PostgreSQL"
        )
    return connection.vendor


def dump(target: Path) -> None:
    """Write a consistent copy of the database in use to ``target``."""
    if vendor() == "sqlite":
        _sqlite_backup(Path(connection.settings_dict["NAME"]), target)
    else:
        _run_postgres_tool("pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}")


def load(dump_file: Path) -> None:
    """Put a dump into the database in use, which the caller has found empty."""
    if vendor() == "sqlite":
        _sqlite_replace(dump_file, Path(connection.settings_dict["NAME"]))
    else:
        # --clean drops the empty tables `putright migrate` may have made first; one
        # transaction, so an error part-way leaves nothing half-restored.
        _run_postgres_tool(
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--single-transaction",
            "--exit-on-error",
            f"--dbname={connection.settings_dict['NAME']}",  # host, user, password: _postgres_env
            str(dump_file),
        )
    connection.close()


def check_dump(dump_file: Path, vendor_name: str) -> None:
    """Refuse a database copy that its own tool cannot read, before anything is touched."""
    if vendor_name == "sqlite":
        copy = sqlite3.connect(f"file:{dump_file}?mode=ro", uri=True)
        try:
            verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        except sqlite3.DatabaseError as broken:
            raise BackupRefused(f"the database in the archive cannot be read: {broken}") from None
        finally:
            copy.close()
        if verdict != "ok":
            raise BackupRefused(f"the database in the archive fails SQLite's integrity check: {verdict}")
    else:
        _run_postgres_tool("pg_restore", "--list", str(dump_file))


#: What a landlord's data is made of. A database without any of these holds nothing to lose, even
#: with the rows `putright migrate` loads itself (letter templates, learning lists, footer pages).
LANDLORD_DATA = {
    "accounts.User": "staff accounts",
    "accounts.Organisation": "organisations",
    "cases.Customer": "customers",
    "cases.Complaint": "complaints",
}


def landlord_data() -> list[str]:
    """What the database in use already holds of a landlord's data, e.g. ["12 complaints"]."""
    existing = set(connection.introspection.table_names())
    held = []
    with connection.cursor() as cursor:
        for label, words in LANDLORD_DATA.items():
            table = apps.get_model(label)._meta.db_table
            if table not in existing:
                continue
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # nosec B608 # noqa: S608 - a model's table
            count = cursor.fetchone()[0]
            if count:
                held.append(f"{count} {words}")
    return held


def applied_migrations() -> dict[str, list[str]]:
    """The migrations recorded as applied in the database in use, by app."""
    recorder = MigrationRecorder(connection)
    if not recorder.has_table():
        return {}
    applied: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def unknown_migrations(applied: Mapping[str, list[str]]) -> list[str]:
    """Applied migrations this version of putright does not have: the data is from a newer version."""
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, names in applied.items() for name in names if (app, name) not in known]


def unapplied_migrations() -> list[str]:
    """Migrations of this version not yet applied to the database in use."""
    loader = MigrationLoader(connection)
    plan = []
    for leaf in loader.graph.leaf_nodes():
        for node in loader.graph.forwards_plan(leaf):
            if node not in loader.applied_migrations and node not in plan:
                plan.append(node)
    return [f"{app}.{name}" for app, name in plan]


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupRefused(f"there is no database at {source}: check PUTRIGHT_DATA_DIR")
    # Read-only: a backup must never be the process that changes the live file.
    live = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
    copy = sqlite3.connect(target)
    try:
        live.backup(copy)  # every page in one step: one snapshot, writers carry on in WAL mode
    except sqlite3.Error as failed:
        raise BackupRefused(f"SQLite could not copy {source}: {failed}") from None
    finally:
        copy.close()
        live.close()


def _sqlite_replace(dump_file: Path, live: Path) -> None:
    """Put the copy in place of the (empty) database file in one rename, once it is whole beside it."""
    connection.close()
    live.parent.mkdir(parents=True, exist_ok=True)
    staged = live.with_name(live.name + ".restoring")
    shutil.copyfile(dump_file, staged)
    # The empty database's journal must not be replayed over the restored file.
    for journal in (live.with_name(live.name + "-wal"), live.with_name(live.name + "-shm")):
        journal.unlink(missing_ok=True)
    staged.replace(live)


def _run_postgres_tool(tool: str, *args: str) -> None:
    program = shutil.which(tool)
    if program is None:
        raise BackupRefused(f"{tool} was not found: {POSTGRES_CLIENT_HINT}")
    done = subprocess.run(  # noqa: S603 - a fixed tool, arguments we built
        [program, *args], env=_postgres_env(), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupRefused(f"{tool} failed: {done.stderr.strip() or done.stdout.strip()}")


def _postgres_env() -> dict[str, str]:
    """Where the tools connect: the database Django uses, the password out of argv."""
    settings = connection.settings_dict
    env = {**os.environ, "PGDATABASE": str(settings["NAME"])}
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    return env
