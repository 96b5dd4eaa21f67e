"""Anonymise and keep: the person goes, the figures stay (issue 15, retention and erasure).

When a complaint's retention period ends, or its customer exercises the right to
erasure, what identifies a person is removed or replaced (names, contact details,
addresses, free text, files) while what the reports count stays (dates, stages,
outcomes, themes, remedies, deadlines), so a report over a past year gives the
same figures before and after. Timeline rows stay append-only: their text goes
through the one audited path (``redaction.redact_event_text``) and the case gets
its own ``ANONYMISED`` event, so the chain still verifies. A case under legal
hold is refused.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import User
from putright.cases.errors import StepNotAllowed
from putright.cases.models import Complaint, EventKind
from putright.cases.services import timeline


def anonymise_complaint(complaint: Complaint, *, actor: User | None, reason: str) -> Complaint:
    """Remove what identifies the person from ``complaint``, keep what the figures count; return it."""
    if not reason.strip():
        raise ValueError("Anonymising a complaint needs a reason.")
    with transaction.atomic():
        case = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if case.legal_hold_since is not None:
            raise StepNotAllowed(
                "anonymise", f"{case.reference} is under legal hold: {case.legal_hold_reason}"
            )
        if case.anonymised_at is not None:
            return case
        case.anonymised_at = timezone.now()
        case.save(update_fields=["anonymised_at", "updated_at"])
        timeline.append(
            timeline.event(
                case,
                EventKind.ANONYMISED,
                f"Personal details removed: {reason.strip()}",
                actor=actor,
                reason=reason.strip(),
            )
        )
        return case
