"""The stage 2 review and the appeal."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Status

from putright.accounts.models import User
from putright.api.routers.steps.common import (
    RESPONSES,
    PointOutcomeIn,
    StepIn,
    outcomes_of,
    required_colleague,
    router,
    take,
    team_of,
)
from putright.cases.models import Complaint
from putright.cases.services import escalation
from putright.procedure.policy import PanelRole
from putright.procedure.states import ResponseMethod, Step

# Review and appeal


class EscalateIn(StepIn):
    grounds: list[str] = Field(default_factory=list, description="The policy's grounds, e.g. ['a', 'c'].")
    explanation: str = ""
    owner: str = Field(description="Username of the Senior Manager who reviews it.")
    team_id: int | None = None


@router.post("/{reference}/escalate", response=RESPONSES, summary="Escalate to stage 2")
def escalate(request: HttpRequest, reference: str, body: EscalateIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        owner = required_colleague(body.owner, "owner", user, complaint)
        return escalation.escalate(
            complaint,
            grounds=body.grounds,
            explanation=body.explanation,
            owner=owner,
            team=team_of(body.team_id, user, complaint),
            actor=user,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.ESCALATE, act)


class AppealIn(StepIn):
    criteria: list[str] = Field(description="The policy's criteria the appeal meets, e.g. ['b'].")
    explanation: str


@router.post("/{reference}/appeal", response=RESPONSES, summary="Request an appeal")
def request_appeal(request: HttpRequest, reference: str, body: AppealIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.REQUEST_APPEAL,
        lambda c, u: escalation.request_appeal(
            c,
            criteria=body.criteria,
            explanation=body.explanation,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class RefuseAppealIn(StepIn):
    reason: str
    criteria_met: list[str] = Field(default_factory=list)


@router.post("/{reference}/appeal/refuse", response=RESPONSES, summary="Refuse the appeal")
def refuse_appeal(request: HttpRequest, reference: str, body: RefuseAppealIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.REFUSE_APPEAL,
        lambda c, u: escalation.refuse_appeal(
            c,
            reason=body.reason,
            criteria_met=body.criteria_met,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class ScheduleAppealIn(StepIn):
    meeting_at: dt.datetime
    location: str
    panel: dict[PanelRole, str] = Field(
        default_factory=dict,
        description="Role to the name of someone without a login: board_member, resident, executive.",
    )
    panel_staff: dict[PanelRole, str] = Field(
        default_factory=dict, description="Role to the username of a member of staff with the panel role."
    )
    agreed_with_customer: bool
    companion_name: str = ""
    companion_relationship: str = ""
    companion_is_legal_representative: bool = False


@router.post("/{reference}/appeal/schedule", response=RESPONSES, summary="Arrange the appeal meeting")
def schedule_appeal(request: HttpRequest, reference: str, body: ScheduleAppealIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.SCHEDULE_APPEAL,
        lambda c, u: escalation.schedule_appeal(
            c,
            meeting_at=body.meeting_at,
            location=body.location,
            panel={str(role): name for role, name in body.panel.items()},
            panel_staff={
                str(role): required_colleague(name, "panel_staff", u, c)
                for role, name in body.panel_staff.items()
            },
            agreed_with_customer=body.agreed_with_customer,
            companion_name=body.companion_name,
            companion_relationship=body.companion_relationship,
            companion_is_legal_representative=body.companion_is_legal_representative,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class DecisionIn(StepIn):
    summary: str
    outcomes: list[PointOutcomeIn]


@router.post("/{reference}/appeal/decision", response=RESPONSES, summary="Record the panel's decision")
def decide_appeal(request: HttpRequest, reference: str, body: DecisionIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.DECIDE_APPEAL,
        lambda c, u: escalation.decide_appeal(
            c,
            outcomes=outcomes_of(body.outcomes),
            summary=body.summary,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class FinalResponseIn(StepIn):
    method: ResponseMethod


@router.post("/{reference}/final-response", response=RESPONSES, summary="Record the final response")
def record_final_response(request: HttpRequest, reference: str, body: FinalResponseIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RECORD_FINAL_RESPONSE,
        lambda c, u: escalation.record_final_response(
            c, method=body.method, actor=u, occurred_at=body.occurred_at, expected_version=body.version
        ),
    )
