"""The points of an open complaint and its summary line (issue 11, Code 6.8).

Until the stage 1 response a point may be added, reworded or split in two;
after it the procedure refuses (409) and a new issue is raised as a new matter.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Status

from putright.api.routers.steps.common import RESPONSES, StepIn, router, take
from putright.cases.services import points
from putright.procedure.states import Step


class AddPointIn(StepIn):
    wording: str = Field(description="The new point of complaint, in the customer's terms.")


@router.post("/{reference}/points", response=RESPONSES, summary="Add a point of complaint")
def add_point(request: HttpRequest, reference: str, body: AddPointIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.ADD_POINT,
        lambda c, u: points.add_point(
            c, wording=body.wording, actor=u, occurred_at=body.occurred_at, expected_version=body.version
        ),
    )


class EditPointIn(StepIn):
    wording: str = Field(description="The point's new wording; the old stays on the timeline.")


@router.post("/{reference}/points/{point_id}/reword", response=RESPONSES, summary="Reword a point")
def edit_point(request: HttpRequest, reference: str, point_id: int, body: EditPointIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.EDIT_POINT,
        lambda c, u: points.edit_point(
            c,
            point_id=point_id,
            wording=body.wording,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class SplitPointIn(StepIn):
    first: str = Field(description="The words the point keeps, with its number.")
    second: str = Field(description="The words of the new point, numbered next after the highest.")


@router.post("/{reference}/points/{point_id}/split", response=RESPONSES, summary="Split a point in two")
def split_point(request: HttpRequest, reference: str, point_id: int, body: SplitPointIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.SPLIT_POINT,
        lambda c, u: points.split_point(
            c,
            point_id=point_id,
            first=body.first,
            second=body.second,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class SummaryIn(StepIn):
    summary: str = Field(description="One line saying what the complaint is about (at most 100 characters).")


@router.post("/{reference}/summary", response=RESPONSES, summary="Change the summary line")
def edit_summary(request: HttpRequest, reference: str, body: SummaryIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.EDIT_SUMMARY,
        lambda c, u: points.edit_summary(
            c, summary=body.summary, actor=u, occurred_at=body.occurred_at, expected_version=body.version
        ),
    )
