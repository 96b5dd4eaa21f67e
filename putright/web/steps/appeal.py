"""Step pages: the stage 2 review and the appeal to the panel.

Each page calls one service of ``cases.services.escalation`` the way the API
does, and tells the caseworker what happens next, with the date it is due.
"""

from __future__ import annotations

from putright.accounts.models import User
from putright.cases.models import AppealHearing, Complaint, Deadline, Response, Stage
from putright.cases.services import escalation
from putright.comms.models import LetterKind
from putright.procedure.deadlines import APPEAL_DECISION, APPEAL_MEETING, contact_name, response_name
from putright.procedure.states import Step
from putright.web.forms.appeal import (
    DecideAppealForm,
    EscalateForm,
    FinalResponseForm,
    RefuseAppealForm,
    RequestAppealForm,
    ScheduleAppealForm,
)
from putright.web.forms.outcomes import outcomes_from
from putright.web.steps.framework import StepPage
from putright.web.templatetags.casetags import london_date as day
from putright.web.templatetags.casetags import london_datetime as moment


def _due(complaint_id: int, name: str) -> str:
    due = (
        Deadline.objects.filter(complaint_id=complaint_id, name=name).values_list("due_at", flat=True).first()
    )
    return day(due)


# The stage 2 review


def escalate(complaint: Complaint, user: User, form: EscalateForm, item: int | None) -> Stage:
    data = form.cleaned_data
    return escalation.escalate(
        complaint,
        grounds=data["grounds"],
        explanation=data["explanation"],
        owner=data["owner"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
        on_behalf_of=form.text("on_behalf_of"),
    )


def escalated(stage: Stage) -> str:
    contact, response = _due(stage.complaint_id, contact_name(2)), _due(stage.complaint_id, response_name(2))
    return (
        f"Review requested: {stage.handler} must contact the customer by {contact} and respond by {response}."
    )


# The appeal


def request_appeal(complaint: Complaint, user: User, form: RequestAppealForm, item: int | None) -> Stage:
    data = form.cleaned_data
    return escalation.request_appeal(
        complaint,
        criteria=data["criteria"],
        explanation=data["explanation"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
        on_behalf_of=form.text("on_behalf_of"),
    )


def appeal_requested(stage: Stage) -> str:
    return (
        f"Appeal requested: arrange the meeting with the customer and the panel "
        f"by {_due(stage.complaint_id, APPEAL_MEETING)}."
    )


def refuse_appeal(complaint: Complaint, user: User, form: RefuseAppealForm, item: int | None) -> Stage:
    data = form.cleaned_data
    return escalation.refuse_appeal(
        complaint,
        reason=data["reason"],
        criteria_met=data["criteria_met"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def schedule_appeal(
    complaint: Complaint, user: User, form: ScheduleAppealForm, item: int | None
) -> AppealHearing:
    data = form.cleaned_data
    return escalation.schedule_appeal(
        complaint,
        meeting_at=data["meeting_at"],
        location=data["location"],
        panel=form.panel,
        panel_staff=form.panel_staff,
        agreed_with_customer=bool(data["agreed"]),
        companion_name=data["companion_name"],
        companion_relationship=data["companion_relationship"],
        companion_is_legal_representative=bool(data["companion_is_legal_representative"]),
        late_reason=data["late_reason"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def appeal_scheduled(hearing: AppealHearing) -> str:
    decision = _due(hearing.stage.complaint_id, APPEAL_DECISION)
    return f"Appeal meeting arranged for {moment(hearing.meeting_at)}: the panel must decide by {decision}."


def decide_appeal(complaint: Complaint, user: User, form: DecideAppealForm, item: int | None) -> Response:
    data = form.cleaned_data
    return escalation.decide_appeal(
        complaint,
        outcomes=outcomes_from(data),
        summary=data["summary"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def appeal_decided(response: Response) -> str:
    due = _due(response.stage.complaint_id, APPEAL_DECISION)
    return f"The panel's decision is recorded: send the customer the final response by {due}."


def record_final_response(
    complaint: Complaint, user: User, form: FinalResponseForm, item: int | None
) -> Complaint:
    data = form.cleaned_data
    return escalation.record_final_response(
        complaint,
        method=data["method"],
        actor=user,
        occurred_at=data.get("occurred_at"),
        expected_version=data["version"],
    )


def final_response_recorded(complaint: Complaint) -> str:
    return (
        "Final response recorded: the customer may go to the Housing Ombudsman directly "
        f"from {day(complaint.ombudsman_direct_from)}."
    )


def _template(name: str) -> str:
    return f"web/steps/appeal/{name}.html"


PAGES: list[StepPage] = [
    StepPage(
        step=Step.ESCALATE,
        form=EscalateForm,
        title="Ask for a review (stage 2)",
        act=escalate,
        done=escalated,
        context_template=_template("escalate"),
        button="Start the review",
    ),
    StepPage(
        step=Step.REQUEST_APPEAL,
        form=RequestAppealForm,
        title="Ask for an appeal",
        act=request_appeal,
        done=appeal_requested,
        route="appeal",
        context_template=_template("request"),
        button="Record the appeal",
    ),
    StepPage(
        step=Step.REFUSE_APPEAL,
        form=RefuseAppealForm,
        title="Refuse the appeal",
        act=refuse_appeal,
        done="Appeal refused: the stage 2 response remains the final response.",
        route="appeal/refuse",
        context_template=_template("refuse"),
        button="Refuse the appeal",
    ),
    StepPage(
        step=Step.SCHEDULE_APPEAL,
        form=ScheduleAppealForm,
        title="Arrange the appeal meeting",
        act=schedule_appeal,
        done=appeal_scheduled,
        route="appeal/schedule",
        context_template=_template("schedule"),
        button="Arrange the meeting",
    ),
    StepPage(
        step=Step.DECIDE_APPEAL,
        form=DecideAppealForm,
        title="Record the panel's decision",
        act=decide_appeal,
        done=appeal_decided,
        route="appeal/decision",
        context_template=_template("decide"),
        button="Record the decision",
    ),
    StepPage(
        step=Step.RECORD_FINAL_RESPONSE,
        form=FinalResponseForm,
        title="Record the final response",
        act=record_final_response,
        done=final_response_recorded,
        route="final-response",
        context_template=_template("final"),
        button="Record the final response",
        letter=lambda complaint: LetterKind.APPEAL_DECISION,
    ),
]
