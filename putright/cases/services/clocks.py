"""Deadlines: set when a clock starts, met, moved or cancelled only by a step."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from putright.cases.models import Deadline, Stage, copied_from
from putright.cases.services.steps import StepContext
from putright.procedure.deadlines import contact_name, ombudsman_direct, response_name, stage_clocks
from putright.procedure.policy import Anchor
from putright.procedure.policy import Stage as StageRules


def start(
    context: StepContext, name: str, *, due_at: dt.datetime, started_at: dt.datetime, stage: Stage | None
) -> Deadline:
    return Deadline.objects.create(
        complaint=context.complaint,
        **copied_from(context.complaint),
        stage=stage,
        name=name,
        clock_started_at=started_at,
        due_at=due_at,
        original_due_at=due_at,
    )


def start_stage_clocks(
    context: StepContext, stage: Stage, rules: StageRules, anchor_at: dt.datetime
) -> dict[str, dt.datetime]:
    """The contact and response deadlines of stage 1 or 2, from receipt or the request.

    A response counted from contact starts provisionally at the contact deadline,
    the latest the contact may come, and moves to the real contact when it is made.
    """
    contact_due, response_due = stage_clocks(context.rules.calendar, rules, anchor_at)
    response_from = contact_due if rules.response.anchor is Anchor.CONTACT else anchor_at
    contact, response = contact_name(stage.number), response_name(stage.number)
    start(context, contact, due_at=contact_due, started_at=anchor_at, stage=stage)
    start(context, response, due_at=response_due, started_at=response_from, stage=stage)
    return {contact: contact_due, response: response_due}


def open_deadline(context: StepContext, name: str) -> Deadline | None:
    return Deadline.objects.filter(
        complaint=context.complaint, name=name, met_at__isnull=True, cancelled_at__isnull=True
    ).first()


def meet(context: StepContext, name: str, at: dt.datetime | None = None) -> bool:
    """Mark a deadline met (at the step's time by default); False if none was open."""
    met = Deadline.objects.filter(
        complaint=context.complaint, name=name, met_at__isnull=True, cancelled_at__isnull=True
    ).update(met_at=at or context.occurred_at)
    return bool(met)


def meet_by(context: StepContext, name: str, at: dt.datetime) -> bool:
    """issue 13, ack: mark a deadline met at ``at``, or moved back to ``at`` when it was met later.

    A deadline is met by the earliest event that meets it, whatever order they are recorded in
    (a letter sent on Monday, then Friday's call typed in). False when it stands as it was.
    """
    met = (
        Deadline.objects.filter(complaint=context.complaint, name=name, cancelled_at__isnull=True)
        .filter(Q(met_at__isnull=True) | Q(met_at__gt=at))
        .update(met_at=at)
    )
    return bool(met)


def move(
    deadline: Deadline,
    due_at: dt.datetime,
    *,
    also_original: bool = False,
    started_at: dt.datetime | None = None,
) -> None:
    """Move a deadline; a clock restarted from a new event also records when it now starts."""
    deadline.due_at = due_at
    fields = ["due_at"]
    if also_original:
        deadline.original_due_at = due_at
        fields.append("original_due_at")
    if started_at is not None:
        deadline.clock_started_at = started_at
        fields.append("clock_started_at")
    deadline.save(update_fields=fields)


def restart_response_from_contact(step: StepContext, number: int | None = None) -> dt.datetime | None:
    """Under a policy that counts the response from contact, restart it from the real contact
    (of stage ``number``, the current one by default; the acknowledgement restarts it too)."""
    number = number or step.complaint.stage
    rules = step.rules.policy.stage(number)
    if rules.response.anchor is not Anchor.CONTACT:
        return None
    response = open_deadline(step, response_name(number))
    if response is None or response.due_at != response.original_due_at:
        return None  # already extended: the extension's date stands
    due = step.rules.calendar.due(step.occurred_at, rules.response)
    move(response, due, also_original=True, started_at=step.occurred_at)
    return due


def hold(context: StepContext, name: str, *, at: dt.datetime) -> None:
    """Record when an agreed event (the appeal meeting) is held, rearranged or not."""
    Deadline.objects.filter(complaint=context.complaint, name=name, cancelled_at__isnull=True).update(
        met_at=at
    )


def cancel_open(context: StepContext, *names: str) -> int:
    """Cancel deadlines not yet met, or met by an event still to come: they no longer apply."""
    pending = Deadline.objects.filter(complaint=context.complaint, cancelled_at__isnull=True).filter(
        Q(met_at__isnull=True) | Q(met_at__gt=context.occurred_at)
    )
    if names:
        pending = pending.filter(name__in=names)
    return pending.update(cancelled_at=context.occurred_at)


def set_final_response(context: StepContext) -> dt.datetime:
    """Record the final response and from when the customer may go to the Ombudsman directly."""
    direct = ombudsman_direct(context.rules.calendar, context.rules.policy, context.occurred_at)
    context.set(final_response_at=context.occurred_at, ombudsman_direct_from=direct)
    return direct
