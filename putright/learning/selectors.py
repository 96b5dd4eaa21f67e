"""Reads of the learning recorded on cases."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce

from putright.accounts.models import Organisation
from putright.cases.models import Complaint
from putright.learning.models import (
    LearningEvent,
    LearningEventKind,
    PointLearning,
    RootCause,
    ServiceArea,
    Theme,
)


def learning_marks(complaint: Complaint) -> Mapping[int, tuple[bool, bool]]:
    """Each point's (has a theme, has a root cause), by point id, in one query."""
    rows = PointLearning.objects.filter(point__complaint=complaint).values_list(
        "point_id", "theme_id", "root_cause_id"
    )
    return {point: (theme is not None, cause is not None) for point, theme, cause in rows}


# issue 12, points: the lists as the pickers, the case page and the API read them.


def point_learning(complaint_id: int) -> dict[int, PointLearning]:
    """Each point's learning, by point id, with its theme (and parent), area and cause: one query."""
    rows = PointLearning.objects.filter(point__complaint_id=complaint_id).select_related(
        "theme__parent", "theme__merged_into__parent", "service_area", "root_cause"
    )
    return {row.point_id: row for row in rows}


def themes() -> list[Theme]:
    """Every theme, parents first then their sub-themes, in picker order (one query)."""
    everything = list(Theme.objects.select_related("parent", "merged_into__parent"))
    tops = [t for t in everything if t.parent_id is None]
    ordered: list[Theme] = []
    for top in tops:
        ordered.append(top)
        ordered.extend(t for t in everything if t.parent_id == top.pk)
    return ordered


def theme_groups(keep: Theme | None = None) -> list[tuple[Theme, list[Theme]]]:
    """Current themes grouped by their top theme, for a select with optgroups.

    ``keep`` (a point's own theme) is offered even when retired, so saving the form
    leaves it as it is.
    """
    offered = [t for t in themes() if t.is_current or (keep is not None and t.pk == keep.pk)]
    ids = {t.pk for t in offered}
    groups: list[tuple[Theme, list[Theme]]] = []
    for top in (t for t in offered if t.parent_id is None):
        groups.append((top, [top, *(t for t in offered if t.parent_id == top.pk)]))
    for orphan in (t for t in offered if t.parent is not None and t.parent_id not in ids):
        assert orphan.parent is not None
        groups.append((orphan.parent, [orphan]))  # a current sub-theme of a retired parent
    return groups


def service_areas_for(organisation_ids: Iterable[int], keep: ServiceArea | None = None) -> list[ServiceArea]:
    """The current service areas of these organisations (plus ``keep``), in picker order."""
    found = ServiceArea.objects.filter(organisation_id__in=list(organisation_ids)).select_related(
        "organisation"
    )
    return [a for a in found if a.is_current or (keep is not None and a.pk == keep.pk)]


def root_causes(keep: RootCause | None = None, *, current_only: bool = True) -> list[RootCause]:
    return [
        c
        for c in RootCause.objects.all()
        if not current_only or c.is_current or (keep is not None and c.pk == keep.pk)
    ]


def theme_for_reports(theme: Theme) -> Theme:
    """The theme a report counts a case under: where a merged theme went (followed to its end)."""
    seen = {theme.pk}
    while theme.merged_into_id is not None and theme.merged_into_id not in seen:
        theme = Theme.objects.select_related("parent", "merged_into").get(pk=theme.merged_into_id)
        seen.add(theme.pk)
    return theme


def with_report_theme(queryset: QuerySet[PointLearning]) -> QuerySet[PointLearning]:
    """Point learning annotated with ``report_theme_id``: the theme it counts under in reports.

    ``lists.merge_theme`` repoints the themes already merged into the one it merges, so a
    merge is one step to follow; two are followed here in case data was merged by hand.
    """
    return queryset.annotate(
        report_theme_id=Coalesce(
            F("theme__merged_into__merged_into_id"), F("theme__merged_into_id"), F("theme_id")
        )
    )


def areas_of(organisations: Iterable[Organisation]) -> list[ServiceArea]:
    """Every service area of these organisations, current or retired (one query)."""
    return list(
        ServiceArea.objects.filter(organisation__in=list(organisations)).select_related("organisation")
    )


def recent_list_changes(limit: int = 10) -> list[LearningEvent]:
    """The latest changes to the lists (entries added, renamed, retired, merged), newest first."""
    kinds = (LearningEventKind.LIST_CHANGED, LearningEventKind.THEMES_MERGED)
    found = (
        LearningEvent.objects.filter(kind__in=kinds).select_related("actor").order_by("-occurred_at", "-pk")
    )
    return list(found[:limit])
