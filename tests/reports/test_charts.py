"""A chart is drawn from what it shows, and drawn again when a figure changes."""

from __future__ import annotations

import re
from decimal import Decimal

from putright.reports import charts
from putright.reports.dashboard import Cell, Row, Table


def _drawn(svg: str | None) -> str:
    """The drawing, less the random id pygal gives each chart it draws."""
    assert svg is not None
    return re.sub(r"chart-[0-9a-f-]{36}", "chart-", svg)


def _table(upheld: int) -> Table:
    rows = (
        Row("Upheld", (Cell(upheld, {"outcome": "upheld"}),), "upheld"),
        Row("Not upheld", (Cell(3, {"outcome": "not_upheld"}),), "not_upheld"),
    )
    return Table("outcomes", "Outcomes", ("Outcome", "Complaints"), rows)


def test_a_chart_is_remembered_by_its_figures_and_drawn_again_when_one_changes():
    first = charts.chart_svg(_table(5))
    assert _drawn(first) == _drawn(charts._draw(_table(5)))  # as drawn without remembering
    assert charts.chart_svg(_table(5)) is first  # remembered, not drawn again
    changed = charts.chart_svg(_table(6))
    assert _drawn(changed) != _drawn(first)
    assert _drawn(changed) == _drawn(charts._draw(_table(6)))


def test_money_is_remembered_as_money():
    table = Table(
        "remedies",
        "Remedies",
        ("Theme", "Money offered (£)"),
        (Row("Repairs", (Cell(Decimal("125.50")),), "repairs"),),
        money=(0,),
    )
    assert _drawn(charts.chart_svg(table)) == _drawn(charts._draw(table))
