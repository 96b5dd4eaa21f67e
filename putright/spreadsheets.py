"""Cells for spreadsheets that are safe to open: CSV streamed line by line, and Excel cells.

Shared by every export (the complaint list's in ``web.export``, the reports' flat export in
``reports.flat_files``), so that one rule protects them all:

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) would run
as a formula when the file is opened in a spreadsheet ("CSV injection"): text typed by a
customer must never do that. Such CSV cells get a leading apostrophe; Excel cells are
written as plain text.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

#: The most rows an Excel sheet of an export holds: a workbook is built whole in memory,
#: so it stops here and says so; the CSV (streamed) has every row.
XLSX_LIMIT = 100_000
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    """Text that a spreadsheet will show, never run: a formula-like start gets an apostrophe."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


class _Echo:
    """A file that hands back what is written, for the csv module to stream through."""

    def write(self, value: str) -> str:
        return value


def csv_lines(
    headings: Sequence[str], rows: Iterable[Sequence[Any]], cell: Callable[[Any], str]
) -> Iterator[str]:
    """The CSV text, a line at a time: a byte-order mark (so that Excel reads UTF-8), the
    headings, then each row with every value written by ``cell`` (which must ``guard`` text)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(headings)
    for values in rows:
        yield writer.writerow([cell(value) for value in values])


def xlsx_cell(
    sheet: WriteOnlyWorksheet, value: Any, *, datetime_format: str = "yyyy-mm-dd hh:mm"
) -> WriteOnlyCell:
    """An Excel cell: text stays text even when it starts with "=" (openpyxl would make it a
    formula); a datetime (without its zone: Excel has none) and a date get a readable format."""
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    elif isinstance(value, dt.datetime):
        cell.number_format = datetime_format
    elif isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    return cell
