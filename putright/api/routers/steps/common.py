"""One endpoint per step of the procedure.

Each takes the complaint's ``version`` as read (a stale one is refused with
409) and ``occurred_at``, when the step really happened (default: now), so a
call made this morning can be typed in this afternoon with the deadlines
following the real time. Each answers with the complaint as it now is.

Shared by every step module: the router, the request base, and the checks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from putright.accounts.models import Team, User
from putright.api import presenters
from putright.api.auth import caller
from putright.api.idempotency import Answer, run_write
from putright.api.permissions import require_step
from putright.api.problems import WRITE_ERRORS
from putright.api.schemas import ComplaintOut
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint
from putright.cases.selectors.assignees import assignable_staff, teams_for_case
from putright.cases.selectors.complaints import complaint_detail, complaint_for_user
from putright.procedure.states import Outcome, ResponseMethod, Step

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
) -> Status[Any]:
    """Check the caller may take ``step`` on the complaint, run it once, answer with the complaint."""
    user = caller(request)
    complaint = complaint_for_user(user=user, reference=reference)
    require_step(user, step, complaint.stage)

    def run() -> Answer:
        act(complaint, user)
        fresh = complaint_detail(user=user, reference=complaint.reference)
        return 200, presenters.detail(fresh, user, timezone.now())

    return run_write(request, run)


def colleague(username: str | None, field: str, by: User, complaint: Complaint) -> User | None:
    """A colleague named by username, looked up among those who work for the complaint's
    organisation (its own staff and its group's): the people the workspace's pickers offer."""
    if not username:
        return None
    found = assignable_staff(by, complaint).filter(username=username).first()
    if found is None:
        raise InvalidInput(
            field, f"no active member of staff {username!r} works for {complaint.organisation}"
        )
    return found


def required_colleague(username: str, field: str, by: User, complaint: Complaint) -> User:
    """A member of staff a step cannot do without: an empty name is refused like an unknown one."""
    found = colleague(username, field, by, complaint)
    if found is None:
        raise InvalidInput(field, "name an active member of staff")
    return found


def team_of(team_id: int | None, by: User, complaint: Complaint) -> Team | None:
    """A team of the complaint's organisation or of a group above it, as the workspace offers."""
    if team_id is None:
        return None
    found = teams_for_case(by, complaint).filter(pk=team_id).first()
    if found is None:
        raise InvalidInput("team_id", f"no team {team_id} works for {complaint.organisation}")
    return found


class PointOutcomeIn(Schema):
    point_id: int
    outcome: Outcome
    reasons: str = Field(
        default="",
        description="Why the point has this outcome; required for every point when the policy says so.",
    )


class ResponseIn(StepIn):
    method: ResponseMethod
    summary: str
    outcomes: list[PointOutcomeIn] = Field(description="An outcome for every point of complaint.")


def outcomes_of(items: list[PointOutcomeIn]) -> dict[int, tuple[Outcome, str]]:
    found: dict[int, tuple[Outcome, str]] = {}
    for item in items:
        if item.point_id in found:
            raise InvalidInput("outcomes", f"point {item.point_id} is given more than one outcome")
        found[item.point_id] = (item.outcome, item.reasons)
    return found
