"""Step pages for the points of an open complaint and its summary line (issue 11, Code 6.8).

Until the stage 1 response a related new issue joins the complaint as a point,
and a point may be reworded or split in two; each page calls one service of
``cases.services.points``, as the API does.
"""

from __future__ import annotations

from putright.accounts.models import User
from putright.cases.models import Complaint, Point
from putright.cases.services import points
from putright.procedure.states import Step
from putright.web.forms.points import AddPointForm, EditPointForm, SplitPointForm, SummaryForm
from putright.web.steps.framework import StepPage


def add_point(complaint: Complaint, user: User, form: AddPointForm, item: int | None) -> Point:
    data = form.cleaned_data
    return points.add_point(complaint, wording=data["wording"], actor=user, expected_version=data["version"])


def edit_point(complaint: Complaint, user: User, form: EditPointForm, item: int | None) -> Point:
    data = form.cleaned_data
    return points.edit_point(
        complaint,
        point_id=form.point.pk,
        wording=data["wording"],
        actor=user,
        expected_version=data["version"],
    )


def split_point(complaint: Complaint, user: User, form: SplitPointForm, item: int | None) -> Point:
    data = form.cleaned_data
    return points.split_point(
        complaint,
        point_id=form.point.pk,
        first=data["first"],
        second=data["second"],
        actor=user,
        expected_version=data["version"],
    )


def edit_summary(complaint: Complaint, user: User, form: SummaryForm, item: int | None) -> Complaint:
    data = form.cleaned_data
    return points.edit_summary(
        complaint, summary=data["summary"], actor=user, expected_version=data["version"]
    )


def _template(name: str) -> str:
    return f"web/steps/points/{name}.html"


PAGES: list[StepPage] = [
    StepPage(
        step=Step.ADD_POINT,
        form=AddPointForm,
        title="Add a point of complaint",
        act=add_point,
        done=lambda point: f"Point {point.number} added.",
        route="points/new",
        context_template=_template("points"),
        button="Add the point",
    ),
    StepPage(
        step=Step.EDIT_POINT,
        form=EditPointForm,
        title="Reword a point of complaint",
        act=edit_point,
        done=lambda point: f"Point {point.number} reworded.",
        route="points/<int:item>/edit",
        context_template=_template("point"),
        button="Save the wording",
    ),
    StepPage(
        step=Step.SPLIT_POINT,
        form=SplitPointForm,
        title="Split a point of complaint in two",
        act=split_point,
        done=lambda point: f"Point split: the second part is now point {point.number}.",
        route="points/<int:item>/split",
        context_template=_template("point"),
        button="Split the point",
    ),
    StepPage(
        step=Step.EDIT_SUMMARY,
        form=SummaryForm,
        title="Change the summary",
        act=edit_summary,
        done="Summary changed.",
        route="summary",
        context_template=_template("summary"),
        button="Save the summary",
    ),
]
