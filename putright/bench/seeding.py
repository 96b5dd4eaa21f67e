"""``putright bench seed --complaints N``: fill the current database at scale, in bulk.

The world first (the demo's organisations and staff, a few hundred more staff, homes per
stock type and year), then complaints in batches of 5,000, each batch one transaction,
with a progress line on stderr; then VACUUM ANALYZE (PostgreSQL) or ANALYZE (SQLite), so
that measurements see the database as production would after autovacuum.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from argparse import ArgumentParser
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TextIO

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from putright.bench.stories import MODELS, SHOWCASE, Generator
from putright.bench.world import build_world
from putright.cases.bulk import (
    Table,
    Taken,
    database_cpu_seconds,
    reset_sequences,
    skip_foreign_key_triggers,
    vacuum_and_analyse,
    write,
    write_order,
)
from putright.cases.demo import DEFAULT_PASSWORD
from putright.cases.models import Complaint

BATCH = 5_000


@dataclass(frozen=True)
class Filled:
    rows: dict[str, int]  # per table, by model label
    seconds: float  # writing the complaints, without the world before them or ANALYZE after
    cpu_seconds: float  # of this process only, for a machine shared with others
    database_cpu_seconds: float | None  # of the PostgreSQL backend, when it can be read

    @property
    def rate(self) -> float:
        return self.rows["cases.Complaint"] / self.seconds


PASSWORD_VARIABLE = "PUTRIGHT_DEMO_PASSWORD"  # noqa: S105 - the name of a variable, not a password


def seed(
    complaints: int,
    *,
    seed: int = 2026,
    years: int = 5,
    now: dt.datetime | None = None,
    batch: int = BATCH,
    progress: TextIO | None = None,
) -> Filled:
    """Write ``complaints`` complaints and everything about them; return the rows written per table.

    The same seed, ``now`` and starting database give the same rows.
    """
    now = now or timezone.now()
    password = os.environ.get(PASSWORD_VARIABLE) or DEFAULT_PASSWORD
    with transaction.atomic():
        world = build_world(password, timezone.localdate(now), years)
    tables = {model: Table(model, now) for model in MODELS}
    generator = Generator(world, tables, seed, now, years)
    order = write_order(MODELS)
    made, started, cpu = 0, time.perf_counter(), time.process_time()
    with Writer(background=Writer.can_overlap()) as writer:
        while made < complaints:
            size = min(batch, complaints - made)
            for n in range(made, made + size):
                generator.complaint(SHOWCASE[n] if n < len(SHOWCASE) else "")
            generator.learning_actions(size)
            # Each complaint's timeline is made whole in its batch, so chaining it (``take``)
            # needs no head stored by the batch still being written.
            writer.write([(model._meta.label, tables[model].take()) for model in order])
            made += size
            if progress is not None:
                rate = made / (time.perf_counter() - started)
                share = made / complaints
                line = f"  {made:,} of {complaints:,} complaints ({share:.0%}), {rate:,.0f} a second\n"
                progress.write(line)
                progress.flush()
    reset_sequences(MODELS)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    written = {model._meta.label: writer.written.get(model._meta.label, 0) for model in MODELS}
    return Filled(written, seconds, cpu, writer.database_cpu_seconds)


def _close_connection() -> None:
    connection.close()  # of the thread it runs on: ``connection`` is each thread's own


class Writer:
    """Writes each batch in one transaction; on PostgreSQL, on a thread and connection of its own.

    Making a batch is Python's work and writing it is mostly the database's (COPY, the
    indexes, the search documents), in another process: written in the background, batch N
    is written while batch N+1 is made, so the two use both cores instead of taking turns.
    One batch at most is in flight: ``write`` waits for the one before, so a failure stops
    the fill at the next batch and memory holds two batches at most. Not inside a
    transaction (a test's), whose rows another connection could not see, nor on SQLite,
    whose one writer would wait for the other.
    """

    def __init__(self, *, background: bool) -> None:
        self.background = background
        self.written: dict[str, int] = {}
        self.database_cpu_seconds: float | None = 0.0
        self._pool = ThreadPoolExecutor(max_workers=1) if background else None
        self._pending: Future[None] | None = None

    @staticmethod
    def can_overlap() -> bool:
        return connection.vendor == "postgresql" and not connection.in_atomic_block

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._wait()
        finally:
            if self._pool is not None:
                self._pool.submit(_close_connection).result()
                self._pool.shutdown()

    def write(self, batch: list[tuple[str, Taken]]) -> None:
        self._wait()
        if self._pool is None:
            self._write(batch)
        else:
            self._pending = self._pool.submit(self._write, batch)

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()  # raises the writer's error, if it had one

    def _write(self, batch: list[tuple[str, Taken]]) -> None:
        before = database_cpu_seconds()
        with transaction.atomic():
            skip_foreign_key_triggers()
            for label, taken in batch:
                self.written[label] = self.written.get(label, 0) + write(taken)
        after = database_cpu_seconds()
        if before is None or after is None or self.database_cpu_seconds is None:
            self.database_cpu_seconds = None
        else:
            self.database_cpu_seconds += after - before


class Seed:
    help = (
        "Fill the current database with N made-up complaints over the last years, in bulk "
        "(the demo's organisations and staff, a few hundred more staff, homes, customers, and "
        "complaints in every state with their stages, deadlines, responses, learning and remedies), "
        "then VACUUM ANALYZE. Refuses a database that already has complaints unless --append, and "
        "refuses production."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--complaints", type=int, required=True, help="how many complaints")
        parser.add_argument("--seed", type=int, default=2026, help="seed for repeatable data (default 2026)")
        parser.add_argument("--years", type=int, default=5, help="spread over this many years (default 5)")
        parser.add_argument("--append", action="store_true", help="add to a database that has complaints")

    def run(self, options: dict[str, Any], stdout: Any) -> None:
        count, years = options["complaints"], options["years"]
        if count < 1 or years < 1:
            raise CommandError("--complaints and --years must be at least 1")
        if settings.PRODUCTION:
            raise CommandError(
                "putright bench seed refuses to run in production (PUTRIGHT_ENV=production): "
                "it makes up thousands of complaints."
            )
        existing = Complaint.objects.count()
        if existing and not options["append"]:
            raise CommandError(
                f"the database already has {existing:,} complaints: use an empty database, or --append"
            )
        where = connection.settings_dict["NAME"]
        stdout.write(f"Seeding {count:,} complaints into {connection.vendor} database {where}…\n")
        started = time.perf_counter()
        filled = seed(count, seed=options["seed"], years=years, progress=sys.stderr)
        seconds = time.perf_counter() - started
        database = (
            f" and {filled.database_cpu_seconds:.1f} s of the database's"
            if filled.database_cpu_seconds
            else ""
        )
        stdout.write(
            f"Wrote {sum(filled.rows.values()):,} rows: {filled.rate:,.0f} complaints a second "
            f"({filled.seconds:.1f} s, {filled.cpu_seconds:.1f} s of this process's CPU"
            f"{database}; "
            f"{seconds:.1f} s with the organisations and staff).\n"
        )
        for label, rows in filled.rows.items():
            stdout.write(f"  {label:<32}{rows:>12,}\n")
        stdout.write(
            "Staff sign in with the demo's password; rachel.turner (a Senior Manager of the group) "
            "sees every organisation.\n"
        )
        analysed = time.perf_counter()
        statement = vacuum_and_analyse()
        stdout.write(f"{statement} took {time.perf_counter() - analysed:.1f} s.\n")
