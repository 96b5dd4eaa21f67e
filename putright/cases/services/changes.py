"""Changes to the case itself: withdrawal, reassignment and new matters."""

from __future__ import annotations

import datetime as dt

from putright.accounts.models import Team, User
from putright.accounts.permissions import Capability
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, EventKind, TimelineEvent
from putright.cases.services import clocks
from putright.cases.services.assignment import check_assignee
from putright.cases.services.intake import log_complaint
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq
from putright.procedure.states import NewMatterRoute

#: Who may own a case at each stage: triage, stage 1, stage 2, the appeal.
_OWNER_CAPABILITY = {
    0: Capability.TRIAGE,
    1: Capability.RESPOND_STAGE1,
    2: Capability.RESPOND_STAGE2,
    3: Capability.RESPOND_STAGE2,
}


def _consented(complaint: Complaint) -> bool:
    return complaint.representative is not None and complaint.representative.has_consent


def withdraw(
    complaint: Complaint,
    *,
    reason: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
    on_behalf_of: str = "",
) -> Complaint:
    """The customer withdraws: the case ends and its open deadlines no longer apply."""
    with case_step(
        complaint,
        rq.Withdraw(),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
        on_behalf_of=on_behalf_of,
    ) as step:
        clocks.cancel_open(step)
        step.set(closed_at=step.occurred_at)
        step.record(
            EventKind.WITHDRAWN, f"Withdrawn by the customer{': ' + reason.strip() if reason.strip() else ''}"
        )
    return complaint


def reassign(
    complaint: Complaint,
    *,
    owner: User,
    team: Team | None = None,
    reason: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Give the case to another owner (and team)."""
    with case_step(
        complaint,
        rq.Reassign(owner=rq.Person(owner.pk, str(owner))),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        before = step.complaint.owner
        if before == owner and (team is None or team == step.complaint.team):
            raise InvalidInput("owner", f"the case is already with {owner}")
        capability = _OWNER_CAPABILITY[step.complaint.stage]
        check_assignee(owner, step.complaint, field="owner", capability=capability)
        step.set(owner=owner, team=team or owner.team)
        because = f": {reason.strip()}" if reason.strip() else ""
        step.record(
            EventKind.REASSIGNED,
            f"Reassigned from {before or 'nobody'} to {owner}{because}",
            old=before.pk if before else None,
            new=owner.pk,
        )
    return complaint


def raise_new_matter(
    complaint: Complaint,
    *,
    route: NewMatterRoute | str,
    description: str,
    signpost_to: str = "",
    category: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint | None:
    """A new issue during a case: a linked new complaint from the beginning, or a signpost.

    Returns the new complaint, which goes to triage like any other, or None
    when the customer was signposted to another team.
    """
    if not description.strip():
        raise InvalidInput("description", "say what the new matter is")
    if route not in NewMatterRoute.__members__.values():
        raise InvalidInput("route", f"must be one of {', '.join(r.value for r in NewMatterRoute)}")
    request = rq.RaiseNewMatter(route=NewMatterRoute(route), signpost_to=signpost_to)
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        case = step.complaint
        if request.route is NewMatterRoute.SIGNPOST:
            step.record(
                EventKind.NEW_MATTER_SIGNPOSTED,
                f"New matter signposted to {signpost_to.strip()}: {description.strip()}",
                signposted_to=signpost_to.strip(),
            )
            return None
        new = log_complaint(
            organisation=case.organisation,
            customer=case.customer,
            representative=case.representative if _consented(case) else None,
            channel=case.channel,
            received_at=step.occurred_at,
            summary=description.strip()[:200],
            description=description.strip(),
            category=category or case.category,
            parent=case,
            actor=actor,
        )
        TimelineEvent.objects.create(
            complaint=new,
            kind=EventKind.RAISED_FROM,
            occurred_at=step.occurred_at,
            actor=actor,
            actor_label=step.actor_label,
            summary=f"Raised during complaint {case.reference}",
            data={"parent": case.reference},
        )
        step.record(
            EventKind.NEW_MATTER_RAISED,
            f"New matter raised as complaint {new.reference}: {description.strip()}",
            new_complaint=new.reference,
        )
    return new
