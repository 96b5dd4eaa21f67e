"""issue 16, dash: the rows that carry a copy of their complaint's receipt and organisation
(``cases.models.copied``), and a check that every copy equals its complaint's."""

from __future__ import annotations

from django.db.models import F, Q

from putright.cases.models import Deadline, Point, PointOutcome, Response, Stage
from putright.learning.models import PointLearning, Remedy

#: Each model with a copy, and the path from it to its complaint.
COPIES = (
    (Point, "complaint"),
    (Stage, "complaint"),
    (Deadline, "complaint"),
    (Response, "stage__complaint"),
    (PointOutcome, "point__complaint"),
    (PointLearning, "point__complaint"),
    (Remedy, "complaint"),
)


def rows_and_wrong_copies() -> dict[str, tuple[int, int]]:
    """Per model: how many rows, and how many whose copy is not their complaint's."""
    found = {}
    for model, path in COPIES:
        wrong = ~Q(complaint_received_at=F(f"{path}__received_at")) | ~Q(
            complaint_organisation=F(f"{path}__organisation")
        )
        found[model.__name__] = (model.objects.count(), model.objects.filter(wrong).count())
    return found


def assert_every_copy_is_its_complaints() -> None:
    found = rows_and_wrong_copies()
    assert {name: wrong for name, (_, wrong) in found.items()} == dict.fromkeys(found, 0)
    assert all(rows for rows, _ in found.values()), found  # every kind of row was written
