"""The flat export for business-intelligence tools (issue 13, export): its page and downloads.

The page (a GET form: period, organisation, table, format) sends a complete choice on to its
download, and lists a link to each table for the filters chosen, with every column described.
The downloads read their filters from the query string through the same form, so a bad
period or an organisation the user does not work for is refused (400) with the page and its
error summary; an unknown table is not found (404).
"""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from putright.accounts.permissions import Capability
from putright.reports.export_scope import Scope
from putright.reports.flat import KEY_COLUMNS, TABLES, table_named
from putright.reports.flat_files import csv_response, xlsx_response
from putright.web.access import staff_user, staff_view
from putright.web.forms.report_export import ExportForm

TEMPLATE = "web/reports_export.html"


@staff_view(Capability.VIEW_REPORTS)
def export_page(request: HttpRequest) -> HttpResponse:
    """The choices, and the links for them; a complete, valid choice goes straight to its file."""
    form = ExportForm(request.GET or None, user=staff_user(request))
    if form.is_bound and form.is_valid() and form.cleaned_data.get("format"):
        return redirect(
            _download_url(form.cleaned_data.get("format"), form.cleaned_data.get("table"), form.query())
        )
    return _page(request, form)


def _page(request: HttpRequest, form: ExportForm) -> HttpResponse:
    refused = form.is_bound and not form.is_valid()
    query = None if refused else form.query()
    context: dict[str, Any] = {
        "form": form,
        "tables": list(TABLES.values()),
        "keys": KEY_COLUMNS,
        "key_count": len(KEY_COLUMNS),
        "links": None if query is None else _links(query),
        "covers": (form.scope or Scope()).label,
    }
    return render(request, TEMPLATE, context, status=400 if refused else 200)


def _download_url(kind: str | None, table: str | None, query: dict[str, str]) -> str:
    if kind == "csv" and table:
        address = reverse("web:report-export-csv", kwargs={"table": table})
    else:
        address = reverse("web:report-export-workbook")
        query = query | ({"table": table} if table else {})
    return f"{address}?{urlencode(query)}" if query else address


def _links(query: dict[str, str]) -> list[tuple[str, str]]:
    """(words, address) for each table's CSV, then the workbook."""
    return [
        *((f"{name}.csv", _download_url("csv", name, query)) for name in TABLES),
        ("putright.xlsx (every table)", _download_url("xlsx", None, query)),
    ]


def _checked(request: HttpRequest) -> ExportForm:
    return ExportForm(request.GET, user=staff_user(request))


@staff_view(Capability.VIEW_REPORTS)
def export_csv(request: HttpRequest, table: str) -> HttpResponse:
    """One table as CSV, streamed as it is read."""
    found = table_named(table)
    if found is None:
        raise Http404("No such table in the export")
    form = _checked(request)
    if not form.is_valid() or form.scope is None:
        return _page(request, form)
    # A streamed response: staff_view's type names HttpResponse, the base it shares.
    return cast(HttpResponse, csv_response(found, form.scope, timezone.now()))


@staff_view(Capability.VIEW_REPORTS)
def export_workbook(request: HttpRequest) -> HttpResponse:
    """Every table (or the one asked for with ``table``) as one Excel workbook."""
    form = _checked(request)
    if not form.is_valid() or form.scope is None:
        return _page(request, form)
    table = form.cleaned_data.get("table")
    return xlsx_response(form.scope, timezone.now(), [TABLES[table]] if table else None)


urlpatterns = [
    path("reports/export/", export_page, name="report-export"),
    path("reports/export/putright.xlsx", export_workbook, name="report-export-workbook"),
    path("reports/export/<str:table>.csv", export_csv, name="report-export-csv"),
]
