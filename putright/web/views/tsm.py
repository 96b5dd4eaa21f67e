"""The Tenant Satisfaction Measures page and the complaints behind each of its figures (issue 13).

``/work/reports/tsm/?year=2025-26&organisation=VHT``: a table per organisation (and group) and
stock type, the reading used printed above them; every numerator and denominator that counts
complaints links to ``/work/reports/tsm/complaints/``, the references behind it, 50 a page, each
linking to its case. Both need ``VIEW_REPORTS``; an organisation the user may not see is "not found".
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode

from putright.accounts.models import Organisation, StockType, User
from putright.accounts.permissions import Capability
from putright.procedure import tsm as rules
from putright.reports import periods
from putright.reports.periods import Period
from putright.reports.scope import organisation_named, reporting_year
from putright.reports.tsm import MEASURES, Measure, OrganisationFigures, StockFigures, TsmReport, tsm_report
from putright.web.access import staff_user, staff_view

#: References shown on a page of the complaints behind a figure.
PAGE_SIZE = 50
#: Reporting years offered besides the one asked for: this one and the ones before it.
YEARS_OFFERED = 4
#: The lists behind a stock type's figures that are not measures.
INFORMAL, WITHOUT = "informal", "without-stock-type"


def year_asked(request: HttpRequest) -> Period:
    text = request.GET.get("year", "").strip()
    if not text:
        return periods.year_containing(timezone.localdate())
    try:
        return reporting_year(text)
    except ValueError as bad:
        raise Http404(str(bad)) from None


def organisation_asked(user: User, name: str) -> Organisation | None:
    if not name.strip():
        return None
    found = organisation_named(user, name)
    if found is None:
        raise Http404("No such organisation that you can see")
    return found


@staff_view(Capability.VIEW_REPORTS)
def tsm_page(request: HttpRequest) -> HttpResponse:
    user = staff_user(request)
    period = year_asked(request)
    organisation = organisation_asked(user, request.GET.get("organisation", ""))
    report = tsm_report(user=user, period=period, organisation=organisation)
    context = {
        "report": report,
        "tables": [_table(report, row) for row in report.organisations],
        "years": years_offered(period),
        "organisation": organisation,
        "choices": [(row.short_name, row.name) for row in report.organisations],
        "api_url": f"{reverse('api-v1:tsm-report')}?{urlencode(_query(period, organisation))}",
    }
    return render(request, "web/reports/tsm.html", context)


def _query(period: Period, organisation: Organisation | None) -> dict[str, str]:
    return {"year": period.key, **({"organisation": organisation.short_name} if organisation else {})}


def years_offered(period: Period) -> list[Period]:
    latest = periods.year_containing(timezone.localdate()).start.year
    years = {latest - back for back in range(YEARS_OFFERED)} | {period.start.year}
    return [periods.reporting_year(year) for year in sorted(years, reverse=True)]


def _table(report: TsmReport, row: OrganisationFigures) -> dict[str, Any]:
    """One organisation's figures, each with the address of the complaints behind it."""

    def link(stock: str, measure: str, part: str = "numerator") -> str:
        query = {"year": report.period.key, "organisation": row.short_name, "stock": stock}
        query |= {"measure": measure, "part": part}
        return f"{reverse('web:tsm-complaints')}?{urlencode(query)}"

    return {
        "row": row,
        "stocks": [
            {
                "figures": stock,
                "measures": [_measure_row(stock, m, link) for m in stock.measures],
                "informal_url": link(stock.stock_type, INFORMAL),
            }
            for stock in row.stocks
        ],
        "without_url": link("", WITHOUT),
    }


def _measure_row(stock: StockFigures, measure: Measure, link: Any) -> dict[str, Any]:
    is_rate = measure.key in (rules.CH01_1, rules.CH01_2)
    return {
        "measure": measure,
        "numerator_url": link(stock.stock_type, measure.key) if measure.numerator else "",
        "denominator_url": ""
        if is_rate or not measure.denominator
        else link(stock.stock_type, measure.key, "denominator"),
        "unit": "per 1,000 homes" if is_rate else "%",
        "denominator_label": "homes" if is_rate else "responded to",
    }


@staff_view(Capability.VIEW_REPORTS)
def tsm_complaints(request: HttpRequest) -> HttpResponse:
    """The references behind one figure of the report, 50 a page, each a link to its case."""
    user = staff_user(request)
    period = year_asked(request)
    organisation = organisation_asked(user, request.GET.get("organisation", ""))
    if organisation is None:  # a figure is always an organisation's: back to them all
        return redirect(f"{reverse('web:tsm')}?{urlencode(_query(period, None))}")
    report = tsm_report(user=user, period=period, organisation=organisation)
    row = report.find(organisation.pk)
    if row is None:
        raise Http404("No figures for that organisation")
    title, references = _behind(
        row,
        request.GET.get("stock", ""),
        request.GET.get("measure", ""),
        request.GET.get("part", "numerator"),
    )
    page = Paginator(references, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {key: request.GET.get(key, "") for key in ("year", "organisation", "stock", "measure", "part")}
    context = {
        "report": report,
        "row": row,
        "title": title,
        "page": page,
        "query": urlencode(query),
        "back": f"{reverse('web:tsm')}?{urlencode(_query(period, None))}",
    }
    return render(request, "web/reports/tsm_complaints.html", context)


def _behind(
    row: OrganisationFigures, stock_type: str, measure: str, part: str
) -> tuple[str, tuple[str, ...]]:
    if measure == WITHOUT:
        return "Complaints with no stock type", row.without_stock_type
    if stock_type not in StockType.values:
        raise Http404("No such stock type")
    stock = row.stock(stock_type)
    if measure == INFORMAL:
        return f"{stock.label}: complaints resolved informally", stock.informal_resolutions
    if measure not in MEASURES or part not in ("numerator", "denominator"):
        raise Http404("No such figure")
    found = stock.measure(measure)
    if part == "denominator" and measure in (rules.CH01_1, rules.CH01_2):
        raise Http404("CH01 divides by homes, not complaints")
    words = {
        (rules.CH01_1, "numerator"): "stage 1 complaints received",
        (rules.CH01_2, "numerator"): "stage 2 complaints received",
        (rules.CH02_1, "numerator"): "stage 1 complaints responded to within the Code's timescales",
        (rules.CH02_1, "denominator"): "stage 1 complaints responded to",
        (rules.CH02_2, "numerator"): "stage 2 complaints responded to within the Code's timescales",
        (rules.CH02_2, "denominator"): "stage 2 complaints responded to",
    }[measure, part]
    return f"{measure}, {stock.label}: {words}", found.references(part)


urlpatterns = [
    path("reports/tsm/", tsm_page, name="tsm"),
    path("reports/tsm/complaints/", tsm_complaints, name="tsm-complaints"),
]
