"""A point's theme, service area and root cause: what it was about and why it went wrong.

Themes are set at triage or any time before the response and corrected later;
a root cause only once the point is upheld or partly upheld. Each change is a
step of the procedure (``Step.RECORD_LEARNING``) with a timeline event naming
what changed from what, so a report that moves can be explained.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from putright.accounts.models import User
from putright.accounts.permissions import organisation_and_parents
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, EventKind, Point, copied_from
from putright.cases.selectors.outcomes import is_upheld
from putright.cases.services.steps import case_step
from putright.learning.models import PointLearning, RootCause, ServiceArea, Theme
from putright.learning.services import UNCHANGED
from putright.procedure import requests as rq


def record_point_learning(
    complaint: Complaint,
    *,
    point_id: int,
    actor: User | None,
    theme: Theme | None = UNCHANGED,
    service_area: ServiceArea | None = UNCHANGED,
    root_cause: RootCause | None = UNCHANGED,
    root_cause_note: str = UNCHANGED,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> PointLearning:
    """Set what a point was about, who was responsible and (once upheld) why it went wrong."""
    point = _point_of(complaint, point_id)
    current = PointLearning.objects.filter(point=point).first() or PointLearning(
        point=point, **copied_from(complaint)
    )
    _check_choices(complaint, current, theme, service_area, root_cause)
    wanted = {
        "theme": current.theme if theme is UNCHANGED else theme,
        "service_area": current.service_area if service_area is UNCHANGED else service_area,
        "root_cause": current.root_cause if root_cause is UNCHANGED else root_cause,
        "root_cause_note": current.root_cause_note
        if root_cause_note is UNCHANGED
        else root_cause_note.strip(),
    }
    if not _changes(current, wanted):
        return current  # nothing to change: no step, no event, the case's version stays
    request = rq.RecordLearning(
        point_id=point.pk,
        theme_given=wanted["theme"] is not None,
        root_cause_given=wanted["root_cause"] is not None and wanted["root_cause"] != current.root_cause,
        point_upheld=is_upheld(point),
        point_number=point.number,
    )
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        learning = PointLearning.objects.select_for_update().filter(point=point).first() or PointLearning(
            point=point, **copied_from(step.complaint)
        )
        changes = _changes(learning, wanted)
        if not changes:
            return learning
        for name, value in wanted.items():
            setattr(learning, name, value)
        learning.updated_by = actor
        learning.save()
        step.record(
            EventKind.LEARNING_RECORDED,
            f"Point {point.number}: "
            + "; ".join(_said(name, old, new) for name, (old, new) in changes.items()),
            point=point.pk,
            number=point.number,
            changes={name: [_key(old), _key(new)] for name, (old, new) in changes.items()},
        )
    return learning


def _point_of(complaint: Complaint, point_id: int) -> Point:
    point = Point.objects.filter(complaint=complaint, pk=point_id).first()
    if point is None:
        raise InvalidInput("point", "that point is not part of this complaint")
    return point


def _check_choices(
    complaint: Complaint,
    current: PointLearning,
    theme: Theme | None,
    service_area: ServiceArea | None,
    root_cause: RootCause | None,
) -> None:
    """A retired entry stays where it is, but is not chosen anew; a service area is the case's
    organisation's own (or its group's)."""
    if isinstance(theme, Theme) and theme.retired_at and theme != current.theme:
        raise InvalidInput("theme", f"“{theme.label}” has been retired: choose a current theme")
    if isinstance(root_cause, RootCause) and root_cause.retired_at and root_cause != current.root_cause:
        raise InvalidInput("root_cause", f"“{root_cause.name}” has been retired: choose a current root cause")
    if isinstance(service_area, ServiceArea):
        if service_area.retired_at and service_area != current.service_area:
            raise InvalidInput("service_area", f"“{service_area.name}” has been retired")
        if service_area.organisation_id not in organisation_and_parents(complaint.organisation_id):
            raise InvalidInput("service_area", "choose a service area of the complaint's organisation")


def _changes(learning: PointLearning, wanted: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    return {
        name: (getattr(learning, name), value)
        for name, value in wanted.items()
        if getattr(learning, name) != value
    }


_NAMES = {
    "theme": "theme",
    "service_area": "service area",
    "root_cause": "root cause",
    "root_cause_note": "what went wrong",
}


def _said(name: str, old: Any, new: Any) -> str:
    label = _NAMES[name]
    if name == "root_cause_note":
        return f"{label}: {new}" if new else f"{label} cleared"
    if old is None:
        return f"{label} {_text(new)}"
    if new is None:
        return f"{label} {_text(old)} removed"
    return f"{label} {_text(old)} → {_text(new)}"


def _text(value: Any) -> str:
    return f"“{value.label if isinstance(value, Theme) else value}”"


def _key(value: Any) -> Any:
    """How a change is kept in the event's data: a list entry by id, words as they are."""
    return getattr(value, "pk", value)
