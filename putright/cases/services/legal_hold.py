"""Legal hold: keep a case from the retention run while it may be needed (issue 15, retention).

A claim, an Ombudsman or regulator's inquiry or a solicitor's letter can need a
complaint's full record after its retention period has ended. A Senior Manager
places a hold, with the reason; while it stands ``anonymise_complaint`` refuses
the case and the retention run passes it by. Lifting it (with a reason) lets the
next run anonymise the case if its time has come. Each is one step, through
``case_step``, with its timeline event; placing a second hold or lifting one
that is not there is refused by the procedure's preconditions and changes nothing.
"""

from __future__ import annotations

import datetime as dt

from putright.accounts.models import User
from putright.cases.models import Complaint, EventKind
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq


def place_legal_hold(
    complaint: Complaint,
    *,
    actor: User | None,
    reason: str,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Put ``complaint`` under legal hold for ``reason``; StepNotAllowed if it already is."""
    with case_step(
        complaint,
        rq.PlaceLegalHold(reason=reason),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        why = reason.strip()
        step.set(legal_hold_since=step.occurred_at, legal_hold_reason=why)
        step.record(EventKind.LEGAL_HOLD_PLACED, f"Legal hold placed: {why}", reason=why)
    return complaint


def lift_legal_hold(
    complaint: Complaint,
    *,
    actor: User | None,
    reason: str,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """End the legal hold on ``complaint``, for ``reason``; StepNotAllowed if there is none."""
    with case_step(
        complaint,
        rq.LiftLegalHold(reason=reason),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        why = reason.strip()
        held_for = step.complaint.legal_hold_reason
        step.set(legal_hold_since=None, legal_hold_reason="")
        step.record(EventKind.LEGAL_HOLD_LIFTED, f"Legal hold lifted: {why}", reason=why, held_for=held_for)
    return complaint
