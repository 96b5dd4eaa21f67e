"""One endpoint per step of the procedure.

Each takes the complaint's ``version`` as read (a stale one is refused with
409) and ``occurred_at``, when the step really happened (default: now), so a
call made this morning can be typed in this afternoon with the deadlines
following the real time. Each answers with the complaint as it now is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from putright.accounts.models import Team, User
from putright.accounts.permissions import Capability
from putright.api import presenters
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import require, require_step
from putright.api.problems import WRITE_ERRORS
from putright.api.schemas import ComplaintOut
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, Concern, ContactMethod, Direction
from putright.cases.selectors.complaints import complaint_detail, complaint_for_user
from putright.cases.services import changes, concerns, escalation, investigation, responses, triage
from putright.procedure.policy import ExclusionReason, PanelRole
from putright.procedure.states import ConcernKind, NewMatterRoute, Outcome, ResponseMethod, Step

router = Router(tags=["Steps"])
RESPONSES: dict[int, Any] = {200: ComplaintOut, **WRITE_ERRORS}


class StepIn(Schema):
    version: int = Field(description="The complaint's version as you read it.")
    occurred_at: dt.datetime | None = Field(None, description="When it happened (default: now).")


def take(
    request: HttpRequest,
    reference: str,
    step: Step,
    act: Callable[[Complaint, User], object],
    *,
    capability: Capability | None = None,
) -> Status[Any]:
    """Check the caller may take ``step`` on the complaint, run it once, answer with the complaint."""
    user = caller(request)
    complaint = complaint_for_user(user=user, reference=reference)
    if capability is None:
        require_step(user, step, complaint.stage)
    else:
        require(user, capability)

    def run() -> Answer:
        act(complaint, user)
        fresh = complaint_detail(user=user, reference=complaint.reference)
        return 200, presenters.detail(fresh, user, timezone.now())

    return run_write(request, run)


def _user(username: str | None, field: str) -> User | None:
    if not username:
        return None
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise InvalidInput(field, f"no active member of staff {username!r}")
    return found


def _required_user(username: str, field: str) -> User:
    """A member of staff a step cannot do without: an empty name is refused like an unknown one."""
    found = _user(username, field)
    if found is None:
        raise InvalidInput(field, "name an active member of staff")
    return found


def _team(team_id: int | None) -> Team | None:
    if team_id is None:
        return None
    found = Team.objects.filter(pk=team_id).first()
    if found is None:
        raise InvalidInput("team_id", f"no team {team_id}")
    return found


# Triage


class AcceptIn(StepIn):
    owner: str = Field(description="Username of the Resolution Officer who takes stage 1.")
    team_id: int | None = None


@router.post("/{reference}/accept", response=RESPONSES, summary="Accept at stage 1")
def accept(request: HttpRequest, reference: str, body: AcceptIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        owner = _required_user(body.owner, "owner")
        return triage.accept(
            complaint,
            owner=owner,
            team=_team(body.team_id),
            actor=user,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.ACCEPT, act)


class ResolveInformallyIn(StepIn):
    resolution: str = Field(description="How the matter was put right at once.")


@router.post("/{reference}/resolve-informally", response=RESPONSES, summary="Resolve informally")
def resolve_informally(request: HttpRequest, reference: str, body: ResolveInformallyIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RESOLVE_INFORMALLY,
        lambda c, u: triage.resolve_informally(
            c,
            resolution=body.resolution,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class NotAcceptIn(StepIn):
    reason: ExclusionReason
    explanation: str = Field(description="What the customer is told.")
    duplicate_of: str | None = Field(None, description="The reference of the complaint this one repeats.")
    signposted_to: str = ""


@router.post("/{reference}/not-accept", response=RESPONSES, summary="Do not accept")
def not_accept(request: HttpRequest, reference: str, body: NotAcceptIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.NOT_ACCEPT,
        lambda c, u: triage.not_accept(
            c,
            reason=body.reason,
            explanation=body.explanation,
            duplicate_of=body.duplicate_of,
            signposted_to=body.signposted_to,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


# Investigation


class ContactIn(StepIn):
    method: ContactMethod
    direction: Direction = Direction.OUTBOUND
    summary: str


@router.post("/{reference}/contacts", response=RESPONSES, summary="Record a contact")
def record_contact(request: HttpRequest, reference: str, body: ContactIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RECORD_CONTACT,
        lambda c, u: investigation.record_contact(
            c,
            method=body.method,
            direction=body.direction,
            summary=body.summary,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class EvidenceRequestIn(StepIn):
    description: str
    respond_by: dt.date | None = None


@router.post("/{reference}/evidence-requests", response=RESPONSES, summary="Request evidence")
def request_evidence(request: HttpRequest, reference: str, body: EvidenceRequestIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.REQUEST_EVIDENCE,
        lambda c, u: investigation.request_evidence(
            c,
            description=body.description,
            respond_by=body.respond_by,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class ExtensionIn(StepIn):
    new_due_on: dt.date = Field(description="The new response date (a working day).")
    reason: str = Field(description="Explained to the customer with the new date.")
    good_reason: str = Field("", description="Needed beyond the policy's limit or for a further extension.")


@router.post("/{reference}/extensions", response=RESPONSES, summary="Extend the response date")
def extend(request: HttpRequest, reference: str, body: ExtensionIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.EXTEND,
        lambda c, u: investigation.extend(
            c,
            new_due_on=body.new_due_on,
            reason=body.reason,
            good_reason=body.good_reason,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class PointOutcomeIn(Schema):
    point_id: int
    outcome: Outcome
    reasons: str = ""


class ResponseIn(StepIn):
    method: ResponseMethod
    summary: str
    outcomes: list[PointOutcomeIn] = Field(description="An outcome for every point of complaint.")


def _outcomes(items: list[PointOutcomeIn]) -> dict[int, tuple[Outcome, str]]:
    found: dict[int, tuple[Outcome, str]] = {}
    for item in items:
        if item.point_id in found:
            raise InvalidInput("outcomes", f"point {item.point_id} is given more than one outcome")
        found[item.point_id] = (item.outcome, item.reasons)
    return found


@router.post("/{reference}/responses", response=RESPONSES, summary="Respond (stage 1 or 2)")
def respond(request: HttpRequest, reference: str, body: ResponseIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RESPOND,
        lambda c, u: responses.respond(
            c,
            outcomes=_outcomes(body.outcomes),
            method=body.method,
            summary=body.summary,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class ActionIn(StepIn):
    description: str
    due_on: dt.date
    owner: str | None = Field(None, description="Username of whoever carries it out.")


@router.post("/{reference}/actions", response=RESPONSES, summary="Agree an action")
def add_action(request: HttpRequest, reference: str, body: ActionIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.ADD_ACTION,
        lambda c, u: responses.add_action(
            c,
            description=body.description,
            due_on=body.due_on,
            owner=_user(body.owner, "owner"),
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class CompleteActionIn(StepIn):
    note: str = ""


@router.post("/{reference}/actions/{action_id}/complete", response=RESPONSES, summary="Complete an action")
def complete_action(
    request: HttpRequest, reference: str, action_id: int, body: CompleteActionIn
) -> Status[Any]:
    return take(
        request,
        reference,
        Step.COMPLETE_ACTION,
        lambda c, u: responses.complete_action(
            c,
            action_id=action_id,
            note=body.note,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


@router.post("/{reference}/close", response=RESPONSES, summary="Close")
def close(request: HttpRequest, reference: str, body: StepIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.CLOSE,
        lambda c, u: responses.close(c, actor=u, occurred_at=body.occurred_at, expected_version=body.version),
    )


# Review and appeal


class EscalateIn(StepIn):
    grounds: list[str] = Field(default_factory=list, description="The policy's grounds, e.g. ['a', 'c'].")
    explanation: str = ""
    owner: str = Field(description="Username of the Senior Manager who reviews it.")
    team_id: int | None = None


@router.post("/{reference}/escalate", response=RESPONSES, summary="Escalate to stage 2")
def escalate(request: HttpRequest, reference: str, body: EscalateIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        owner = _required_user(body.owner, "owner")
        return escalation.escalate(
            complaint,
            grounds=body.grounds,
            explanation=body.explanation,
            owner=owner,
            team=_team(body.team_id),
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
    panel: dict[PanelRole, str] = Field(description="Role to name: board_member, resident, executive.")
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
            outcomes=_outcomes(body.outcomes),
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


# The case itself


class WithdrawIn(StepIn):
    reason: str = ""


@router.post("/{reference}/withdraw", response=RESPONSES, summary="Withdraw (at the customer's request)")
def withdraw(request: HttpRequest, reference: str, body: WithdrawIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.WITHDRAW,
        lambda c, u: changes.withdraw(
            c, reason=body.reason, actor=u, occurred_at=body.occurred_at, expected_version=body.version
        ),
    )


class ReassignIn(StepIn):
    owner: str
    team_id: int | None = None
    reason: str = ""


@router.post("/{reference}/reassign", response=RESPONSES, summary="Reassign")
def reassign(request: HttpRequest, reference: str, body: ReassignIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        owner = _required_user(body.owner, "owner")
        return changes.reassign(
            complaint,
            owner=owner,
            team=_team(body.team_id),
            reason=body.reason,
            actor=user,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.REASSIGN, act)


class NewMatterIn(StepIn):
    route: NewMatterRoute
    description: str
    signpost_to: str = ""
    category: str = ""


@router.post("/{reference}/new-matters", response=RESPONSES, summary="Raise a new matter")
def raise_new_matter(request: HttpRequest, reference: str, body: NewMatterIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RAISE_NEW_MATTER,
        lambda c, u: changes.raise_new_matter(
            c,
            route=body.route,
            description=body.description,
            signpost_to=body.signpost_to,
            category=body.category,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class ConcernIn(StepIn):
    kind: ConcernKind
    description: str
    refer_to: str | None = Field(None, description="Username of the lead it is referred to at once.")


@router.post(
    "/{reference}/concerns", response=RESPONSES, summary="Flag a safeguarding or health and safety concern"
)
def flag_concern(request: HttpRequest, reference: str, body: ConcernIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.FLAG_CONCERN,
        lambda c, u: concerns.flag_concern(
            c,
            kind=body.kind,
            description=body.description,
            refer_to=_user(body.refer_to, "refer_to"),
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class ReferConcernIn(StepIn):
    to: str


def _concern(complaint: Complaint, concern_id: int) -> Concern:
    found = Concern.objects.filter(complaint=complaint, pk=concern_id).first()
    if found is None:
        raise InvalidInput("concern_id", f"no concern {concern_id} on this complaint")
    return found


@router.post("/{reference}/concerns/{concern_id}/refer", response=RESPONSES, summary="Refer a concern")
def refer_concern(request: HttpRequest, reference: str, concern_id: int, body: ReferConcernIn) -> Status[Any]:
    def act(complaint: Complaint, user: User) -> object:
        to = _required_user(body.to, "to")
        return concerns.refer_concern(
            _concern(complaint, concern_id),
            to=to,
            actor=user,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        )

    return take(request, reference, Step.FLAG_CONCERN, act, capability=Capability.MANAGE_CONCERNS)


class CloseConcernIn(StepIn):
    outcome: str


@router.post("/{reference}/concerns/{concern_id}/close", response=RESPONSES, summary="Close a concern")
def close_concern(request: HttpRequest, reference: str, concern_id: int, body: CloseConcernIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.FLAG_CONCERN,
        lambda c, u: concerns.close_concern(
            _concern(c, concern_id),
            outcome=body.outcome,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
        capability=Capability.MANAGE_CONCERNS,
    )


class RestrictionIn(StepIn):
    reason: str
    restrictions: str
    review_on: dt.date
    starts_on: dt.date | None = None


@router.post("/{reference}/restrictions", response=RESPONSES, summary="Record a restriction")
def record_restriction(request: HttpRequest, reference: str, body: RestrictionIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RECORD_RESTRICTION,
        lambda c, u: concerns.record_restriction(
            c,
            reason=body.reason,
            restrictions=body.restrictions,
            review_on=body.review_on,
            starts_on=body.starts_on,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )
