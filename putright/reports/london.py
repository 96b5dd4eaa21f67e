"""A moment's London date and month, worked out inside the database on both databases.

The reports group a year of cases by their London dates (working days are counted on dates)
and by month. Django's ``TruncDate(..., tzinfo=...)`` is native on PostgreSQL, but on SQLite it
calls back into Python for every row (``django_datetime_cast_date`` parses the text, builds an
aware datetime and converts it): at 100,000 complaints that was most of the dashboard's time.

SQLite has no time zones, but London's rule since 1996 is short enough to write in SQL: summer
time (UTC+1) runs from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
of October, and the last Sunday of a month of 31 days is the first Sunday on or after the 25th
(SQLite's ``'weekday 0'``). Django stores a moment on SQLite as UTC text
("2026-03-29 01:00:00[.ffffff]"), which compares as text in time order, so the shift is a
CASE over native functions, applied to the whole seconds (SQLite would round 23:59:59.9999
up). PostgreSQL reads the zone itself (``AT TIME ZONE``). Both give what
``astimezone(Europe/London)`` gives for any moment from 1996 on (tests pin the changes).
"""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import DateField, Func
from django.db.models.sql.compiler import SQLCompiler

ZONE = "Europe/London"


def _sqlite_local(inner: str) -> str:
    """SQL for the London wall-clock time of the UTC text ``inner`` (it appears five times)."""
    year = f"substr({inner}, 1, 4)"
    starts = f"datetime(date({year} || '-03-25', 'weekday 0'), '+1 hours')"
    ends = f"datetime(date({year} || '-10-25', 'weekday 0'), '+1 hours')"
    # Whole seconds first: SQLite rounds 23:59:59.9999 up to the next day.
    summer = f"{inner} >= {starts} AND {inner} < {ends}"
    return f"datetime(substr({inner}, 1, 19), CASE WHEN {summer} THEN '+1 hours' ELSE '+0 hours' END)"


class _London(Func):
    output_field = DateField()
    arity = 1
    #: PostgreSQL: the London wall-clock time, cut as the subclass says.
    postgres = ""
    #: SQLite: a function of the London wall-clock text, with its modifiers.
    sqlite = ""

    def as_sql(  # type: ignore[override]
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        inner, params = compiler.compile(self.source_expressions[0])
        return self.postgres.format(inner=inner), [*params, ZONE]

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, list[Any]]:
        inner, params = compiler.compile(self.source_expressions[0])
        return self.sqlite.format(local=_sqlite_local(f"({inner})")), list(params) * 5


class LondonDate(_London):
    """The London date of a moment (None of None)."""

    postgres = "(({inner}) AT TIME ZONE %s)::date"
    sqlite = "date({local})"


class LondonMonth(_London):
    """The first day of the London month of a moment (None of None)."""

    postgres = "(DATE_TRUNC('month', ({inner}) AT TIME ZONE %s))::date"
    sqlite = "date({local}, 'start of month')"
