"""Learning on every point, as a caseworker records it before closing (issue 12).

Both shipped policies refuse to close a complaint (or refuse an appeal) until every
point has a theme and every upheld or partly upheld point a root cause. Tests that
close but are not about learning call ``record_learning`` first, through the same
service the workspace and the API use.
"""

from __future__ import annotations

import datetime as dt

from putright.accounts.models import User
from putright.cases.models import Complaint, Point
from putright.cases.selectors.outcomes import is_upheld
from putright.learning.models import PointLearning, RootCause, Theme
from putright.learning.services.points import record_point_learning


def record_learning(
    complaint: Complaint,
    actor: User | None = None,
    *,
    theme: str = "other",
    root_cause: str = "process_not_followed",
    at: dt.datetime | None = None,
) -> None:
    """A theme on every point that lacks one, a root cause on every upheld point that lacks one."""
    chosen_theme = Theme.objects.get(key=theme)
    chosen_cause = RootCause.objects.get(key=root_cause)
    recorded = {row.point_id: row for row in PointLearning.objects.filter(point__complaint=complaint)}
    for point in Point.objects.filter(complaint=complaint).order_by("number"):
        current = recorded.get(point.pk)
        changes: dict[str, object] = {}
        if current is None or current.theme_id is None:
            changes["theme"] = chosen_theme
        if is_upheld(point) and (current is None or current.root_cause_id is None):
            changes["root_cause"] = chosen_cause
            changes["root_cause_note"] = "The repair was not booked when it was reported."
        if changes:
            record_point_learning(
                complaint,
                point_id=point.pk,
                actor=actor,
                occurred_at=at,
                **changes,  # type: ignore[arg-type]
            )
