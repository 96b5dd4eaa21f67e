"""The demo's learning: themes at triage, root causes once upheld (registered in ``apps.ready``).

Each complaint's choices come from its own story (the template's theme) and a
random generator seeded by its reference, never from the walk's, so the
stories the demo tells are the same with the learning as without it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from putright.accounts.models import Organisation
from putright.cases.models import Point
from putright.learning.defaults import SERVICE_AREAS
from putright.learning.models import PointLearning, RootCause, ServiceArea, ServiceAreaKind, Theme
from putright.learning.services.points import is_upheld, record_point_learning

#: The demo templates' themes, as keys of the default taxonomy, with the service area responsible.
THEME_OF_TEMPLATE: dict[str, tuple[str, str]] = {
    "Adaptations": ("adaptations", "Repairs"),
    "Anti-social behaviour handling": ("asb_handling", "Neighbourhoods"),
    "Communal cleaning": ("neighbourhood", "Neighbourhoods"),
    "Damp and mould": ("damp_and_mould", "Repairs"),
    "Grounds maintenance": ("neighbourhood", "Neighbourhoods"),
    "Heating and hot water (Gasway)": ("heating_and_hot_water", "Gasway Services"),
    "Lettings": ("lettings", "Lettings"),
    "Rent and service charges": ("rent_and_charges", "Income"),
    "Repairs": ("responsive_repairs", "Repairs"),
    "Staff conduct": ("staff_conduct", "Customer services"),
}
#: A second point is sometimes about how we kept the customer informed.
SECOND_THEMES = ("communication", "complaint_handling", "contractors")
#: Root causes most likely for each theme (the rest are possible too).
LIKELY_CAUSES: dict[str, tuple[str, ...]] = {
    "responsive_repairs": ("missed_appointment", "process_not_followed", "contractor_performance"),
    "damp_and_mould": ("process_not_followed", "resource_or_capacity", "policy_gap"),
    "heating_and_hot_water": ("contractor_performance", "missed_appointment"),
    "staff_conduct": ("staff_conduct",),
    "rent_and_charges": ("system_or_data_error", "communication_failure"),
    "communication": ("communication_failure",),
}


def service_areas(organisation: Organisation) -> dict[str, ServiceArea]:
    """The organisation's departments (created the first time), and the gas contractor."""
    wanted = [(name, ServiceAreaKind.DEPARTMENT) for name in SERVICE_AREAS]
    wanted.append(("Gasway Services", ServiceAreaKind.CONTRACTOR))
    areas = {}
    for position, (name, kind) in enumerate(wanted, start=1):
        areas[name], _ = ServiceArea.objects.get_or_create(
            organisation=organisation, name=name, defaults={"kind": kind, "position": position}
        )
    return areas


class _Lists:
    """The lists, read once per demo load."""

    def __init__(self) -> None:
        self.themes = {t.key: t for t in Theme.objects.filter(retired_at=None)}
        self.causes = {c.key: c for c in RootCause.objects.filter(retired_at=None)}
        self.areas: dict[int, dict[str, ServiceArea]] = {}

    def area(self, organisation: Organisation, name: str) -> ServiceArea:
        if organisation.pk not in self.areas:
            self.areas[organisation.pk] = service_areas(organisation)
        return self.areas[organisation.pk][name]


_lists: _Lists | None = None


def after_step(walk: Any, kind: str, at: dt.datetime) -> None:
    """Themes at triage; root causes once a response or the appeal upholds a point."""
    global _lists
    if kind not in ("accept", "respond", "decide_appeal"):
        return
    if _lists is None:
        _lists = _Lists()
    if kind == "accept":
        _theme_points(walk, at, _lists)
    elif kind in ("respond", "decide_appeal"):
        _theme_points(walk, at, _lists)  # points added since triage
        _find_causes(walk, at, _lists)


def after_load(staff: Any, now: dt.datetime) -> None:
    global _lists
    _lists = None  # the next load reads the lists afresh
    # issue 12, publish: four published quarters of "You said, we did" for each landlord
    from putright.learning.demo_publish import publish_demo_quarters

    publish_demo_quarters(staff, now)


def _rng(walk: Any) -> random.Random:
    return random.Random(walk.c.reference)  # noqa: S311 - repeatable made-up data, not security


def _theme_points(walk: Any, at: dt.datetime, lists: _Lists) -> None:
    main, area = THEME_OF_TEMPLATE.get(walk.template.theme, ("other", "Customer services"))
    rng = _rng(walk)
    themed = set(
        PointLearning.objects.filter(point__complaint=walk.c, theme__isnull=False).values_list(
            "point_id", flat=True
        )
    )
    for point in Point.objects.filter(complaint=walk.c).order_by("number"):
        if point.pk in themed:
            continue
        key = main if point.number == 1 or rng.random() < 0.6 else rng.choice(SECOND_THEMES)
        record_point_learning(
            walk.c,
            point_id=point.pk,
            theme=lists.themes[key],
            service_area=lists.area(walk.c.organisation, area),
            actor=walk.cast.frontline,
            occurred_at=at,
        )


def _find_causes(walk: Any, at: dt.datetime, lists: _Lists) -> None:
    rng = _rng(walk)
    learning = {
        pl.point_id: pl
        for pl in PointLearning.objects.filter(point__complaint=walk.c).select_related("theme")
    }
    for point in Point.objects.filter(complaint=walk.c).order_by("number"):
        current = learning.get(point.pk)
        if (current is not None and current.root_cause_id) or not is_upheld(point):
            continue
        theme_key = current.theme.key if current and current.theme else "other"
        likely = LIKELY_CAUSES.get(theme_key, ())
        key = rng.choice(likely) if likely and rng.random() < 0.7 else rng.choice(sorted(lists.causes))
        record_point_learning(
            walk.c,
            point_id=point.pk,
            root_cause=lists.causes[key],
            root_cause_note=walk.template.finding[:300],
            actor=walk.handler,
            occurred_at=at,
        )
