"""The complaints whose retention period has ended (issue 15, retention)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from putright.cases.models import Complaint
from putright.procedure.states import FINISHED, State

#: The states a complaint has ended in: closed, or finished without a full investigation (not
#: accepted, resolved informally, withdrawn, declined). ``closed_at`` is when it ended in each.
ENDED = frozenset({State.CLOSED}) | FINISHED


def due_for_anonymising(ended_before: dt.datetime) -> QuerySet[Complaint]:
    """Complaints that ended before ``ended_before``, still whole and under no legal hold, oldest first.

    Read through the ``complaint_state_closed`` index (state, closed_at).
    """
    return Complaint.objects.filter(
        state__in=[s.value for s in ENDED],
        closed_at__lt=ended_before,
        anonymised_at__isnull=True,
        legal_hold_since__isnull=True,
    ).order_by("closed_at", "pk")
