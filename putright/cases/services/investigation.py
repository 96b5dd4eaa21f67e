"""Investigating: contact with the customer, evidence, and extensions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import (
    AcknowledgedVia,
    Complaint,
    Contact,
    ContactMethod,
    Direction,
    EventKind,
    EvidenceRequest,
    Extension,
    Stage,
)
from putright.cases.policies import rules_for
from putright.cases.services import clocks
from putright.cases.services.acknowledgement import record_acknowledgement
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq
from putright.procedure.deadlines import contact_name, response_name
from putright.procedure.wording import by_means, long_date


def record_contact(
    complaint: Complaint,
    *,
    method: ContactMethod | str,
    summary: str,
    direction: Direction | str = Direction.OUTBOUND,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
    acknowledges: bool = False,
) -> Contact:
    """Record a call, visit, letter or email; our first one at a stage meets its contact deadline.

    One that ``acknowledges`` the complaint also acknowledges the stage (issue 13,
    ``acknowledgement.record_acknowledgement``), in the same step.
    """
    if method not in ContactMethod.values:
        raise InvalidInput("method", f"must be one of {', '.join(ContactMethod.values)}")
    if direction not in Direction.values:
        raise InvalidInput("direction", f"must be one of {', '.join(Direction.values)}")
    if not summary.strip():
        raise InvalidInput("summary", "say what was discussed")
    if acknowledges and complaint.stage == 0:
        raise InvalidInput(
            "acknowledges", "the complaint has not been accepted yet, so there is no stage to acknowledge"
        )
    with case_step(
        complaint, rq.RecordContact(), actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        case = step.complaint
        contact = Contact.objects.create(
            complaint=case,
            stage_number=case.stage,
            occurred_at=step.occurred_at,
            method=method,
            direction=direction,
            summary=summary.strip(),
            acknowledges=acknowledges,
            recorded_by=actor,
        )
        data: dict[str, object] = {"method": str(method), "direction": str(direction)}
        ours = direction == Direction.OUTBOUND and case.stage in (1, 2)
        if ours and clocks.meet(step, contact_name(case.stage)):
            data["met"] = contact_name(case.stage)
            moved = clocks.restart_response_from_contact(step)
            if moved:
                data["response_due"] = moved.isoformat()
        label = ContactMethod(method).label.lower()
        step.record(EventKind.CONTACT_RECORDED, f"Contact {by_means(label)}: {summary.strip()}", **data)
        if acknowledges:
            record_acknowledgement(step, via=AcknowledgedVia.CONTACT)
    return contact


def request_evidence(
    complaint: Complaint,
    *,
    description: str,
    respond_by: dt.date | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> EvidenceRequest:
    """Ask the customer for evidence to support the investigation (or their appeal)."""
    if not description.strip():
        raise InvalidInput("description", "say what the customer is asked for")
    with case_step(
        complaint,
        rq.RequestEvidence(),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        if respond_by is not None and respond_by < timezone.localtime(step.occurred_at).date():
            raise InvalidInput("respond_by", "cannot be before the request")
        evidence = EvidenceRequest.objects.create(
            complaint=step.complaint,
            stage_number=step.complaint.stage,
            occurred_at=step.occurred_at,
            description=description.strip(),
            respond_by=respond_by,
            recorded_by=actor,
        )
        step.record(EventKind.EVIDENCE_REQUESTED, f"Evidence requested: {description.strip()}")
    return evidence


def extend(
    complaint: Complaint,
    *,
    new_due_on: dt.date,
    reason: str,
    good_reason: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Extension:
    """Move the response date, within the policy's limit or with a recorded good reason."""
    calendar = rules_for(complaint).calendar
    if not calendar.is_working_day(new_due_on):
        holiday = calendar.bank_holiday_name(new_due_on)
        why = f" ({holiday})" if holiday else ""
        raise InvalidInput("new_due_on", f"{long_date(new_due_on, weekday=True)} is not a working day{why}")
    new_due = calendar.end_of_day(new_due_on)
    request = rq.Extend(
        new_due=new_due, reason=reason, good_reason=good_reason, agreed_at=occurred_at or timezone.now()
    )
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        number = step.complaint.stage
        response = clocks.open_deadline(step, response_name(number))
        assert response is not None  # the guard refuses a stage without one
        stage = Stage.objects.get(complaint=step.complaint, number=number)
        extension = Extension.objects.create(
            stage=stage,
            number=stage.extensions.count() + 1,
            occurred_at=step.occurred_at,
            previous_due_at=response.due_at,
            new_due_at=new_due,
            reason=reason.strip(),
            good_reason=good_reason.strip(),
            recorded_by=actor,
        )
        step.record(
            EventKind.EXTENDED,
            f"Response date moved to {long_date(new_due_on, weekday=True)}: {reason.strip()}",
            old=response.due_at.isoformat(),
            new=new_due.isoformat(),
            good_reason=good_reason.strip(),
        )
        clocks.move(response, new_due)
    return extension
