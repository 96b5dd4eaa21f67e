"""The points of an open complaint, and its summary line, before the stage 1 response.

The Code (6.8) lets a related new issue join the open complaint until the
stage 1 response is given; after it, a new issue is a new complaint (the
"raise new matter" step). So until then a caseworker may add a point, reword
one or split one in two. Each is a step of the procedure (refused after the
response, with the reason) and each leaves a timeline event carrying the words
before and after, so the record shows what the customer's complaint was at
every moment.

Numbering: a point's number never changes once given (letters and the
customer quote it). A new point, or the second half of a split one, takes the
next number after the highest.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, EventKind, Point, copied_from
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq


def _new_point(complaint: Complaint, wording: str) -> Point:
    """A new point of ``complaint`` saying ``wording``, numbered next after the highest."""
    highest = Point.objects.filter(complaint=complaint).aggregate(top=Max("number"))["top"]
    return Point.objects.create(
        complaint=complaint, number=(highest or 0) + 1, summary=wording.strip(), **copied_from(complaint)
    )


def _reword(point: Point, wording: str) -> None:
    """Save ``wording`` as what ``point`` says."""
    point.summary = wording.strip()
    point.save(update_fields=["summary"])


def add_point(
    complaint: Complaint,
    *,
    wording: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Point:
    """A related new issue joins the open complaint as its next point."""
    with case_step(
        complaint,
        rq.AddPoint(wording=wording),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        point = _new_point(step.complaint, wording)
        step.record(
            EventKind.POINT_ADDED,
            f"Point {point.number} added: {point.summary}",
            point=point.pk,
            number=point.number,
            old="",
            new=point.summary,
        )
    return point


def edit_point(
    complaint: Complaint,
    *,
    point_id: int,
    wording: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Point:
    """Reword a point (the customer explained it better): the old words stay on the timeline."""
    with case_step(
        complaint,
        rq.EditPoint(point_id=point_id, wording=wording),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        point = Point.objects.get(pk=point_id, complaint=step.complaint)
        old, new = point.summary, wording.strip()
        if old == new:
            raise InvalidInput("wording", f"point {point.number} already says that")
        _reword(point, new)
        step.record(
            EventKind.POINT_EDITED,
            f"Point {point.number} reworded: “{old}” is now “{new}”",
            point=point.pk,
            number=point.number,
            old=old,
            new=new,
        )
    return point


def split_point(
    complaint: Complaint,
    *,
    point_id: int,
    first: str,
    second: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Point:
    """Split a point in two, each answered on its own: it keeps its number and the first words;
    a new point, numbered next after the highest, takes the second. Returns the new point."""
    with case_step(
        complaint,
        rq.SplitPoint(point_id=point_id, first=first, second=second),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        point = Point.objects.get(pk=point_id, complaint=step.complaint)
        old = point.summary
        _reword(point, first)
        new = _new_point(step.complaint, second)
        step.record(
            EventKind.POINT_SPLIT,
            f"Point {point.number} split in two: “{old}” is now point {point.number} "
            f"“{point.summary}” and point {new.number} “{new.summary}”",
            point=point.pk,
            number=point.number,
            old=old,
            new=[point.summary, new.summary],
            new_point=new.pk,
            new_number=new.number,
        )
    return new


def edit_summary(
    complaint: Complaint,
    *,
    summary: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Change the one line that says what the complaint is about (lists, headings and letters show it)."""
    with case_step(
        complaint,
        rq.EditSummary(summary=summary),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        old, new = step.complaint.summary, summary.strip()
        if old == new:
            raise InvalidInput("summary", "the summary already says that")
        step.set(summary=new)
        step.record(EventKind.SUMMARY_EDITED, f"Summary changed from “{old}” to “{new}”", old=old, new=new)
    return complaint
