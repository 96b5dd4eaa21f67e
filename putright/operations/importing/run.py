"""Bringing an export in: read every row, check it, then write the good ones in batches.

Each batch is one transaction, so an interrupted run leaves whole complaints behind and
a second run skips every row whose reference is already in (resumable). A dry run does
all the reading and checking and writes nothing.
"""

from __future__ import annotations

import csv
import datetime as dt
import secrets
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation
from putright.cases.bulk import Table, reset_sequences, skip_foreign_key_triggers, write_order
from putright.cases.models import Complaint
from putright.cases.policies import calendar_for, current_policy, policy_of, register_current_policy
from putright.cases.references import ALPHABET, LENGTH, PREFIX
from putright.operations.importing.history import MODELS, Writer
from putright.operations.importing.mapping import Mapping, MappingError
from putright.operations.importing.rows import Incoming, Reader, Rejected

BATCH = 1_000
REASON = "reason"


@dataclass(frozen=True)
class Rejection:
    line: int
    row: dict[str, str]
    reason: str


@dataclass
class Outcome:
    """What a run did (or, dry, would do)."""

    rows: int = 0
    created: Counter[tuple[str, str]] = field(default_factory=Counter)  # (organisation, state)
    skipped: int = 0  # already imported, by their reference
    rejected: list[Rejection] = field(default_factory=list)
    seconds: float = 0.0
    stopped_at_limit: bool = False

    @property
    def count(self) -> int:
        return sum(self.created.values())

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0


def read_rows(
    path: Path, encoding: str = "utf-8-sig"
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and each row with its line number (a spreadsheet's BOM and quoting allowed)."""
    handle = path.open(encoding=encoding, newline="")
    reader = csv.DictReader(handle)
    header = list(reader.fieldnames or [])

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        with handle:
            for row in reader:
                yield reader.line_num, row

    return header, rows()


def check_header(header: list[str], mapping: Mapping) -> None:
    missing = [c for c in mapping.headers_needed() if c not in header]
    missing += [c for c in mapping.points_columns if c not in header]
    if missing:
        raise MappingError(
            f"the file has no column {', '.join(repr(c) for c in missing)} named in the mapping "
            f"(its columns: {', '.join(header)})"
        )


def import_complaints(
    path: Path,
    mapping: Mapping,
    *,
    dry_run: bool = False,
    limit: int | None = None,
    batch: int = BATCH,
    progress: TextIO | None = None,
    now: dt.datetime | None = None,
) -> Outcome:
    """Import (or with ``dry_run`` only check) every row of ``path``; ``limit`` stops after that
    many new complaints, as an interruption would."""
    now = now or timezone.now()
    header, rows = read_rows(path, mapping.encoding)
    check_header(header, mapping)
    record = register_current_policy() if not dry_run else None
    policy = policy_of(record) if record else current_policy().policy
    organisations = list(Organisation.objects.all())
    reader = Reader(mapping, organisations, {c.key for c in policy.eligibility.reasons_to_complain}, now)
    already = set(
        Complaint.objects.filter(source_system=mapping.source_system)
        .exclude(source_reference="")
        .values_list("source_reference", flat=True)
    )
    outcome, seen, pending = Outcome(), set[str](), list[Incoming]()
    writer = None
    if not dry_run:
        assert record is not None
        writer = Writer(
            {model: Table(model, now) for model in MODELS},
            record.pk,
            policy,
            {o.pk: calendar_for(policy, o) for o in organisations},
            mapping.source_system,
            now,
        )
    total = count_rows(path, mapping.encoding) if progress is not None else 0
    started = time.perf_counter()
    for line, raw in rows:
        outcome.rows += 1
        row = _checked(reader, line, raw, seen, already, outcome)
        if row is not None:
            if limit is not None and outcome.count >= limit:
                outcome.stopped_at_limit = True
                break
            outcome.created[(row.organisation.short_name, row.state.value)] += 1
            pending.append(row)
        if writer is not None and len(pending) >= batch:
            _write(writer, pending)
            pending = []
        if outcome.rows % batch == 0:
            _report(progress, outcome, started, total)
    if writer is not None and pending:
        _write(writer, pending)
    if outcome.rows % batch:
        _report(progress, outcome, started, total)
    outcome.seconds = time.perf_counter() - started
    return outcome


def _checked(
    reader: Reader, line: int, raw: dict[str, str], seen: set[str], already: set[str], outcome: Outcome
) -> Incoming | None:
    """The row read and checked, or None: rejected (the reason kept) or imported before (counted)."""
    try:
        row = reader.read(line, raw)
    except Rejected as error:
        outcome.rejected.append(Rejection(line, raw, str(error)))
        return None
    if row.reference in seen:
        outcome.rejected.append(Rejection(line, raw, f"duplicate reference {row.reference!r} in the file"))
        return None
    seen.add(row.reference)
    if row.reference in already:
        outcome.skipped += 1
        return None
    return row


def _write(writer: Writer, rows: list[Incoming]) -> None:
    """One batch in one transaction: all its complaints, or none of them."""
    references = _new_references(len(rows))
    with transaction.atomic():
        skip_foreign_key_triggers()
        for row, reference in zip(rows, references, strict=True):
            writer.add(row, reference)
        for model in write_order(MODELS):  # each search document built once (cases.bulk)
            writer.tables[model].flush()
        reset_sequences(MODELS)


def _new_references(count: int) -> list[str]:
    """putright's own references, of the form the services give (``cases.references``), none
    already given. Random like theirs, drawn a batch at a time: 256 is a multiple of 32, so
    each byte taken modulo 32 picks every character alike."""
    chosen: set[str] = set()
    while len(chosen) < count:
        drawn = secrets.token_bytes(LENGTH * (count - len(chosen)))
        wanted = {
            PREFIX + "".join(ALPHABET[b % len(ALPHABET)] for b in drawn[i : i + LENGTH])
            for i in range(0, len(drawn), LENGTH)
        } - chosen
        taken = set(Complaint.objects.filter(reference__in=wanted).values_list("reference", flat=True))
        chosen |= wanted - taken
    return list(chosen)


def _report(progress: TextIO | None, outcome: Outcome, started: float, total: int) -> None:
    """One line on the terminal, rewritten after each batch: how far, how many, how fast."""
    if progress is None:
        return
    rate = outcome.count / max(time.perf_counter() - started, 1e-9)
    progress.write(
        f"\r  {outcome.rows:,} of {total:,} rows ({outcome.rows / max(total, 1):.0%}): "
        f"{outcome.count:,} complaints imported, {rate:,.0f} a second"
    )
    progress.flush()


def count_rows(path: Path, encoding: str) -> int:
    """How many rows the file has (a quoted cell may hold a line break), for the progress line."""
    with path.open(encoding=encoding, newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


def write_rejects(path: Path, header: list[str], rejected: list[Rejection]) -> None:
    """The rejected rows as they were, with the reason in a last column: fix them and import that file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*header, REASON], extrasaction="ignore")
        writer.writeheader()
        for rejection in rejected:
            writer.writerow({**rejection.row, REASON: f"line {rejection.line}: {rejection.reason}"})
