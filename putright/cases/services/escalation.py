"""The stage 2 review and the appeal to the panel."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.utils import timezone

from putright.accounts.models import Role, Team, User
from putright.accounts.permissions import Capability
from putright.cases.errors import InvalidInput
from putright.cases.models import (
    AppealHearing,
    Complaint,
    EventKind,
    Response,
    ResponseKind,
    Stage,
    copied_from,
)
from putright.cases.services import clocks
from putright.cases.services.assignment import check_assignee
from putright.cases.services.responses import (
    PointDecision,
    outcome_counts,
    parse_outcomes,
    require_reasons,
    save_response,
)
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq
from putright.procedure.deadlines import APPEAL_DECISION, APPEAL_MEETING
from putright.procedure.policy import PanelRole
from putright.procedure.states import ResponseMethod
from putright.procedure.wording import long_datetime


def escalate(
    complaint: Complaint,
    *,
    grounds: Iterable[str],
    explanation: str = "",
    owner: User,
    team: Team | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
    on_behalf_of: str = "",
) -> Stage:
    """Open the stage 2 review at the customer's request; its clocks count from the request."""
    request = rq.Escalate(grounds=frozenset(grounds), reviewer=rq.Person(owner.pk, str(owner)))
    with case_step(
        complaint,
        request,
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
        on_behalf_of=on_behalf_of,
    ) as step:
        check_assignee(owner, step.complaint, field="owner", capability=Capability.RESPOND_STAGE2)
        step.set(stage=2, owner=owner, team=team or owner.team, closed_at=None)
        stage = Stage.objects.create(
            complaint=step.complaint,
            **copied_from(step.complaint),
            number=2,
            opened_at=step.occurred_at,
            handler=owner,
            grounds=sorted(request.grounds),
            request_text=explanation.strip(),
        )
        due = clocks.start_stage_clocks(step, stage, step.rules.policy.stage2, step.occurred_at)
        grounds_text = ", ".join(f"({g})" for g in sorted(request.grounds)) or "none given"
        step.record(
            EventKind.ESCALATED,
            f"Escalated to stage 2 on grounds {grounds_text}; review by {owner}",
            grounds=sorted(request.grounds),
            deadlines={name: at.isoformat() for name, at in due.items()},
        )
    return stage


def request_appeal(
    complaint: Complaint,
    *,
    criteria: Iterable[str],
    explanation: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
    on_behalf_of: str = "",
) -> Stage:
    """Record the customer's appeal, with the criteria they say it meets."""
    request = rq.RequestAppeal(criteria=frozenset(criteria), explanation=explanation)
    with case_step(
        complaint,
        request,
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
        on_behalf_of=on_behalf_of,
    ) as step:
        appeal = step.rules.policy.appeal
        assert appeal is not None
        step.set(stage=3, closed_at=None)
        stage = Stage.objects.create(
            complaint=step.complaint,
            **copied_from(step.complaint),
            number=3,
            opened_at=step.occurred_at,
            handler=step.complaint.owner,
            grounds=sorted(request.criteria),
            request_text=explanation.strip(),
        )
        due = step.rules.calendar.due(step.occurred_at, appeal.meeting)
        clocks.start(step, APPEAL_MEETING, due_at=due, started_at=step.occurred_at, stage=stage)
        criteria_text = ", ".join(f"({c})" for c in sorted(request.criteria))
        step.record(
            EventKind.APPEAL_REQUESTED,
            f"Appeal requested on criteria {criteria_text}",
            criteria=sorted(request.criteria),
            deadlines={APPEAL_MEETING: due.isoformat()},
        )
    return stage


def refuse_appeal(
    complaint: Complaint,
    *,
    reason: str,
    criteria_met: Iterable[str] = (),
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Stage:
    """Decline to hold a hearing: only when the actions are done and no criterion is met.

    The stage 2 response remains the final response, and the Ombudsman's wait
    still counts from it.
    """
    request = rq.RefuseAppeal(reason=reason, criteria_met=frozenset(criteria_met))
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        stage = Stage.objects.get(complaint=step.complaint, number=3)
        stage.refused_at = step.occurred_at
        stage.refusal_reason = reason.strip()
        stage.save(update_fields=["refused_at", "refusal_reason"])
        clocks.cancel_open(step, APPEAL_MEETING)
        # The stage 2 response stays the final response: refusing a hearing must not
        # push back the day the customer may go to the Ombudsman.
        step.set(closed_at=step.occurred_at)
        direct = step.complaint.ombudsman_direct_from
        step.record(
            EventKind.APPEAL_REFUSED,
            f"Appeal refused: {reason.strip()}",
            ombudsman_direct_from=direct.isoformat() if direct else None,
        )
    return stage


def schedule_appeal(
    complaint: Complaint,
    *,
    meeting_at: dt.datetime,
    location: str,
    panel: Mapping[str, str],
    agreed_with_customer: bool,
    panel_staff: Mapping[str, User] | None = None,
    companion_name: str = "",
    companion_relationship: str = "",
    companion_is_legal_representative: bool = False,
    late_reason: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> AppealHearing:
    """Arrange the appeal meeting, agreed with the customer, before the full panel.

    Each seat is either a member of staff with the panel role (``panel_staff``,
    role to user) or a person named without a login (``panel``, role to name: a
    resident or board member who does not use putright), never both.
    """
    if timezone.is_naive(meeting_at):
        raise InvalidInput("meeting_at", "give a time zone (or an offset such as +00:00)")
    seats = {**panel, **(panel_staff or {})}
    unknown = sorted(str(role) for role in seats if role not in PanelRole.__members__.values())
    if unknown:
        roles = ", ".join(r.value for r in PanelRole)
        raise InvalidInput("panel", f"unknown role {', '.join(unknown)}: choose from {roles}")
    named = {PanelRole(role): name.strip() for role, name in panel.items() if name.strip()}
    seated = {PanelRole(role): _panel_member(user, complaint) for role, user in (panel_staff or {}).items()}
    both = sorted(role.value.replace("_", " ") for role in seated if role in named)
    if both:
        raise InvalidInput(
            "panel", f"name one {both[0]}: a panel member or someone without a login, not both"
        )
    named |= {role: user.get_full_name() or user.username for role, user in seated.items()}
    if not location.strip():
        raise InvalidInput("location", "say where the meeting will be held (or how, if online)")
    request = rq.ScheduleAppeal(
        meeting_at=meeting_at,
        agreed_with_customer=agreed_with_customer,
        panel=frozenset(named),
        companion_is_legal_representative=companion_is_legal_representative,
        has_companion=bool(companion_name.strip()),
        late_reason=late_reason,
    )
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        appeal = step.rules.policy.appeal
        assert appeal is not None
        stage = Stage.objects.get(complaint=step.complaint, number=3)
        hearing, _ = AppealHearing.objects.update_or_create(
            stage=stage,
            defaults={
                "meeting_at": meeting_at,
                "location": location.strip(),
                "agreed_with_customer_at": step.occurred_at,
                "panel": {role.value: name for role, name in named.items()},
                "companion_name": companion_name.strip(),
                "companion_relationship": companion_relationship.strip(),
            },
        )
        # The meeting is agreed: the promise to hold it in time is kept (or not) at its date.
        clocks.hold(step, APPEAL_MEETING, at=meeting_at)
        decision_due = step.rules.calendar.due(meeting_at, appeal.decision)
        existing = clocks.open_deadline(step, APPEAL_DECISION)
        if existing:
            clocks.move(existing, decision_due, also_original=True, started_at=meeting_at)
        else:
            clocks.start(step, APPEAL_DECISION, due_at=decision_due, started_at=meeting_at, stage=stage)
        step.record(
            EventKind.APPEAL_SCHEDULED,
            f"Appeal meeting arranged for {long_datetime(timezone.localtime(meeting_at), weekday=True)}, "
            f"{location.strip()}",
            meeting_at=meeting_at.isoformat(),
            panel={role.value: name for role, name in named.items()},
            panel_staff={role.value: user.username for role, user in seated.items()},
            deadlines={APPEAL_DECISION: decision_due.isoformat()},
            late_reason=late_reason.strip(),
        )
    return hearing


def _panel_member(user: User, complaint: Complaint) -> User:
    """A member of staff on the panel: active, working for the complaint, with the panel role."""
    check_assignee(user, complaint, field="panel", capability=Capability.DECIDE_APPEAL)
    if user.role != Role.PANEL_MEMBER:
        raise InvalidInput("panel", f"{user} is not an appeal panel member: name them as a person instead")
    return user


def decide_appeal(
    complaint: Complaint,
    *,
    outcomes: Mapping[int, PointDecision],
    summary: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Response:
    """Record the panel's decision on each point, made at or after the meeting."""
    if not summary.strip():
        raise InvalidInput("summary", "summarise the panel's decision")
    decided = parse_outcomes(outcomes)
    require_reasons(complaint, outcomes, 2)  # the appeal's decision follows stage 2's rule
    decided_at = occurred_at
    with case_step(
        complaint,
        rq.DecideAppeal(
            outcomes=decided,
            decided_at=decided_at or timezone.now(),
            reasons={pk: reasons for pk, (_, reasons) in outcomes.items()},
        ),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        response = save_response(
            step, outcomes, kind=ResponseKind.APPEAL_DECISION, method="", summary=summary
        )
        step.record(
            EventKind.APPEAL_DECIDED,
            f"Appeal decided by the panel: {summary.strip()}",
            outcomes=outcome_counts(decided),
        )
    return response


def record_final_response(
    complaint: Complaint,
    *,
    method: ResponseMethod | str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Send the appeal's outcome: the landlord's final response on the complaint."""
    if method not in ResponseMethod.__members__.values():
        raise InvalidInput("method", "must be phone, in_person, letter or email")
    request = rq.RecordFinalResponse(method=ResponseMethod(method))
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        Stage.objects.filter(complaint=step.complaint, number=3).update(responded_at=step.occurred_at)
        clocks.meet(step, APPEAL_DECISION)
        direct = clocks.set_final_response(step)
        step.record(
            EventKind.FINAL_RESPONSE,
            "Final response sent: the appeal's outcome",
            method=str(method),
            ombudsman_direct_from=direct.isoformat(),
        )
    return complaint
