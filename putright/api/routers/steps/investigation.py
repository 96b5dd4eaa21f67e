"""Investigating and responding: contact, evidence, extensions, responses, actions, closure."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Status

from putright.api.routers.steps.common import (
    RESPONSES,
    ResponseIn,
    StepIn,
    colleague,
    outcomes_of,
    router,
    take,
)
from putright.cases.models import AcknowledgedVia, ContactMethod, Direction
from putright.cases.services import acknowledgement, investigation, responses
from putright.procedure.states import Step

# Investigation


class ContactIn(StepIn):
    method: ContactMethod
    direction: Direction = Direction.OUTBOUND
    summary: str
    # issue 13, ack
    acknowledges: bool = Field(False, description="This contact acknowledges the complaint at its stage.")


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
            acknowledges=body.acknowledges,
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


# issue 13, ack: the acknowledgement recorded on its own (a letter sent outside putright, say)


@router.post(
    "/{reference}/acknowledgement",
    response=RESPONSES,
    summary="Record the acknowledgement",
    description="Record that the current stage was acknowledged at `occurred_at` (default: now). "
    "The earliest acknowledgement stands: a later one changes nothing. Under a policy whose "
    "response is counted from contact (the Code's), it meets the contact deadline and restarts "
    "the response clock from the acknowledgement.",
)
def acknowledge(request: HttpRequest, reference: str, body: StepIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.ACKNOWLEDGE,
        lambda c, u: acknowledgement.acknowledge(
            c,
            via=AcknowledgedVia.RECORDED,
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


@router.post("/{reference}/responses", response=RESPONSES, summary="Respond (stage 1 or 2)")
def respond(request: HttpRequest, reference: str, body: ResponseIn) -> Status[Any]:
    return take(
        request,
        reference,
        Step.RESPOND,
        lambda c, u: responses.respond(
            c,
            outcomes=outcomes_of(body.outcomes),
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
            owner=colleague(body.owner, "owner", u, c),
            actor=u,
            occurred_at=body.occurred_at,
            expected_version=body.version,
        ),
    )


class CompleteActionIn(StepIn):
    note: str = Field(description="What was done (required).")


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
