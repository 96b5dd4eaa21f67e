"""Reads of the learning recorded on cases."""

from __future__ import annotations

from collections.abc import Mapping

from putright.cases.models import Complaint
from putright.learning.models import PointLearning


def learning_marks(complaint: Complaint) -> Mapping[int, tuple[bool, bool]]:
    """Each point's (has a theme, has a root cause), by point id, in one query."""
    rows = PointLearning.objects.filter(point__complaint=complaint).values_list(
        "point_id", "theme_id", "root_cause_id"
    )
    return {point: (theme is not None, cause is not None) for point, theme, cause in rows}
