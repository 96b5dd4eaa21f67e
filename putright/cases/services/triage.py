"""Triage: is it a complaint we consider, and if so who takes it at stage 1?"""

from __future__ import annotations

import datetime as dt

from putright.accounts.models import Team, User
from putright.accounts.permissions import Capability
from putright.cases.errors import CaseNotFound, InvalidInput
from putright.cases.models import Complaint, EventKind, Stage, copied_from
from putright.cases.references import normalise
from putright.cases.services import clocks
from putright.cases.services.assignment import check_assignee
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq
from putright.procedure.policy import ExclusionReason


def accept(
    complaint: Complaint,
    *,
    owner: User,
    reasoning: str,
    team: Team | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Accept at stage 1 and start its clocks, counted from receipt.

    ``reasoning``, why it meets the definition of a complaint, is kept as the
    triage note and shown on the timeline: the decision can be explained later.
    """
    request = rq.Accept(reasoning=reasoning)
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        case = step.complaint
        check_assignee(owner, case, field="owner", capability=Capability.RESPOND_STAGE1)
        step.set(stage=1, owner=owner, team=team or owner.team, triage_note=reasoning.strip())
        stage = Stage.objects.create(
            complaint=case, number=1, opened_at=step.occurred_at, handler=owner, **copied_from(case)
        )
        due = clocks.start_stage_clocks(step, stage, step.rules.policy.stage1, case.received_at)
        step.record(
            EventKind.ACCEPTED,
            f"Accepted at stage 1 and assigned to {owner}: {reasoning.strip()}",
            owner=owner.pk,
            deadlines={name: at.isoformat() for name, at in due.items()},
        )
    return complaint


def resolve_informally(
    complaint: Complaint,
    *,
    resolution: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record that front-line staff put it right at once: counted and learnt from."""
    request = rq.ResolveInformally(resolution=resolution)
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        step.set(triage_note=resolution.strip(), closed_at=step.occurred_at)
        step.record(EventKind.RESOLVED_INFORMALLY, f"Resolved informally: {resolution.strip()}")
    return complaint


def not_accept(
    complaint: Complaint,
    *,
    reason: ExclusionReason | str,
    explanation: str,
    duplicate_of: str | None = None,
    signposted_to: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Record that the complaint is not considered, with the policy's reason and our explanation."""
    if reason not in ExclusionReason.__members__.values():
        raise InvalidInput("reason", f"must be one of {', '.join(r.value for r in ExclusionReason)}")
    if duplicate_of and reason != ExclusionReason.DUPLICATE:
        raise InvalidInput("duplicate_of", "name a duplicated complaint only when the reason is duplicate")
    original = _find_duplicate(duplicate_of, complaint) if duplicate_of else None
    request = rq.NotAccept(
        reason=ExclusionReason(reason),
        explanation=explanation,
        duplicate_of=original.pk if original else None,
    )
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        exclusion = step.rules.policy.eligibility.exclusion(request.reason)
        signpost = signposted_to.strip() or (exclusion.signpost if exclusion else "")
        step.set(
            exclusion_reason=request.reason.value,
            triage_note=explanation.strip(),
            signposted_to=signpost,
            duplicate_of=original,
            closed_at=step.occurred_at,
        )
        step.record(
            EventKind.NOT_ACCEPTED,
            f"Not accepted: {exclusion.text if exclusion else request.reason.value}",
            reason=request.reason.value,
            signposted_to=signpost,
            duplicate_of=original.reference if original else None,
        )
    return complaint


def _find_duplicate(reference: str, complaint: Complaint) -> Complaint:
    """The complaint this one repeats: another complaint of the same organisation."""
    normal = normalise(reference)
    found = (
        Complaint.objects.filter(reference=normal, organisation_id=complaint.organisation_id).first()
        if normal
        else None
    )
    if found is None:
        raise CaseNotFound(reference)
    if found.pk == complaint.pk:
        raise InvalidInput("duplicate_of", "a complaint cannot duplicate itself")
    return found
