"""The filtered complaint list as a spreadsheet: CSV (streamed, every row) or Excel.

Both read the complaints in chunks through one query with its joins, so an
export costs the same few queries for ten rows or a hundred thousand. The CSV
streams as it is read; an Excel file has to be built whole, so it stops at
``XLSX_LIMIT`` rows and says so on its "About" sheet (the CSV has them all).

Text typed by a customer never runs as a formula: every cell goes through
``putright.spreadsheets`` (the one rule every export shares).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from openpyxl import Workbook

from putright import spreadsheets
from putright.cases.models import Complaint
from putright.cases.selectors.workload import Horizon
from putright.procedure.deadlines import Due, deadline_label
from putright.procedure.states import State, stage_label
from putright.procedure.wording import long_datetime
from putright.spreadsheets import XLSX_CONTENT_TYPE, XLSX_LIMIT, guard, xlsx_cell

CHUNK = 2_000

HEADINGS = (
    "Reference",
    "Received",
    "Organisation",
    "Customer",
    "Summary",
    "Reason for complaint",
    "State",
    "Stage",
    "Owner",
    "Team",
    "Next deadline",
    "Due at",
    "Overdue",
)


def _local(instant: dt.datetime | None, tz: dt.tzinfo) -> dt.datetime | None:
    """A wall-clock time in ``tz`` without its zone (spreadsheets have no zones)."""
    return None if instant is None else instant.astimezone(tz).replace(tzinfo=None)


def row(complaint: Complaint, when: Horizon, tz: dt.tzinfo) -> list[Any]:
    """One complaint's cells: text, wall-clock times in ``tz`` (or None), and Yes/No."""
    due_at = complaint.next_due_at
    return [
        complaint.reference,
        _local(complaint.received_at, tz),
        complaint.organisation.short_name,
        complaint.customer.full_name,
        complaint.summary,
        complaint.category,
        State(complaint.state).label,
        stage_label(complaint.stage),
        str(complaint.owner) if complaint.owner else "",
        complaint.team.name if complaint.team else "",
        deadline_label(complaint.next_due_name),
        _local(due_at, tz),
        "Yes" if when.due(complaint) is Due.OVERDUE else "No",
    ]


def _rows(complaints: QuerySet[Complaint], when: Horizon, tz: dt.tzinfo) -> Iterator[list[Any]]:
    for complaint in complaints.iterator(chunk_size=CHUNK):
        yield row(complaint, when, tz)


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return guard(str(value))


def csv_lines(rows: Iterable[list[Any]]) -> Iterator[str]:
    return spreadsheets.csv_lines(HEADINGS, rows, _csv_cell)


def _filename(now: dt.datetime, tz: dt.tzinfo, suffix: str) -> str:
    return f"complaints-{now.astimezone(tz):%Y-%m-%d-%H%M}.{suffix}"


def csv_response(complaints: QuerySet[Complaint], when: Horizon, tz: dt.tzinfo) -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        csv_lines(_rows(complaints, when, tz)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(when.now, tz, "csv")}"'
    return response


def xlsx_bytes(complaints: QuerySet[Complaint], when: Horizon, tz: dt.tzinfo) -> bytes:
    """The workbook: a "Complaints" sheet (at most XLSX_LIMIT rows) and an "About" sheet."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Complaints")
    sheet.append(list(HEADINGS))
    written, cut_short = 0, False
    for cells in _rows(complaints[: XLSX_LIMIT + 1], when, tz):
        if written == XLSX_LIMIT:
            cut_short = True
            break
        sheet.append([xlsx_cell(sheet, value) for value in cells])
        written += 1
    about = book.create_sheet("About")
    about.append(["Exported", long_datetime(when.now.astimezone(tz), weekday=True)])
    about.append(["Complaints", written])
    if cut_short:
        about.append(["Note", f"Only the first {XLSX_LIMIT:,} complaints are included: export CSV for all."])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(complaints: QuerySet[Complaint], when: Horizon, tz: dt.tzinfo) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(complaints, when, tz), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(when.now, tz, "xlsx")}"'
    return response
