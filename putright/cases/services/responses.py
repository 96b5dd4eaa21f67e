"""Responding: an outcome for every point, the actions agreed, and closure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import (
    Action,
    Complaint,
    EventKind,
    Point,
    PointOutcome,
    Response,
    ResponseKind,
    Stage,
    copied_from,
)
from putright.cases.policies import policy_of
from putright.cases.services import clocks
from putright.cases.services.assignment import check_assignee
from putright.cases.services.steps import StepContext, case_step
from putright.procedure import requests as rq
from putright.procedure.deadlines import contact_name, response_name
from putright.procedure.states import Outcome, ResponseMethod
from putright.procedure.wording import long_date

#: An outcome for one point: the outcome and the reasons for it.
PointDecision = tuple[Outcome | str, str]


def parse_outcomes(outcomes: Mapping[int, PointDecision]) -> dict[int, Outcome]:
    parsed = {}
    for point_id, (outcome, _) in outcomes.items():
        if outcome not in Outcome.__members__.values():
            raise InvalidInput("outcomes", f"{outcome!r} is not upheld, partially_upheld or not_upheld")
        parsed[point_id] = Outcome(outcome)
    return parsed


def require_reasons(complaint: Complaint, outcomes: Mapping[int, PointDecision], stage: int) -> None:
    """Refuse, naming the point's field (``outcomes[i].reasons``), an outcome without its
    reasons when the complaint's policy requires them at this stage (the Code, 6.7).

    The state machine refuses the same (the guard is a backstop); asking here first lets the
    API point at the field and the workspace put the error beside it.
    """
    if stage not in (1, 2) or not policy_of(complaint.policy).stage(stage).reasons_for_each_point:
        return
    for index, (_, reasons) in enumerate(outcomes.values()):
        if not reasons.strip():
            raise InvalidInput(
                f"outcomes[{index}].reasons",
                f"give the reasons for this point's outcome: the policy requires them at stage {stage}",
            )


def save_response(
    step: StepContext, outcomes: Mapping[int, PointDecision], *, kind: ResponseKind, method: str, summary: str
) -> Response:
    stage = Stage.objects.get(complaint=step.complaint, number=step.complaint.stage)
    response = Response.objects.create(
        stage=stage,
        **copied_from(step.complaint),
        kind=kind,
        occurred_at=step.occurred_at,
        method=method,
        summary=summary.strip(),
        recorded_by=step.actor,
    )
    points = Point.objects.in_bulk(list(outcomes))
    copied = copied_from(step.complaint)
    PointOutcome.objects.bulk_create(
        PointOutcome(
            response=response, point=points[pk], outcome=str(outcome), reasons=reasons.strip(), **copied
        )
        for pk, (outcome, reasons) in outcomes.items()
    )
    return response


def outcome_counts(outcomes: Mapping[int, Outcome]) -> dict[str, int]:
    return {o.value: sum(1 for v in outcomes.values() if v is o) for o in Outcome}


def respond(
    complaint: Complaint,
    *,
    outcomes: Mapping[int, PointDecision],
    method: ResponseMethod | str,
    summary: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Response:
    """Give the stage 1 or stage 2 response; a stage 2 response is a final response."""
    if method not in ResponseMethod.__members__.values():
        raise InvalidInput("method", "must be phone, in_person, letter or email")
    if not summary.strip():
        raise InvalidInput("summary", "summarise the response given to the customer")
    parse_outcomes(outcomes)
    require_reasons(complaint, outcomes, complaint.stage)
    by = rq.Person(actor.pk, str(actor)) if actor is not None else None
    request = rq.Respond(
        outcomes=parse_outcomes(outcomes),
        method=ResponseMethod(method),
        reasons={pk: reasons for pk, (_, reasons) in outcomes.items()},
        by=by,
    )
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        number = step.complaint.stage
        response = save_response(
            step, outcomes, kind=ResponseKind.RESPONSE, method=str(method), summary=summary
        )
        Stage.objects.filter(complaint=step.complaint, number=number).update(responded_at=step.occurred_at)
        clocks.meet(step, contact_name(number))
        clocks.meet(step, response_name(number))
        data: dict[str, object] = {"outcomes": outcome_counts(request.outcomes), "method": str(method)}
        if number == 2:
            data["ombudsman_direct_from"] = clocks.set_final_response(step).isoformat()
        step.record(EventKind.RESPONDED, f"Stage {number} response given: {summary.strip()}", **data)
    return response


def add_action(
    complaint: Complaint,
    *,
    description: str,
    due_on: dt.date,
    owner: User | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Action:
    """Agree an action to put things right; the complaint stays open until it is done."""
    if not description.strip():
        raise InvalidInput("description", "say what will be done")
    with case_step(
        complaint, rq.AddAction(), actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        if owner is not None:
            check_assignee(owner, step.complaint, field="owner")
        action = Action.objects.create(
            complaint=step.complaint,
            stage_number=step.complaint.stage,
            description=description.strip(),
            owner=owner,
            due_on=due_on,
            agreed_at=step.occurred_at,
        )
        step.record(
            EventKind.ACTION_ADDED,
            f"Action agreed, due {long_date(due_on)}: {description.strip()}",
            action=action.pk,
        )
    return action


def complete_action(
    complaint: Complaint,
    *,
    action_id: int,
    note: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Action:
    """Mark an agreed action done, saying what was done (required: it is the record of it)."""
    request = rq.CompleteAction(action_id=action_id, note=note)
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        action = Action.objects.get(pk=action_id)
        if action.is_done:
            raise InvalidInput("action_id", "this action is already complete")
        action.completed_at = step.occurred_at
        action.completed_by = actor
        action.completion_note = note.strip()
        action.save(update_fields=["completed_at", "completed_by", "completion_note"])
        step.record(
            EventKind.ACTION_COMPLETED,
            f"Action completed: {action.description} (done: {action.completion_note})",
            action=action.pk,
        )
    return action


def close(
    complaint: Complaint,
    *,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Close once every agreed action has been carried out."""
    with case_step(
        complaint, rq.Close(), actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        step.set(closed_at=step.occurred_at)
        step.record(EventKind.CLOSED, f"Closed at stage {step.complaint.stage}")
    return complaint
