"""The flat export's tables as files: a CSV per table (streamed), or one Excel workbook.

CSV, for Power BI and any other tool: times in ISO 8601, in UTC with their offset
(``2026-03-02T10:00:00+00:00``), days as ``2026-03-02``, money as a decimal string
(``150.00``), booleans as ``true``/``false``, nothing as an empty cell.

Excel: a sheet per table, named as the table, with the same columns; times are Excel
date-times in UTC (Excel has no time zones), days are dates, money is a number. A workbook
is built whole, so each sheet stops at ``XLSX_LIMIT`` rows and the "About" sheet says so.

Every text cell goes through ``putright.spreadsheets``: text never runs as a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import patch_cache_control
from openpyxl import Workbook

from putright import spreadsheets
from putright.reports.export_scope import Scope
from putright.reports.flat import CHUNK, TABLES, Lookups, Table
from putright.spreadsheets import XLSX_LIMIT, guard, xlsx_cell

UTC = dt.UTC


def csv_cell(value: Any) -> str:
    """One value as the CSV writes it (see the module's docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC).isoformat(timespec="seconds")
    if isinstance(value, dt.date | int | Decimal):
        return str(value)
    return guard(str(value))


def csv_lines(table: Table, scope: Scope, lookups: Lookups, chunk: int = CHUNK) -> Iterator[str]:
    """The table as CSV text, a line at a time, read from the database as it is written."""
    return spreadsheets.csv_lines(table.names, table.rows(scope, lookups, chunk), csv_cell)


def csv_filename(table: Table, scope: Scope, now: dt.datetime) -> str:
    return f"putright-{table.name}-{_suffix(scope, now)}.csv"


def xlsx_filename(scope: Scope, now: dt.datetime) -> str:
    return f"putright-{_suffix(scope, now)}.xlsx"


def _suffix(scope: Scope, now: dt.datetime) -> str:
    parts = [scope.period_key, scope.organisation or "", f"{now.astimezone(UTC):%Y%m%d-%H%M}"]
    return "-".join(part for part in parts if part).lower().replace("..", "-to-")


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(UTC).replace(tzinfo=None)
    return value


def xlsx_bytes(
    scope: Scope,
    lookups: Lookups,
    tables: Iterable[Table] | None = None,
    *,
    limit: int = XLSX_LIMIT,
    chunk: int = CHUNK,
) -> bytes:
    """The workbook: a sheet per table (every table unless named), each at most ``limit`` rows,
    then an "About" sheet saying what it holds and where a sheet was cut short."""
    book = Workbook(write_only=True)
    written: list[tuple[Table, int, bool]] = []
    for table in tables if tables is not None else TABLES.values():
        sheet = book.create_sheet(table.name)
        sheet.append(table.names)
        count, cut_short = 0, False
        for values in table.rows(scope, lookups, min(chunk, limit + 1)):
            if count == limit:
                cut_short = True
                break
            sheet.append(
                [xlsx_cell(sheet, _xlsx_value(v), datetime_format="yyyy-mm-dd hh:mm:ss") for v in values]
            )
            count += 1
        written.append((table, count, cut_short))
    _about(book, scope, lookups.now, written, limit)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _about(
    book: Workbook, scope: Scope, now: dt.datetime, written: list[tuple[Table, int, bool]], limit: int
) -> None:
    about = book.create_sheet("About")
    about.append(["Exported", now.astimezone(UTC).isoformat(timespec="seconds")])
    about.append(["Covers", scope.label])
    about.append(["Times", "Every time is in UTC (the CSV files say so with +00:00)."])
    about.append(["Columns", "Each column is described in docs/reports-export.md and on the export page."])
    about.append([])
    about.append(["Sheet", "Rows", "What a row is", "Note"])
    for table, count, cut_short in written:
        note = f"Only the first {limit:,} rows: download the CSV for all." if cut_short else ""
        about.append([table.name, count, table.about, note])


def _private(response: HttpResponseBase, filename: str) -> None:
    """A download of the landlord's data: an attachment, never kept by a cache on the way."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    patch_cache_control(response, no_store=True, private=True)


def csv_response(table: Table, scope: Scope, now: dt.datetime) -> StreamingHttpResponse:
    """The table as a streamed CSV download: rows are read and sent a chunk at a time."""
    response = StreamingHttpResponse(
        csv_lines(table, scope, Lookups.read(now)), content_type="text/csv; charset=utf-8"
    )
    _private(response, csv_filename(table, scope, now))
    return response


def xlsx_response(scope: Scope, now: dt.datetime, tables: Iterable[Table] | None = None) -> HttpResponse:
    response = HttpResponse(
        xlsx_bytes(scope, Lookups.read(now), tables), content_type=spreadsheets.XLSX_CONTENT_TYPE
    )
    _private(response, xlsx_filename(scope, now))
    return response
