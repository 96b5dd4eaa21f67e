"""The step page for a point's learning (issue 12): its theme, service area and root cause.

Open from triage on (front line can theme a point as it is triaged) and after
closure, to correct; it calls ``learning.services.points.record_point_learning``,
as the API does.
"""

from __future__ import annotations

from putright.accounts.models import User
from putright.cases.models import Complaint
from putright.learning.models import PointLearning
from putright.learning.services import UNCHANGED
from putright.learning.services.points import record_point_learning
from putright.procedure.states import Step
from putright.web.forms.learning import RecordLearningForm
from putright.web.steps.framework import StepPage


def record_learning(
    complaint: Complaint, user: User, form: RecordLearningForm, item: int | None
) -> PointLearning:
    data = form.cleaned_data
    return record_point_learning(
        complaint,
        point_id=form.point.pk,
        actor=user,
        theme=form.chosen_theme(),
        service_area=form.chosen_area(),
        root_cause=form.chosen_cause() if form.upheld else UNCHANGED,
        root_cause_note=data.get("root_cause_note", "") if form.upheld else UNCHANGED,
        expected_version=data["version"],
    )


PAGES: list[StepPage] = [
    StepPage(
        step=Step.RECORD_LEARNING,
        form=RecordLearningForm,
        title="Record learning",
        act=record_learning,
        done=lambda learning: f"Learning recorded on point {learning.point.number}.",
        route="points/<int:item>/learning",
        context_template="web/steps/learning/point.html",
        button="Save the learning",
    ),
]
