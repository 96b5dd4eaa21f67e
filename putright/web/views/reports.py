"""The reports dashboard: every table with its chart, each figure a link to the complaints behind it,
each table as CSV or Excel; and the button that makes the quarterly board report.

For managers and the board (``VIEW_REPORTS``); the board report for those who prepare the
board's documents (``PREPARE_REPORTS``). Other roles are refused (403) as on every
capability page. The period and organisation come from a GET form: a bad value is an error
on its field and nothing is counted.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import urlencode
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from putright.accounts.models import Organisation
from putright.accounts.permissions import Capability, can
from putright.reports import board_report, periods
from putright.reports.dashboard import Dashboard, Table, dashboard, scope_for
from putright.reports.present import plain, shown
from putright.reports.scope import document_organisation
from putright.spreadsheets import XLSX_CONTENT_TYPE, csv_lines, guard, xlsx_cell
from putright.web.access import staff_user, staff_view
from putright.web.forms.reports import ReportsForm


def _board(request: HttpRequest) -> tuple[ReportsForm, Dashboard | None]:
    """The form and, when it is valid, the dashboard it asks for."""
    user = staff_user(request)
    form = ReportsForm(request.GET or {}, user=user, today=timezone.localdate())
    if not form.is_valid():
        return form, None
    scope = scope_for(user, form.chosen_organisation())
    return form, dashboard(scope, form.chosen_period(), now=timezone.now())


@staff_view(Capability.VIEW_REPORTS)
def reports_page(request: HttpRequest) -> HttpResponse:
    form, board = _board(request)
    context: dict[str, Any] = {"form": form, "board": board}
    if board is not None:
        query = urlencode(form.query())
        year = periods.year_containing(board.period.start).key
        context |= {
            "tables": [shown(t) for t in board.tables],
            "query": query,
            "tsm_url": f"{reverse('web:tsm')}?{urlencode({'year': year})}",
            "year": year,
            "may_prepare": can(staff_user(request), Capability.PREPARE_REPORTS),
            "board_quarter": board.period.key if board_report.is_quarter(board.period.key) else None,
        }
    return render(request, "web/reports/dashboard.html", context)


def _table(board: Dashboard, name: str) -> Table:
    found = next((t for t in board.tables if t.name == name), None)
    if found is None:
        raise Http404("No such table")
    return found


@staff_view(Capability.VIEW_REPORTS)
def table_download(request: HttpRequest, name: str, suffix: str) -> HttpResponse:
    """One table as CSV or Excel, for the same period and organisation; never kept by a cache."""
    _, board = _board(request)
    if board is None:
        return redirect(f"{reverse('web:reports')}?{request.GET.urlencode()}")
    table = _table(board, name)
    filename = f"putright-{table.name}-{board.period.key}.{suffix}".replace("..", "-to-")
    if suffix == "csv":
        response = HttpResponse(table_csv(table), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(table_xlsx(table, board), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    patch_cache_control(response, no_store=True, private=True)
    return response


def _cells(table: Table) -> list[list[Any]]:
    return [[row.label, *(plain(c.value) for c in row.cells)] for row in table.rows]


def table_csv(table: Table) -> str:
    """The table as CSV (UTF-8 with a byte-order mark for Excel); text is never a formula."""
    headings = [table.headings[0] or table.title, *table.headings[1:]]
    return "".join(csv_lines(headings, _cells(table), _csv_cell))


def _csv_cell(value: Any) -> str:
    return guard(value) if isinstance(value, str) else ("" if value is None else str(value))


def table_xlsx(table: Table, board: Dashboard) -> bytes:
    """The table as an Excel workbook: the figures, and an "About" sheet saying what they count."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(table.name[:31])
    sheet.append([table.headings[0] or table.title, *table.headings[1:]])
    for cells in _cells(table):
        sheet.append([xlsx_cell(sheet, value) for value in cells])
    about = book.create_sheet("About")
    for label, value in (
        ("Table", table.title),
        ("Period", board.period.label),
        ("Organisations", board.scope.label),
        ("Made", board.made_at.astimezone(timezone.get_current_timezone()).strftime("%Y-%m-%d %H:%M")),
        ("Note", table.note),
    ):
        about.append([xlsx_cell(about, label), xlsx_cell(about, value)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@staff_view(Capability.PREPARE_REPORTS)
@require_POST
def make_board_report(request: HttpRequest) -> HttpResponse:
    """Make and keep the quarterly board report for the dashboard's quarter and organisation."""
    user = staff_user(request)
    form = ReportsForm(request.POST, user=user, today=timezone.localdate())
    if not form.is_valid() or not board_report.is_quarter(form.cleaned_data["period"]):
        messages.error(request, "Choose a quarter to make the board report for.")
        return redirect("web:reports")
    try:
        organisation = document_organisation(user, form.chosen_organisation())
    except Organisation.DoesNotExist:
        raise Http404("You do not work for an organisation") from None
    document = board_report.make(
        quarter_key=form.cleaned_data["period"], organisation=organisation, actor=user
    )
    messages.success(request, f"{document.title} made and kept with the figures it was made from.")
    return redirect("web:report-documents")


urlpatterns = [
    path("reports/", reports_page, name="reports"),
    path("reports/tables/<slug:name>.csv", table_download, {"suffix": "csv"}, name="reports-table-csv"),
    path("reports/tables/<slug:name>.xlsx", table_download, {"suffix": "xlsx"}, name="reports-table-xlsx"),
    path("reports/board/", make_board_report, name="reports-board"),
]
