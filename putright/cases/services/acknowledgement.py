"""The acknowledgement: a fact of its own on each stage (issue 13).

The Housing Ombudsman's Code runs its clocks from the acknowledgement (stage 1:
acknowledged within 5 working days of receipt, answered within 10 working days
of the acknowledgement; stage 2: 5 and 20), and the regulator's CH02 reads the
dates a complaint was received, acknowledged and answered. A stage is
acknowledged by the earliest of: the acknowledgement letter sent (emailed, or
recorded as posted), a contact recorded as acknowledging, or an acknowledgement
recorded through the API. Each way in calls ``acknowledge`` (or, inside a step
that is already running, ``record_acknowledgement``); the earliest stands, so
the order they are typed in does not matter.

How it reads the policy: a stage's clocks run from "contact" (``Anchor.CONTACT``,
"we made contact, or acknowledged, at this stage") only under a policy written
from the Code (code-2024). There the contact deadline is the acknowledgement
deadline, so an acknowledgement meets it (or, earlier than what met it, takes
its place) and the response clock restarts from it exactly as a first contact
restarts it (``clocks.restart_response_from_contact``; an extended clock keeps
its extension). Under the seed policy (flagship) the response runs from receipt
and the 24-hour contact is a conversation with the Resolution Officer: a letter
is not that contact, so the acknowledgement is recorded and moves no clock.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import AcknowledgedVia, Complaint, EventKind, Stage
from putright.cases.services import clocks
from putright.cases.services.steps import StepContext, case_step
from putright.procedure import requests as rq
from putright.procedure.deadlines import contact_name
from putright.procedure.policy import Anchor
from putright.procedure.states import stage_label
from putright.procedure.wording import day_of, due_words

#: The ways an acknowledgement is recorded from now on (``BACKFILLED`` is the migration's alone).
RECORDED_VIA = frozenset({AcknowledgedVia.LETTER, AcknowledgedVia.CONTACT, AcknowledgedVia.RECORDED})


class _Unchanged(Exception):
    """Raised inside the step to roll it back when an acknowledgement changes nothing."""

    def __init__(self, stage: Stage) -> None:
        super().__init__("already acknowledged earlier")
        self.stage = stage


def acknowledge(
    complaint: Complaint | int,
    *,
    via: AcknowledgedVia | str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    stage_number: int | None = None,
    expected_version: int | None = None,
) -> Stage:
    """Record that a stage (the current one unless ``stage_number``) was acknowledged at ``occurred_at``.

    The earliest acknowledgement stands: a later one changes nothing (no event, the
    case's version stays), an earlier one takes its place and the timeline says so.
    Refused as any step is (a finished complaint, a stale version, a time in the future
    or before the stage began).
    """
    if via not in {v.value for v in RECORDED_VIA}:
        raise InvalidInput("via", f"must be one of {', '.join(sorted(v.value for v in RECORDED_VIA))}")
    request = rq.Acknowledge(stage=stage_number)
    try:
        with case_step(
            complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
        ) as step:
            stage, changed = record_acknowledgement(step, via=AcknowledgedVia(via), stage_number=stage_number)
            if not changed:
                raise _Unchanged(stage)
    except _Unchanged as unchanged:
        return unchanged.stage
    return stage


def record_acknowledgement(
    step: StepContext, *, via: AcknowledgedVia, stage_number: int | None = None
) -> tuple[Stage, bool]:
    """Inside a running step: acknowledge the stage at the step's time, if that is the earliest.

    Returns the stage and whether it changed. The caller's step writes the event.
    """
    number = stage_number or step.complaint.stage
    stage = Stage.objects.select_for_update().filter(complaint=step.complaint, number=number).first()
    if stage is None:
        raise InvalidInput(
            "stage", "the complaint has not been accepted yet, so there is no stage to acknowledge"
        )
    at = step.occurred_at
    before, before_via = stage.acknowledged_at, stage.acknowledged_via
    if before is not None and before <= at:
        return stage, False
    stage.acknowledged_at, stage.acknowledged_via = at, via
    stage.save(update_fields=["acknowledged_at", "acknowledged_via"])
    tz = step.rules.calendar.tz
    data: dict[str, Any] = {"stage": number, "via": str(via)}
    summary = f"{stage_label(number)} acknowledged: {_via_words(via)}"
    if before is not None:
        data.update(old=before.isoformat(), old_via=before_via)
        summary += f", earlier than the {_via_words(before_via)} on {day_of(before, tz)}"
    met, response_due = _clocks_from(step, number)
    if met:
        data["met"] = met
    if response_due is not None:
        data["response_due"] = response_due.isoformat()
        summary += f"; response now due by {due_words(response_due, tz)}"
    step.record(EventKind.ACKNOWLEDGED, summary, **data)
    return stage, True


def _clocks_from(step: StepContext, number: int) -> tuple[str, dt.datetime | None]:
    """Under a policy whose clocks run from contact-or-acknowledgement, the contact deadline the
    acknowledgement meets ("" for none) and the response date it restarts (None if it stands)."""
    if number not in (1, 2):
        return "", None  # the appeal's clocks run from the request and the meeting
    if step.rules.policy.stage(number).response.anchor is not Anchor.CONTACT:
        return "", None  # the seed policy: the response runs from receipt; a letter is not the contact
    if not clocks.meet_by(step, contact_name(number), step.occurred_at):
        return "", None  # a contact or acknowledgement before this one already started the clock
    return contact_name(number), clocks.restart_response_from_contact(step, number)


def _via_words(via: str) -> str:
    """ "acknowledgement letter sent": the choice's label, inside a sentence."""
    label = AcknowledgedVia(via).label
    return label[0].lower() + label[1:]
