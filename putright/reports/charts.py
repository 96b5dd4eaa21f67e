"""The dashboard's charts: SVG drawn on the server by pygal, the same for a page and a PDF.

A chart never runs anything: pygal is given no scripts (``js=[]``) and the one it writes
anyway (its configuration, for its own tooltips) is taken out, so the SVG is pictures
and text only. The page shows it as an ``<img>`` of a ``data:`` address (allowed by the
strict content security policy, ``img-src 'self' data:``, where inline ``<style>`` and
``<script>`` are not: an image's own styles stay inside the image), and the board
report's PDF draws the same image. Every chart stands beside a table of the same figures,
which is what a screen reader, a printout or a spreadsheet reads; the image's alt text
says so.
"""

from __future__ import annotations

import base64
import re
from decimal import Decimal
from functools import lru_cache

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from putright.reports.dashboard import Cell, Row, Table

#: GOV.UK's palette: blue, orange, turquoise, purple, green (each distinct in greyscale too).
COLOURS = ("#1d70b8", "#f47738", "#28a197", "#4c2c92", "#00703c", "#d4351c")
FONT = "DejaVu Sans, Arial, sans-serif"
LABEL_LENGTH = 30

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<!--.*?-->", re.DOTALL | re.IGNORECASE)

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=COLOURS,
    font_family=FONT,
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    legend_font_size=15,
    title_font_size=17,
    opacity="1",
    opacity_hover="1",
    transition="0s",
)


def _config(height: int) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "width": 640,
        "height": height,
        "disable_xml_declaration": True,
        "tooltip_fancy_mode": False,
        "print_values": False,
        "show_y_guides": True,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,
        "margin": 16,
    }


def _label(text: str) -> str:
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1] + "\u2026"


def _number(value: int | Decimal | None) -> float | None:
    return None if value is None else float(value)


def chart_svg(table: Table) -> str | None:
    """The table's chart as SVG text, or None for a table drawn as a table only (or with no rows).

    Drawing takes pygal about 10 ms a chart, fifteen charts a dashboard, whatever the number of
    complaints: a chart is a function of what it shows (title, headings, labels and figures), so
    the last few hundred drawn are remembered by exactly that. The figures are still counted from
    the cases on every view; a figure that changes draws a new chart."""
    if not table.chart or not table.rows:
        return None
    shown = tuple((row.label, tuple(cell.value for cell in row.cells)) for row in table.rows)
    return _drawn(table.chart, table.title, table.headings, table.series, table.money, table.percent, shown)


@lru_cache(maxsize=256)
def _drawn(
    kind: str,
    title: str,
    headings: tuple[str, ...],
    series: tuple[int, ...],
    money: tuple[int, ...],
    percent: tuple[int, ...],
    shown: tuple[tuple[str, tuple[int | Decimal | None, ...]], ...],
) -> str:
    rows = tuple(Row(label, tuple(Cell(value) for value in values)) for label, values in shown)
    return _draw(Table("", title, headings, rows, chart=kind, series=series, money=money, percent=percent))


def _draw(table: Table) -> str:
    labels = [_label(row.label) for row in table.rows]
    columns = {index: table.column(index) for index in table.series}
    if table.chart == "line":
        chart = pygal.Line(**_config(420), show_dots=True, dots_size=4)
    else:
        # pygal draws a horizontal bar chart's first label at the bottom: reversed, the chart reads
        # top to bottom in the table's order.
        labels.reverse()
        columns = {index: values[::-1] for index, values in columns.items()}
        bars = len(labels) * (1 + (len(table.series) > 1))
        chart = pygal.HorizontalBar(**_config(min(max(240, 110 + 30 * bars), 900)))
    chart.x_labels = labels
    chart.title = table.title
    for index, values in columns.items():
        chart.add(table.headings[index + 1], [_number(v) for v in values])
    if len(table.series) == 1:
        chart.show_legend = False
    if ticks := _whole_number_ticks(table, [v for values in columns.values() for v in values]):
        chart.y_labels = ticks
    return without_scripts(chart.render(is_unicode=True))


def _whole_number_ticks(table: Table, values: list[int | Decimal | None]) -> list[int] | None:
    """Counts are whole numbers: ticks at whole steps (pygal would mark 0.2, 0.4, ...); None for
    money and shares, where pygal's own ticks are right."""
    if any(i in table.money or i in table.percent for i in table.series):
        return None
    top = max((int(v) for v in values if v is not None), default=0)
    step = max(1, -(-top // 8))
    return list(range(0, max(top, 1) + step, step))


def without_scripts(svg: str) -> str:
    """The SVG with every ``<script>`` element (and pygal's credits, in comments) taken out."""
    return _SCRIPT.sub("", svg)


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` address for an ``<img>`` (page and PDF alike)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def alt_text(table: Table) -> str:
    kind = "Line chart" if table.chart == "line" else "Bar chart"
    return f"{kind}: {table.title}. The same figures are in the table beside it."
