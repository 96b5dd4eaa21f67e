"""The one way a case changes: lock, check, change, record, in one transaction.

Every service that changes a complaint runs inside ``case_step``. It locks the
complaint row, refuses a stale edit, asks the procedure's state machine whether
the step is allowed, lets the service make its change, then moves the state,
bumps the version and writes the timeline events, all in the same
transaction. What must follow a step outside the database (an email) is queued
with ``transaction.on_commit`` by the service, so it never goes out for a step
that was rolled back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import CaseNotFound, InvalidInput, StaleCase, StepNotAllowed
from putright.cases.models import Complaint, Deadline, EventKind, TimelineEvent
from putright.cases.policies import rules_for
from putright.cases.selectors.facts import facts_of
from putright.procedure import machine
from putright.procedure.guards import Facts, Rules, earliest
from putright.procedure.requests import Request
from putright.procedure.wording import long_datetime

#: How far ahead of the server clock an event may be dated (a laptop's clock drift).
CLOCK_SKEW = dt.timedelta(minutes=5)


@dataclass
class StepContext:
    """What a service gets inside a step: the locked case, the rules, the time."""

    complaint: Complaint
    actor: User | None
    actor_label: str
    occurred_at: dt.datetime
    rules: Rules
    events: list[TimelineEvent] = field(default_factory=list)
    changed: set[str] = field(default_factory=set)

    def record(self, kind: EventKind, summary: str, **data: Any) -> None:
        """Append a timeline event for this step (written when the step commits)."""
        self.events.append(
            TimelineEvent(
                complaint=self.complaint,
                kind=kind,
                stage_number=self.complaint.stage,
                occurred_at=self.occurred_at,
                actor=self.actor,
                actor_label=self.actor_label,
                summary=summary,
                data=data,
            )
        )

    def set(self, **values: Any) -> None:
        """Change fields of the complaint, saved (only those) when the step commits."""
        for name, value in values.items():
            if getattr(self.complaint, name) != value:
                setattr(self.complaint, name, value)
                self.changed.add(name)


def actor_label(actor: User | None, on_behalf_of: str = "") -> str:
    """Who acted, as the timeline shows it: staff recording a request keep who asked beside their name."""
    if actor is None:
        return on_behalf_of or "The customer"
    if on_behalf_of.strip():
        return f"{actor}, for {on_behalf_of.strip()}"[:200]
    return str(actor)


def check_occurred_at(
    occurred_at: dt.datetime | None,
    *,
    not_before: dt.datetime | None,
    since: str = "the complaint was received",
    field: str = "occurred_at",
) -> dt.datetime:
    """When something happened: now by default; never in the future, never before what it follows."""
    now = timezone.now()
    if occurred_at is None:
        return now
    if not isinstance(occurred_at, dt.datetime):
        raise InvalidInput(field, "give a date and time")
    if timezone.is_naive(occurred_at):
        raise InvalidInput(field, "give a time zone (or an offset such as +00:00)")
    if occurred_at > now + CLOCK_SKEW:
        raise InvalidInput(field, "cannot be in the future")
    if not_before is not None and occurred_at < not_before:
        raise InvalidInput(
            field, f"cannot be before {since} ({long_datetime(timezone.localtime(not_before))})"
        )
    return occurred_at


def lock_complaint(complaint_id: int) -> Complaint:
    try:
        return (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("policy", "organisation")
            .get(pk=complaint_id)
        )
    except Complaint.DoesNotExist:
        raise CaseNotFound(str(complaint_id)) from None


def _nearest_open_deadline(complaint: Complaint) -> dict[str, Any]:
    """The complaint's next open deadline, as stored on it for lists (after the step's own clocks)."""
    nearest = (
        Deadline.objects.filter(complaint=complaint, met_at__isnull=True, cancelled_at__isnull=True)
        .order_by("due_at", "pk")
        .values_list("due_at", "name")
        .first()
    )
    due_at, name = nearest or (None, "")
    return {"next_due_at": due_at, "next_due_name": name}


def _what_came_before(floor: dt.datetime | None, facts: Facts) -> str:
    if floor is not None and floor == facts.stage_responded_at:
        return f"the stage {facts.stage} response"
    if floor is not None and floor == facts.stage_opened_at and floor != facts.received_at:
        return f"stage {facts.stage} began"
    return "the complaint was received"


@contextmanager
def case_step(
    complaint: Complaint | int,
    request: Request,
    *,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
    on_behalf_of: str = "",
) -> Iterator[StepContext]:
    """Run one step of the procedure on one complaint, atomically."""
    complaint_id = complaint if isinstance(complaint, int) else complaint.pk
    with transaction.atomic():
        locked = lock_complaint(complaint_id)
        if expected_version is not None and locked.version != expected_version:
            raise StaleCase(expected_version, locked.version)
        rules = rules_for(locked)
        facts = facts_of(locked)
        floor = earliest(request.step, facts)
        when = check_occurred_at(occurred_at, not_before=floor, since=_what_came_before(floor, facts))
        try:
            next_state = machine.decide(facts, request, rules)
        except machine.StepRefused as refused:
            raise StepNotAllowed(refused.step.value, refused.reason) from None
        context = StepContext(locked, actor, actor_label(actor, on_behalf_of), when, rules)
        yield context
        context.set(state=next_state.value, **_nearest_open_deadline(locked))
        locked.version += 1
        locked.save(update_fields=[*sorted(context.changed), "version", "updated_at"])
        TimelineEvent.objects.bulk_create(context.events)
    if not isinstance(complaint, int):
        complaint.refresh_from_db()
