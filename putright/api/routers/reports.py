"""issue 13, dash: the reports dashboard through the API, each figure with the complaints behind it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from putright.accounts.permissions import Capability
from putright.api.auth import caller
from putright.api.permissions import require, visible_organisation
from putright.api.problems import READ_ERRORS
from putright.cases.errors import InvalidInput
from putright.reports import periods
from putright.reports.dashboard import dashboard, scope_for
from putright.reports.present import as_json

router = Router(tags=["Reports"])


class ReportFigureOut(Schema):
    value: int | float | None
    complaints_url: str | None = Field(
        description="The workspace's list behind the figure (complaints, or learning actions); null for none."
    )


class ReportRowOut(Schema):
    key: str
    label: str
    figures: list[ReportFigureOut] = Field(description="One per column, in the order of ``columns``.")


class ReportTableOut(Schema):
    name: str
    title: str
    note: str
    columns: list[str]
    rows: list[ReportRowOut]


class ReportPeriodOut(Schema):
    key: str
    label: str
    first_day: dt.date
    last_day: dt.date


class DashboardOut(Schema):
    period: ReportPeriodOut
    organisation: str | None = Field(
        description="The organisation chosen (and those below it); null for all."
    )
    scope: str
    made_at: dt.datetime
    tables: list[ReportTableOut]


class DashboardQuery(Schema):
    period: str = Field(
        description="A quarter (2026-Q1: April to June 2026), a reporting year (2025-26) "
        "or days (2026-04-01..2026-05-15)."
    )
    organisation: str | None = Field(
        None, description="An organisation's short name: it and those below it; all you can see if left out."
    )


@router.get("/dashboard", response={200: DashboardOut, **READ_ERRORS}, summary="The reports dashboard")
def read_dashboard(request: HttpRequest, query: Query[DashboardQuery]) -> dict[str, Any]:
    """Every table of the dashboard for the period, counted from the cases now; 422 for a period
    that is not one, 404 for an organisation you cannot see."""
    user = caller(request)
    require(user, Capability.VIEW_REPORTS)
    try:
        period = periods.parse(query.period)
    except ValueError as bad:
        raise InvalidInput("period", str(bad)) from bad
    organisation = visible_organisation(user, query.organisation) if query.organisation else None
    return as_json(dashboard(scope_for(user, organisation), period, now=timezone.now()))
