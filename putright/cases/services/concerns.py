"""Safeguarding and health and safety concerns, and restrictions for unacceptable behaviour."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from putright.accounts.models import User
from putright.accounts.permissions import Capability
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, Concern, ConcernStatus, EventKind, Restriction
from putright.cases.services.assignment import check_assignee, lead_for
from putright.cases.services.concern_mail import send_referral
from putright.cases.services.steps import StepContext, case_step
from putright.procedure import requests as rq
from putright.procedure.states import ConcernKind
from putright.procedure.wording import long_date


def flag_concern(
    complaint: Complaint,
    *,
    kind: ConcernKind | str,
    description: str,
    refer_to: User | None = None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Concern:
    """Flag a concern raised at any point and refer it at once: to the lead named, or else to the
    organisation's safeguarding (or health and safety) lead, who receives every one."""
    if kind not in ConcernKind.__members__.values():
        raise InvalidInput("kind", "must be safeguarding or health_and_safety")
    if not description.strip():
        raise InvalidInput("description", "describe the concern")
    with case_step(
        complaint,
        rq.FlagConcern(kind=ConcernKind(kind)),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        if refer_to is not None:
            check_assignee(refer_to, step.complaint, field="refer_to", capability=Capability.MANAGE_CONCERNS)
        refer_to = refer_to or lead_for(str(kind), step.complaint)
        concern = Concern.objects.create(
            complaint=step.complaint,
            kind=kind,
            description=description.strip(),
            raised_at=step.occurred_at,
            raised_by=actor,
            referred_to=refer_to,
            referred_at=step.occurred_at if refer_to else None,
            outcome_due_at=_outcome_due(step) if refer_to else None,
            status=ConcernStatus.REFERRED if refer_to else ConcernStatus.FLAGGED,
        )
        label = ConcernKind(kind).value.replace("_", " ")
        step.record(EventKind.CONCERN_FLAGGED, f"{label.capitalize()} concern flagged", concern=concern.pk)
        if refer_to:
            step.record(
                EventKind.CONCERN_REFERRED,
                f"{label.capitalize()} concern referred to {refer_to}",
                concern=concern.pk,
                outcome_due_at=concern.outcome_due_at,
            )
            send_referral(concern, step.complaint.reference)
    return concern


def _outcome_due(step: StepContext) -> dt.datetime:
    """When the lead owes the referral's outcome: a setting's working days on the case's calendar."""
    return step.rules.calendar.add_working_days(step.occurred_at, settings.PUTRIGHT_CONCERN_OUTCOME_DAYS)


def refer_concern(
    concern: Concern,
    *,
    to: User,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Concern:
    with case_step(
        concern.complaint_id,
        rq.ReferConcern(),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        check_assignee(to, step.complaint, field="to", capability=Capability.MANAGE_CONCERNS)
        locked = Concern.objects.get(pk=concern.pk)
        if locked.status == ConcernStatus.CLOSED:
            raise InvalidInput("concern", "this concern is closed")
        old_lead, old_due = locked.referred_to, locked.outcome_due_at
        locked.referred_to, locked.referred_at, locked.status = to, step.occurred_at, ConcernStatus.REFERRED
        locked.outcome_due_at = _outcome_due(step)
        locked.save(update_fields=["referred_to", "referred_at", "status", "outcome_due_at"])
        step.record(
            EventKind.CONCERN_REFERRED,
            f"Concern referred to {to}",
            concern=locked.pk,
            referred_to={"old": str(old_lead) if old_lead else None, "new": str(to)},
            outcome_due_at={"old": old_due, "new": locked.outcome_due_at},
        )
        send_referral(locked, step.complaint.reference)
    concern.refresh_from_db()
    return concern


def close_concern(
    concern: Concern,
    *,
    outcome: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Concern:
    if not outcome.strip():
        raise InvalidInput("outcome", "record what was done about the concern")
    with case_step(
        concern.complaint_id,
        rq.CloseConcern(),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        locked = Concern.objects.get(pk=concern.pk)
        if locked.status == ConcernStatus.CLOSED:
            raise InvalidInput("concern", "this concern is already closed")
        locked.status, locked.closed_at, locked.outcome = (
            ConcernStatus.CLOSED,
            step.occurred_at,
            outcome.strip(),
        )
        locked.save(update_fields=["status", "closed_at", "outcome"])
        step.record(EventKind.CONCERN_CLOSED, f"Concern closed: {outcome.strip()}", concern=locked.pk)
    concern.refresh_from_db()
    return concern


def record_restriction(
    complaint: Complaint,
    *,
    reason: str,
    restrictions: str,
    review_on: dt.date,
    starts_on: dt.date | None = None,
    contact_meanwhile: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Restriction:
    """Restrict contact for unacceptable behaviour, with the reason and a date to review it."""
    if not reason.strip():
        raise InvalidInput("reason", "record why the restriction is needed")
    if not restrictions.strip():
        raise InvalidInput("restrictions", "say what is restricted")
    today = timezone.localdate()
    request = rq.RecordRestriction(review_on=review_on, today=today)
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        restriction = Restriction.objects.create(
            customer=step.complaint.customer,
            complaint=step.complaint,
            reason=reason.strip(),
            restrictions=restrictions.strip(),
            starts_on=starts_on or timezone.localtime(step.occurred_at).date(),
            review_on=review_on,
            contact_meanwhile=contact_meanwhile.strip(),
            recorded_by=actor,
        )
        step.record(
            EventKind.RESTRICTION_RECORDED,
            f"Restriction recorded, to be reviewed on {long_date(review_on)}: {restrictions.strip()}",
            restriction=restriction.pk,
        )
    return restriction
