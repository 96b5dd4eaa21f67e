"""Keep a report document as it was made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.reports.models import DocumentKind, ReportDocument
from putright.reports.periods import Period

#: A second click on "make" within this long returns the document the first one made.
SECOND_CLICK = dt.timedelta(seconds=30)


@transaction.atomic
def save_document(
    kind: DocumentKind,
    *,
    period: Period,
    organisation: Organisation | None,
    title: str,
    figures: dict[str, Any],
    pdf: bytes,
    actor: User | None,
) -> ReportDocument:
    """Store the PDF with the figures it was made from and when, by whom.

    The same person asking for the same report twice within ``SECOND_CLICK`` (a double click,
    a resent form) gets the one already made, not a second copy in the list.
    """
    if not pdf.startswith(b"%PDF"):
        raise ValueError("a report document must be a PDF")
    just_made = (
        ReportDocument.objects.defer("pdf", "figures")
        .filter(
            kind=kind,
            organisation=organisation,
            period_key=period.key,
            made_by=actor,
            made_at__gte=timezone.now() - SECOND_CLICK,
        )
        .first()
    )
    if just_made is not None and actor is not None:
        return just_made
    return ReportDocument.objects.create(
        kind=kind,
        organisation=organisation,
        period_key=period.key,
        period_start=period.start,
        period_end=period.end,
        title=title,
        figures=figures,
        pdf=pdf,
        made_at=timezone.now(),
        made_by=actor,
    )
