"""Helpers for the case-service tests: checked dates, time travel, and refusals that change nothing.

Dates are written the way a caseworker reads them, with the weekday first
("Mon 2026-03-02 10:00"). The weekday is checked by the standard library, so a
slip in the hand work fails loudly instead of agreeing with the code.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import pytest
import time_machine

from putright.accounts.models import Organisation, Role, User
from putright.cases.errors import CaseError
from putright.cases.models import (
    Action,
    Complaint,
    Concern,
    Contact,
    Deadline,
    EventKind,
    EvidenceRequest,
    Extension,
    Response,
    Restriction,
    Stage,
    TimelineEvent,
)

LONDON = ZoneInfo("Europe/London")


def day(text: str) -> dt.date:
    """A date written "Mon 2026-03-02", checked to fall on that weekday."""
    weekday, iso = text.split()
    date = dt.date.fromisoformat(iso)
    assert date.strftime("%a") == weekday, f"{date} is a {date:%a}, not a {weekday}"
    return date


def on(text: str) -> dt.datetime:
    """A London wall-clock time written "Mon 2026-03-02 10:00" (GMT or BST, whichever applied)."""
    weekday, iso, clock = text.split()
    date = day(f"{weekday} {iso}")
    return dt.datetime.combine(date, dt.time.fromisoformat(clock), tzinfo=LONDON)


def end_of(text: str) -> dt.datetime:
    """The end of a London day, 23:59:59: when a working-days deadline runs out."""
    return dt.datetime.combine(day(text), dt.time(23, 59, 59), tzinfo=LONDON)


def wall(text: str) -> str:
    """The "2026-03-02 10:00" form the ``log`` fixture takes, from "Mon 2026-03-02 10:00"."""
    on(text)
    return text.split(" ", 1)[1]


def at(text: str) -> time_machine.travel:
    """Stand still at a London time: the services' "now"."""
    return time_machine.travel(on(text), tick=False)


def due(complaint: Complaint, name: str) -> dt.datetime:
    """A deadline's due time, in London."""
    return complaint.deadlines.get(name=name).due_at.astimezone(LONDON)


def kinds(complaint: Complaint) -> list[EventKind]:
    return [
        EventKind(k) for k in complaint.timeline.order_by("occurred_at", "pk").values_list("kind", flat=True)
    ]


def last_event(complaint: Complaint) -> TimelineEvent:
    return complaint.timeline.order_by("occurred_at", "pk").last()


def snapshot(complaint: Complaint) -> dict[str, object]:
    """Everything a refused step could have changed about a complaint."""
    row = Complaint.objects.values(
        "version",
        "state",
        "stage",
        "owner_id",
        "team_id",
        "closed_at",
        "final_response_at",
        "ombudsman_direct_from",
        "exclusion_reason",
        "signposted_to",
        "duplicate_of_id",
        "triage_note",
    ).get(pk=complaint.pk)
    deadlines = list(
        Deadline.objects.filter(complaint=complaint)
        .order_by("name")
        .values_list("name", "due_at", "original_due_at", "met_at", "cancelled_at")
    )
    counts = {
        "timeline": TimelineEvent.objects.filter(complaint=complaint).count(),
        "stages": Stage.objects.filter(complaint=complaint).count(),
        "extensions": Extension.objects.filter(stage__complaint=complaint).count(),
        "responses": Response.objects.filter(stage__complaint=complaint).count(),
        "contacts": Contact.objects.filter(complaint=complaint).count(),
        "evidence": EvidenceRequest.objects.filter(complaint=complaint).count(),
        "actions": list(Action.objects.filter(complaint=complaint).values_list("pk", "completed_at")),
        "concerns": list(Concern.objects.filter(complaint=complaint).values_list("pk", "status")),
        "restrictions": Restriction.objects.filter(complaint=complaint).count(),
        "complaints": Complaint.objects.count(),
    }
    return {**row, "deadlines": deadlines, **counts}


@contextmanager
def refused(
    complaint: Complaint, error: type[CaseError] = CaseError, message: str | None = None
) -> Iterator[pytest.ExceptionInfo[CaseError]]:
    """Expect ``error`` (with exactly ``message``, if given) and the complaint exactly as it was."""
    before = snapshot(complaint)
    with pytest.raises(error) as info:
        yield info
    if message is not None:
        assert info.value.message == message
    after = snapshot(complaint)
    assert after == before
    # The headline promise, stated on its own: same version, same state, same timeline.
    assert (after["version"], after["state"], after["timeline"]) == (
        before["version"],
        before["state"],
        before["timeline"],
    )


def make_lead(username: str, role: Role, org: Organisation, *, emailed: bool = False) -> User:
    """A lead of ``org`` called "<Username> Lead", at <username>@flagship.example when ``emailed``."""
    user = User.objects.create_user(
        username=username,
        first_name=username.title(),
        last_name="Lead",
        role=role,
        email=f"{username}@flagship.example" if emailed else "",
    )
    user.organisations.add(org)
    return user
