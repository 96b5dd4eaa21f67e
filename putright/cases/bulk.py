"""Rows written straight into the tables: COPY on PostgreSQL, one executemany on SQLite.

Building a Django model instance and passing it through ``bulk_create`` costs tens of
microseconds a row; a complaint here is some twenty rows, and the generator must write
a thousand complaints a second. So each table is filled with plain tuples in the order
of its model's concrete fields, with ids given up front (from the table's current
maximum), and written in one statement per table and batch. Values are converted once
per column to what the database takes (SQLite has no date types).

Written for ``putright bench seed`` (issue 13) and kept here, below the commands, so that
``putright import complaints`` (issue 14) writes its rows the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models
from django.db.models import Max

from putright.cases.models.timeline import TimelineEvent, store_heads, stored_data, stored_head
from putright.procedure import chain

MISSING = object()


def _sqlite_datetime(value: dt.datetime) -> str:
    """As Django stores it on SQLite: UTC, without a zone ("2026-04-15 07:32:00")."""
    if value.tzinfo is not dt.UTC:
        value = value.astimezone(dt.UTC)
    return str(value)[:-6]  # without "+00:00"


_encoder = DjangoJSONEncoder()


def _json(value: Any) -> str:
    return value if isinstance(value, str) else _encoder.encode(value)


def _converter(field: models.Field[Any, Any], vendor: str) -> Callable[[Any], Any] | None:
    if isinstance(field, models.JSONField):
        return _json
    if vendor != "sqlite":
        return None  # psycopg adapts dates, times and decimals itself
    if isinstance(field, models.DateTimeField):
        return _sqlite_datetime
    if isinstance(field, models.DateField):
        return dt.date.isoformat
    if isinstance(field, models.DecimalField):
        return str
    return None


class Table:
    """The rows of one model's table for the current batch, and the next id to give."""

    def __init__(self, model: type[models.Model], stamp: dt.datetime) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        vendor = connection.vendor
        self.converters = [
            (i, fn) for i, f in enumerate(self.fields) if (fn := _converter(f, vendor)) is not None
        ]
        # Defaults are converted once here; ``flush`` leaves a value alone that is still its default.
        self.defaults = [self._default(f, stamp) for f in self.fields]
        for i, fn in self.converters:
            if self.defaults[i] not in (None, MISSING):
                self.defaults[i] = fn(self.defaults[i])
        self.rows: list[list[Any]] = []
        self.next_id = (model._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1
        # issue 15, audit: timeline rows are chained at each flush (putright/procedure/chain.py)
        self.chain = EventChain(self) if model is TimelineEvent else None

    @staticmethod
    def _default(field: models.Field[Any, Any], stamp: dt.datetime) -> Any:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return stamp
        if field.has_default():
            return field.get_default()
        if field.null:
            return None
        if field.blank and isinstance(field, models.CharField | models.TextField):
            return ""
        return MISSING

    def new_id(self) -> int:
        given = self.next_id
        self.next_id += 1
        return given

    def add(self, **values: Any) -> int:
        """Add a row (attribute names, ``complaint_id``); a row without ``id`` gets the next one."""
        row = self.defaults.copy()
        if "id" not in values:
            values["id"] = self.new_id()
        index = self.index
        for name, value in values.items():
            row[index[name]] = value
        self.rows.append(row)
        return values["id"]  # type: ignore[no-any-return]

    def flush(self) -> int:
        """Write the batch's rows in one statement and forget them; return how many."""
        return write(self.take())

    def take(self) -> Taken:
        """The batch's rows made ready to write (chained, converted), and forgotten here.

        Apart from ``write`` so that a writer may write one batch on a connection of its
        own while the next is being made (``putright bench seed``).
        """
        rows, self.rows = self.rows, []
        columns = [f.column for f in self.fields]
        if not rows:
            return Taken(self.model._meta.db_table, columns, rows, {})
        if MISSING in rows[0]:
            missing = [f.name for f, v in zip(self.fields, rows[0], strict=True) if v is MISSING]
            raise ValueError(f"{self.model.__name__}: no value for {', '.join(missing)}")
        heads: dict[int, tuple[str, int]] = {}
        if self.chain is not None:
            # At the flush, not as rows are added: a generator may take back rows it added.
            for row in rows:
                self.chain.link(row)
            heads = self.chain.forget()
        defaults = self.defaults
        for row in rows:
            for i, fn in self.converters:
                value = row[i]
                if value is not None and value is not defaults[i]:
                    row[i] = fn(value)
        return Taken(self.model._meta.db_table, columns, rows, heads)


@dataclass(frozen=True)
class Taken:
    """One table's rows of a batch, ready to write, and the cases' chain heads they leave."""

    table: str
    columns: list[str]
    rows: list[list[Any]]
    heads: dict[int, tuple[str, int]]


def write(taken: Taken) -> int:
    """Write one table's batch in one statement, on the current thread's connection; how many rows."""
    if not taken.rows:
        return 0
    _write(taken.table, taken.columns, taken.rows)
    store_heads(taken.heads)  # issue 15, chainhead: the batch's cases' heads, one statement
    return len(taken.rows)


class EventChain:
    """Hashes for timeline rows written in bulk, each chained to its case's previous event.

    Rows are chained at the flush, in id order. The heads of the cases in the batch are
    kept in memory and forgotten after each flush (a million cases' heads would not fit a
    small machine). A case not seen in this batch is new (its id above every case seen so
    far: it chains to GENESIS) or older (its stored head is read from the database, where
    an earlier batch wrote it). The batch's heads are stored with it (issue 15, chainhead).
    """

    def __init__(self, table: Table) -> None:
        from putright.cases.models import Complaint

        self.index = table.index
        self.heads: dict[int, tuple[str, int]] = {}
        self.highest_seen = Complaint.objects.aggregate(top=Max("pk"))["top"] or 0

    def link(self, row: list[Any]) -> None:
        at = self.index
        complaint = row[at["complaint_id"]]
        head = self.heads.get(complaint)
        if head is None:
            head = (chain.GENESIS, 0) if complaint > self.highest_seen else stored_head(complaint)
        previous, count = head
        data = row[at["data"]]
        data = json.loads(data) if isinstance(data, str) else stored_data(data)
        text = chain.text_digest(row[at["summary"]], data)
        content = chain.content(
            complaint=complaint,
            kind=row[at["kind"]],
            stage=row[at["stage_number"]],
            occurred_at=row[at["occurred_at"]],
            actor=row[at["actor_id"]],
            actor_label=row[at["actor_label"]],
            text=text,
        )
        row[at["text_digest"]] = text
        row[at["hash"]] = latest = chain.event_hash(previous, content)
        self.heads[complaint] = (latest, count + 1)

    def forget(self) -> dict[int, tuple[str, int]]:
        """Forget the batch's heads, and give them back to be stored with the batch."""
        heads, self.heads = self.heads, {}
        if heads:
            self.highest_seen = max(self.highest_seen, max(heads))
        return heads


def _write(table: str, columns: list[str], rows: list[list[Any]]) -> None:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)  # nosec # noqa: S608 (a table name we quote, ? placeholders)


def write_order(models_written: Iterable[type[models.Model]]) -> list[type[models.Model]]:
    """The models in the order their batches are best written: points and contacts before complaints.

    A complaint's search document (``cases.search_index``) holds its points' and contacts'
    words, and the search triggers rebuild it whenever a complaint, point or contact is
    written. Written complaints first, each document would be built three times a batch (and
    on PostgreSQL left two dead rows behind): with the complaint, again with its points, again
    with its contacts. Written after their points and contacts, a complaint's document is built
    once, with everything in it; the points' and contacts' triggers find no complaint yet and
    do nothing. Foreign keys are checked at commit (Django makes them deferred), so the order
    is free. Customers still come before their complaints: the document holds their names.
    """
    from putright.cases.models import Complaint, Contact, Point

    ordered = list(models_written)
    if Complaint not in ordered:
        return ordered
    first = [m for m in ordered if m in (Point, Contact)]
    rest = [m for m in ordered if m not in first]
    at = rest.index(Complaint)
    return [*rest[:at], *first, *rest[at:]]


def skip_foreign_key_triggers() -> bool:
    """On PostgreSQL as a superuser, stop checking foreign keys row by row for this transaction.

    Each foreign key is a trigger run per row at commit, and they cost more than the COPY
    itself; the ids written here are made here, from rows written in the same batch or
    before. Returns False where this is not allowed (not a superuser, or SQLite).
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def database_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend, when it runs on this machine
    and /proc can be read; None otherwise (SQLite's time is this process's own)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def reset_sequences(models_written: Iterable[type[models.Model]]) -> None:
    """After ids given by hand, PostgreSQL's sequences must start after them (SQLite needs nothing)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_written)):
            cursor.execute(sql)


def vacuum_and_analyse() -> str:
    """Statistics for the planner, as a production database would have them after autovacuum.

    VACUUM cannot run inside a transaction (a test's): there, ANALYZE alone. Returns what ran.
    """
    statement = "ANALYZE"
    if connection.vendor == "postgresql" and not connection.in_atomic_block:
        statement = "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)
    return statement
