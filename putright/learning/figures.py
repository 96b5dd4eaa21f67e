"""A quarter's figures for "You said, we did", computed from the cases (never typed in).

For an organisation and the organisations below it, and a reporting quarter (London
time: a quarter starts at midnight in London, in summer 23:00 UTC the day before):

- complaints received: complaints logged in the quarter (stage 1 requests), and the
  stage 2 reviews asked for in it;
- responses given in the quarter (stage 1 and stage 2), how many of them upheld or
  partly upheld at least one point, and how many were on time (by the policy's
  deadline, see ``cases.selectors.responses_given``);
- the top five themes of the points of the complaints received in the quarter, a
  merged theme counted under the theme it became.

Seven queries whatever the data, each on an index: organisations, complaints by
(organisation, received_at), stage 2 requests by (number, opened_at), responses by
occurred_at, point themes by complaint, then the themes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from putright.accounts.models import Organisation
from putright.cases.models import Complaint
from putright.cases.selectors.responses_given import (
    on_time,
    organisations_under,
    responses_between,
    stage2_requests_between,
)
from putright.learning.models import PointLearning, Theme
from putright.learning.quarters import Quarter

LONDON = ZoneInfo("Europe/London")
TOP_THEMES = 5


@dataclass(frozen=True)
class ThemeCount:
    key: str
    label: str
    points: int


@dataclass(frozen=True)
class Figures:
    """What the procedure promises to say about a quarter, as numbers."""

    quarter: Quarter
    received: int
    stage2_requests: int
    responses: int
    upheld: int
    on_time: int
    top_themes: list[ThemeCount] = field(default_factory=list)

    @property
    def on_time_percent(self) -> int | None:
        """The share of responses given on time, in whole per cent (rounded half up); None for none."""
        if not self.responses:
            return None
        return (self.on_time * 200 + self.responses) // (self.responses * 2)

    @property
    def upheld_percent(self) -> int | None:
        if not self.responses:
            return None
        return (self.upheld * 200 + self.responses) // (self.responses * 2)

    def as_json(self) -> dict[str, Any]:
        """The figures as a publication keeps them (plain JSON)."""
        return {
            "quarter": self.quarter.key,
            "received": self.received,
            "stage2_requests": self.stage2_requests,
            "responses": self.responses,
            "upheld": self.upheld,
            "on_time": self.on_time,
            "on_time_percent": self.on_time_percent,
            "top_themes": [{"key": t.key, "label": t.label, "points": t.points} for t in self.top_themes],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Figures:
        return cls(
            quarter=Quarter.parse(data["quarter"]),
            received=data["received"],
            stage2_requests=data["stage2_requests"],
            responses=data["responses"],
            upheld=data["upheld"],
            on_time=data["on_time"],
            top_themes=[ThemeCount(t["key"], t["label"], t["points"]) for t in data["top_themes"]],
        )


def quarter_bounds(quarter: Quarter) -> tuple[dt.datetime, dt.datetime]:
    """Midnight in London on the quarter's first day, and on the first day after it."""
    start = dt.datetime.combine(quarter.start, dt.time(0), tzinfo=LONDON)
    end = dt.datetime.combine(quarter.end, dt.time(0), tzinfo=LONDON)
    return start, end


def quarter_figures(organisation: Organisation, quarter: Quarter) -> Figures:
    """The quarter's figures for the organisation and those below it, as the cases say now."""
    organisations = organisations_under(organisation.pk)
    start, end = quarter_bounds(quarter)
    received = Complaint.objects.filter(
        organisation_id__in=organisations, received_at__gte=start, received_at__lt=end
    ).count()
    stage2 = stage2_requests_between(start, end).filter(complaint__organisation_id__in=organisations).count()
    given = responses_between(start, end).filter(stage__complaint__organisation_id__in=organisations)
    counts = given.aggregate(
        total=Count("pk"),
        upheld_total=Count("pk", filter=Q(upheld=True)),
        on_time_total=Count("pk", filter=on_time()),
    )
    return Figures(
        quarter=quarter,
        received=received,
        stage2_requests=stage2,
        responses=counts["total"],
        upheld=counts["upheld_total"],
        on_time=counts["on_time_total"],
        top_themes=top_themes_between(organisations, start, end),
    )


def top_themes_between(organisations: list[int], start: dt.datetime, end: dt.datetime) -> list[ThemeCount]:
    """Points of the complaints received in the period, by theme, merged themes under the one they
    became: counted by theme in the database, then folded along the (few) merges."""
    rows = (
        PointLearning.objects.filter(
            theme__isnull=False,
            point__complaint__organisation_id__in=organisations,
            point__complaint__received_at__gte=start,
            point__complaint__received_at__lt=end,
        )
        .values("theme_id")
        .annotate(points=Count("pk"))
        .order_by()
    )
    counts = {row["theme_id"]: row["points"] for row in rows}
    if not counts:
        return []
    themes = {t.pk: t for t in Theme.objects.select_related("parent")}
    folded: dict[int, int] = {}
    for theme_id, points in counts.items():
        target = became(themes, theme_id)
        folded[target] = folded.get(target, 0) + points
    ranked = sorted(folded.items(), key=lambda item: (-item[1], themes[item[0]].label))
    return [ThemeCount(themes[pk].key, themes[pk].label, points) for pk, points in ranked[:TOP_THEMES]]


def became(themes: dict[int, Theme], theme_id: int) -> int:
    """The theme a theme became, following merges (a merge of a merge counts under the last)."""
    seen = {theme_id}
    while (merged := themes[theme_id].merged_into_id) is not None and merged not in seen:
        seen.add(merged)
        theme_id = merged
    return theme_id


def figure_filters(organisation: Organisation, quarter: Quarter) -> dict[str, dict[str, str]]:
    """The complaint list's filters behind each figure (query parameters), for staff links."""
    first, last = quarter.start.isoformat(), (quarter.end - dt.timedelta(days=1)).isoformat()
    within = {"within": organisation.short_name}
    received = within | {"received_from": first, "received_to": last}
    responded = within | {"responded_from": first, "responded_to": last}
    return {
        "received": received,
        "stage2_requests": within | {"escalated_from": first, "escalated_to": last},
        "responses": responded,
        "upheld": responded | {"response": "upheld"},
        "on_time": responded | {"response": "on_time"},
        "late": responded | {"response": "late"},
        "theme": received,
    }
