"""The Tenant Satisfaction Measures and the homes they divide by (issue 13).

``GET /reports/tsm``: CH01 and CH02 for a reporting year, with the complaints behind every figure
and the reading used (``VIEW_REPORTS``). ``GET /homes`` and ``PUT /homes``: the homes owned per
organisation, stock type and reporting year (reading: ``VIEW_REPORTS``; writing: ``MANAGE_HOMES``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from putright.accounts.models import HomesCount
from putright.accounts.permissions import Capability
from putright.api.auth import caller
from putright.api.idempotency import run_write
from putright.api.permissions import require
from putright.api.problems import READ_ERRORS, WRITE_ERRORS
from putright.cases.errors import InvalidInput, NotFound
from putright.reports.scope import organisation_named, reporting_year
from putright.reports.services.homes import HomesEntry, homes_for_year, set_homes
from putright.reports.tsm import tsm_report

router = Router(tags=["Reports"])


class HomesOut(Schema):
    organisation: str = Field(description="The organisation's short name.")
    organisation_name: str
    stock_type: str = Field(description="lcra (low-cost rental) or lcho (low-cost home ownership).")
    year: int = Field(description="The reporting year, by the year it begins: 2025 for 2025-26.")
    homes: int = Field(description="Homes owned on 31 March at the year's end.")


class HomesEntryIn(Schema):
    organisation: str = Field(description="The organisation's short name.")
    stock_type: str = Field(description="lcra or lcho.")
    homes: int


class HomesIn(Schema):
    year: int = Field(description="The reporting year, by the year it begins: 2025 for 2025-26.")
    homes: list[HomesEntryIn]


class HomesYearOut(Schema):
    year: int
    homes: list[HomesOut]


class YearQuery(Schema):
    year: int = Field(description="The reporting year, by the year it begins: 2025 for 2025-26.")


def _homes_out(year: int, found: list[HomesCount]) -> dict[str, Any]:
    return {"year": year, "homes": _rows(found)}


def _rows(found: list[HomesCount]) -> list[dict[str, Any]]:
    return [
        {
            "organisation": h.organisation.short_name,
            "organisation_name": h.organisation.name,
            "stock_type": h.stock_type,
            "year": h.year,
            "homes": h.homes,
        }
        for h in found
    ]


@router.get("/homes", response={200: HomesYearOut, **READ_ERRORS}, summary="Homes owned in a year")
def list_homes(request: HttpRequest, query: Query[YearQuery]) -> dict[str, Any]:
    """The homes recorded for a reporting year, of the organisations you work for."""
    user = caller(request)
    require(user, Capability.VIEW_REPORTS)
    return _homes_out(query.year, homes_for_year(user=user, year=query.year))


@router.put("/homes", response={200: HomesYearOut, **WRITE_ERRORS}, summary="Record homes owned")
def put_homes(request: HttpRequest, body: HomesIn) -> Status[Any]:
    """Record the homes of a year, all or none; figures not named are kept. Answers the year's homes."""
    user = caller(request)
    require(user, Capability.MANAGE_HOMES)
    entries = [HomesEntry(e.organisation, e.stock_type, e.homes) for e in body.homes]

    def run() -> tuple[int, dict[str, Any]]:
        return 200, _homes_out(body.year, set_homes(user=user, year=body.year, entries=entries))

    return run_write(request, run)


class MeasureOut(Schema):
    measure: str = Field(description="CH01(1), CH01(2), CH02(1) or CH02(2).")
    title: str
    numerator: int
    denominator: int = Field(description="CH01: homes owned at the year end; CH02: complaints responded to.")
    value: float | None = Field(description="CH01: per 1,000 homes; CH02: a percentage; one decimal place.")
    numerator_references: list[str]
    denominator_references: list[str] = Field(description="CH02 only: the complaints responded to.")


class StockOut(Schema):
    stock_type: str
    label: str
    homes: int
    informal_resolutions: int
    informal_resolution_references: list[str]
    measures: list[MeasureOut]


class OrganisationTsmOut(Schema):
    organisation: str
    name: str
    group: bool = Field(description="True when the figures include the organisations below it.")
    without_stock_type: int = Field(description="Complaints of the year with no stock type: in no measure.")
    without_stock_type_references: list[str]
    stock_types: list[StockOut]


class ReadingOut(Schema):
    extensions_within_code_count_as_within: bool
    informal_resolutions_count_as_stage1: bool
    extensions_with_good_reason_count_as_within: bool
    description: str


class TsmOut(Schema):
    year: str
    first_day: str
    last_day: str
    reading: ReadingOut
    organisations: list[OrganisationTsmOut]


class TsmQuery(Schema):
    year: str = Field(description="A reporting year, for example 2025-26.")
    organisation: str | None = Field(None, description="An organisation's short name: it and those below it.")


@router.get(
    "/reports/tsm",
    response={200: TsmOut, **READ_ERRORS},
    summary="Tenant Satisfaction Measures",
    url_name="tsm-report",
)
def tsm(request: HttpRequest, query: Query[TsmQuery]) -> dict[str, Any]:
    """CH01 and CH02 for a reporting year, per organisation owning homes and per group, by stock type."""
    user = caller(request)
    require(user, Capability.VIEW_REPORTS)
    try:
        period = reporting_year(query.year)
    except ValueError as bad:
        raise InvalidInput("year", str(bad)) from None
    organisation = None
    if query.organisation:
        organisation = organisation_named(user, query.organisation)
        if organisation is None:
            raise NotFound(f"No organisation {query.organisation!r}.")
    return tsm_report(user=user, period=period, organisation=organisation).as_dict()
