"""The decision not to investigate an accepted complaint (procedure section 8).

"We reserve the right to not investigate the case and will seek legal advice":
the reason and the advice (what it said and when) are stored with the case, the
open deadlines stop, and the case is finished with its own outcome, so that
reports count it apart from a complaint closed after a response.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Complaint, EventKind, InvestigationDeclined
from putright.cases.services import clocks
from putright.cases.services.steps import case_step
from putright.procedure import requests as rq
from putright.procedure.wording import long_date


def decline_to_investigate(
    complaint: Complaint,
    *,
    reason: str,
    legal_advice: str,
    advice_on: dt.date | None,
    actor: User | None,
    occurred_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> Complaint:
    """Stop investigating for unacceptable behaviour, after legal advice; the customer is told why."""
    request = rq.DeclineToInvestigate(
        reason=reason, legal_advice=legal_advice, advice_on=advice_on, today=timezone.localdate()
    )
    with case_step(
        complaint, request, actor=actor, occurred_at=occurred_at, expected_version=expected_version
    ) as step:
        assert advice_on is not None  # the guard refuses a decision without the advice's date
        InvestigationDeclined.objects.create(
            complaint=step.complaint,
            reason=reason.strip(),
            legal_advice=legal_advice.strip(),
            advice_on=advice_on,
            decided_at=step.occurred_at,
            decided_by=actor,
        )
        clocks.cancel_open(step)
        step.set(closed_at=step.occurred_at)
        step.record(
            EventKind.NOT_INVESTIGATED,
            f"Decided not to investigate: {reason.strip()} "
            f"(legal advice of {long_date(advice_on)}: {legal_advice.strip()})",
            reason=reason.strip(),
            legal_advice=legal_advice.strip(),
            advice_on=advice_on,
            state={"old": step.complaint.state, "new": "not_investigated"},
        )
    return complaint
