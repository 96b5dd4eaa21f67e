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

import pygal  # type: ignore[import-untyped]
from pygal.style import Style  # type: ignore[import-untyped]

from putright.reports.dashboard import Table

#: GOV.UK's palette: blue, orange, turquoise, purple, green (each distinct in greyscale too).
COLOURS = ("#1d70b8", "#f47738", "#28a197", "#4c2c92", "#00703c", "#d4351c")
FONT = "DejaVu Sans, Arial, sans-serif"
LABEL_LENGTH = 38

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>|<!--.*?-->", re.DOTALL | re.IGNORECASE)

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=COLOURS,
    font_family=FONT,
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    opacity="1",
    opacity_hover="1",
    transition="0s",
)


def _config(height: int) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "width": 800,
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
    """The table's chart as SVG text, or None for a table drawn as a table only (or with no rows)."""
    if not table.chart or not table.rows:
        return None
    labels = [_label(row.label) for row in table.rows]
    if table.chart == "line":
        chart = pygal.Line(**_config(420), x_label_rotation=0, show_dots=True, dots_size=4)
        chart.x_labels = labels
    else:
        height = max(
            220, 90 + 34 * len(labels) * max(1, len(table.series)) // 2 + 40 * (len(table.series) > 1)
        )
        chart = pygal.HorizontalBar(**_config(min(height, 900)))
        chart.x_labels = labels
    chart.title = table.title
    for index in table.series:
        chart.add(table.headings[index + 1], [_number(v) for v in table.column(index)])
    if len(table.series) == 1:
        chart.show_legend = False
    return without_scripts(chart.render(is_unicode=True))


def without_scripts(svg: str) -> str:
    """The SVG with every ``<script>`` element (and pygal's credits, in comments) taken out."""
    return _SCRIPT.sub("", svg)


def data_uri(svg: str) -> str:
    """The SVG as a ``data:`` address for an ``<img>`` (page and PDF alike)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def alt_text(table: Table) -> str:
    kind = "Line chart" if table.chart == "line" else "Bar chart"
    return f"{kind}: {table.title}. The same figures are in the table beside it."
