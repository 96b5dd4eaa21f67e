"""A point's outcome as it stands: the latest response's (a review or an appeal may change it)."""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from putright.cases.models import Complaint, Point, PointOutcome
from putright.procedure.states import Outcome

#: The outcomes that found something went wrong, wholly or partly.
UPHELD = (Outcome.UPHELD.value, Outcome.PARTIALLY_UPHELD.value)


def latest_outcome() -> Subquery:
    """The outcome of a point's latest response, to annotate a query over points with."""
    latest = PointOutcome.objects.filter(point=OuterRef("pk")).order_by("-response__occurred_at", "-pk")
    return Subquery(latest.values("outcome")[:1])


def upheld_point_ids(complaint: Complaint) -> set[int]:
    """The complaint's points whose latest outcome upheld them, wholly or partly (one query)."""
    points = Point.objects.filter(complaint=complaint).annotate(latest=latest_outcome())
    return set(points.filter(latest__in=UPHELD).values_list("pk", flat=True))


def is_upheld(point: Point) -> bool:
    """Whether the point's latest outcome upheld it, wholly or partly."""
    point_now = Point.objects.filter(pk=point.pk).annotate(latest=latest_outcome())
    return point_now.filter(latest__in=UPHELD).exists()
