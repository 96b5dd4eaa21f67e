"""The dashboard's figures as people read them: formatted, with the address of the list behind each.

One reading for the page, the spreadsheets, the API and the board report's PDF, so a
figure is written the same everywhere (75%, £50.00, 4.5, "-" for nothing to count).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from putright.reports import charts
from putright.reports.dashboard import Cell, Dashboard, Table

NOTHING = "\u2013"


def figure_url(cell: Cell) -> str | None:
    """The list behind a figure (the workspace's complaint list, filtered), or None."""
    if cell.filters is None:
        return None
    return f"{reverse(cell.target)}?{urlencode(cell.filters, doseq=True)}"


def text(table: Table, column: int, value: int | Decimal | None) -> str:
    if value is None:
        return NOTHING
    if column in table.money:
        return f"\u00a3{value:,.2f}"
    if column in table.percent:
        return f"{value}%"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return f"{value:,}"


def plain(value: int | Decimal | None) -> int | float | str | None:
    """A figure for JSON and spreadsheets: a whole number, or money and medians as decimals."""
    if isinstance(value, Decimal):
        return float(value) if value != value.to_integral_value() or value.as_tuple().exponent else int(value)
    return value


@dataclass(frozen=True)
class ShownCell:
    text: str
    url: str | None
    hint: str


@dataclass(frozen=True)
class ShownRow:
    label: str
    key: str
    cells: list[ShownCell]


@dataclass(frozen=True)
class ShownTable:
    table: Table
    rows: list[ShownRow]
    chart_uri: str | None
    chart_alt: str

    @property
    def headings(self) -> tuple[str, ...]:
        return self.table.headings


def shown(table: Table, *, chart: bool = True) -> ShownTable:
    """A table ready for a template: each figure's text, link and what the link is for."""
    rows = [
        ShownRow(
            label=row.label,
            key=row.key,
            cells=[
                ShownCell(
                    text=text(table, i, cell.value),
                    url=figure_url(cell),
                    hint=f"{row.label}, {table.headings[i + 1] or table.title}",
                )
                for i, cell in enumerate(row.cells)
            ],
        )
        for row in table.rows
    ]
    svg = charts.chart_svg(table) if chart else None
    return ShownTable(table, rows, charts.data_uri(svg) if svg else None, charts.alt_text(table))


def as_json(board: Dashboard) -> dict[str, Any]:
    """The dashboard as plain JSON: every table, every figure with the list behind it."""
    return {
        "period": {
            "key": board.period.key,
            "label": board.period.label,
            "first_day": board.period.start.isoformat(),
            "last_day": board.period.last_day.isoformat(),
        },
        "organisation": board.scope.organisation.short_name if board.scope.organisation else None,
        "scope": board.scope.label,
        "made_at": board.made_at.isoformat(),
        "tables": [
            {
                "name": table.name,
                "title": table.title,
                "note": table.note,
                "columns": list(table.headings[1:]),
                "rows": [
                    {
                        "key": row.key,
                        "label": row.label,
                        "figures": [
                            {"value": plain(cell.value), "complaints_url": figure_url(cell)}
                            for cell in row.cells
                        ],
                    }
                    for row in table.rows
                ],
            }
            for table in board.tables
        ],
    }
