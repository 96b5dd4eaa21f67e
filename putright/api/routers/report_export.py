"""The flat export for business-intelligence tools, one table as CSV (issue 13, export).

For a Power BI or Excel query that refreshes itself with an API token: the same tables,
columns and filters as the workspace's export page (``docs/reports-export.md``). The CSV is
streamed as it is read, whatever the size.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from putright.accounts.permissions import Capability
from putright.api.auth import caller
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS
from putright.cases.errors import NotFound
from putright.reports.export_scope import export_scope
from putright.reports.flat import TABLES, table_named
from putright.reports.flat_files import csv_response

router = Router(tags=["Reports"])

#: A table's download is CSV, never JSON.
CSV = {
    "description": "The table as CSV (UTF-8 with a byte-order mark), its columns as documented.",
    "content": {"text/csv": {"schema": {"type": "string"}}},
}


class ExportFilters(Schema):
    period: str | None = Field(
        None,
        description="The complaints received in a reporting year (2025-26), a quarter (2026-Q1) or days "
        "(2026-04-01..2026-05-15), London time; blank or all for every complaint.",
    )
    organisation: str | None = Field(
        None, description="An organisation's short name: it and the organisations below it."
    )


@router.get(
    "/{table}.csv",
    response=READ_ERRORS,
    openapi_extra={"responses": {200: CSV}},
    url_name="report_export_csv",
    summary="Download a table of the flat export",
)
def export_table(request: HttpRequest, table: str, filters: Query[ExportFilters]) -> HttpResponseBase:
    """One table (complaints, stages, deadlines, outcomes, remedies or actions) of the complaints
    of your organisations, as CSV; 404 for another table, 422 for a period or organisation that
    cannot be used."""
    user = caller(request)
    require(user, Capability.VIEW_REPORTS)
    found = table_named(table)
    if found is None:
        raise NotFound(f"No table {table!r} in the export: choose from {', '.join(TABLES)}.")
    scope = export_scope(user=user, period=filters.period, organisation=filters.organisation)
    return csv_response(found, scope, timezone.now())
