"""Record on each case that a subject access export was made, and by whom (issue 15, sar).

The customer's right of access (UK GDPR article 15) is answered with a copy of everything held
about them; the case record must show that a copy left the building, when and who made it, so
a later question ("what did we give them?") has its answer on the timeline. One event per
case, written in one transaction with one query however many cases the customer has.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.models import Complaint, EventKind
from putright.cases.services import timeline


def record_export(
    complaints: Sequence[Complaint],
    *,
    actor: User | None,
    made_at: dt.datetime | None = None,
    redactions: int = 0,
) -> None:
    """Append "Subject access export made by X" to each case, all or none."""
    when = made_at or timezone.now()
    who = str(actor) if actor else timeline.SYSTEM
    with transaction.atomic():
        timeline.append(
            *(
                timeline.event(
                    case,
                    EventKind.SUBJECT_ACCESS_EXPORTED,
                    f"Subject access export made by {who}",
                    actor=actor,
                    occurred_at=when,
                    redactions=redactions,
                    complaints=len(complaints),
                )
                for case in complaints
            )
        )
