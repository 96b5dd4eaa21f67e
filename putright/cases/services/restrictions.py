"""A restriction kept under review: reviewed, renewed or ended, each a step on the case.

Code 5.14-5.15: a restriction for unacceptable behaviour is proportionate, is
reviewed, and lasts no longer than it must. Each step here locks the case (so
two caseworkers never overwrite each other's review), checks the restriction is
still in force, and writes the old and new values on the timeline.

A restriction limits how the customer contacts us; it never stops them reporting
a repair, a hazard or a safeguarding concern (``STILL_OPEN``), which the form, the
letter and the services that take those reports all honour.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import InvalidInput
from putright.cases.models import Complaint, EventKind, Restriction
from putright.cases.services.steps import StepContext, case_step
from putright.procedure import requests as rq
from putright.procedure.wording import long_date

#: What no restriction ever limits: said on the restriction form and in the customer's letter.
STILL_OPEN = (
    "This restriction never stops you reporting a repair, a hazard in your home, or a concern "
    "about someone's safety: you can always do that in the usual way."
)


def _locked(step: StepContext, restriction: Restriction) -> Restriction:
    """The restriction, locked, if it is the case's customer's and still in force."""
    found = (
        Restriction.objects.select_for_update()
        .filter(pk=restriction.pk, customer_id=step.complaint.customer_id)
        .first()
    )
    if found is None:
        raise InvalidInput("restriction", "no such restriction on this customer")
    if found.ended_on is not None:
        raise InvalidInput("restriction", f"this restriction ended on {long_date(found.ended_on)}")
    return found


def _today(step: StepContext) -> dt.date:
    return timezone.localtime(step.occurred_at).date()


def review_restriction(
    complaint: Complaint | int,
    restriction: Restriction,
    *,
    conclusion: str,
    next_review_on: dt.date,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Restriction:
    """Record a review that keeps the restriction as it is, with what it concluded and the next date."""
    request = rq.ReviewRestriction(
        conclusion=conclusion, next_review_on=next_review_on, today=timezone.localdate()
    )
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        locked = _locked(step, restriction)
        old = locked.review_on
        locked.reviewed_on, locked.review_conclusion = _today(step), conclusion.strip()
        locked.review_on = next_review_on
        locked.save(update_fields=["reviewed_on", "review_conclusion", "review_on"])
        step.record(
            EventKind.RESTRICTION_REVIEWED,
            f"Restriction reviewed: {conclusion.strip()} Next review on {long_date(next_review_on)}.",
            restriction=locked.pk,
            review_on={"old": old, "new": next_review_on},
        )
    return locked


def renew_restriction(
    complaint: Complaint | int,
    restriction: Restriction,
    *,
    reason: str,
    review_on: dt.date,
    restrictions: str = "",
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Restriction:
    """Extend a restriction to a new review date, for a recorded reason (and change what it limits)."""
    request = rq.RenewRestriction(reason=reason, review_on=review_on, today=timezone.localdate())
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        locked = _locked(step, restriction)
        old_review, old_terms = locked.review_on, locked.restrictions
        locked.review_on, locked.reviewed_on = review_on, _today(step)
        locked.review_conclusion = reason.strip()
        locked.restrictions = restrictions.strip() or old_terms
        locked.save(update_fields=["review_on", "reviewed_on", "review_conclusion", "restrictions"])
        step.record(
            EventKind.RESTRICTION_RENEWED,
            f"Restriction renewed until its review on {long_date(review_on)}: {reason.strip()}",
            restriction=locked.pk,
            reason=reason.strip(),
            review_on={"old": old_review, "new": review_on},
            restrictions={"old": old_terms, "new": locked.restrictions},
        )
    return locked


def end_restriction(
    complaint: Complaint | int,
    restriction: Restriction,
    *,
    reason: str,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Restriction:
    """End a restriction: from today the customer contacts us in the usual way again."""
    with case_step(
        complaint,
        rq.EndRestriction(reason=reason),
        actor=actor,
        occurred_at=occurred_at,
        expected_version=expected_version,
    ) as step:
        locked = _locked(step, restriction)
        locked.ended_on, locked.end_reason = _today(step), reason.strip()
        locked.save(update_fields=["ended_on", "end_reason"])
        step.record(
            EventKind.RESTRICTION_ENDED,
            f"Restriction ended: {reason.strip()}",
            restriction=locked.pk,
            ended_on={"old": None, "new": locked.ended_on},
            review_on={"old": locked.review_on, "new": None},
        )
    return locked
