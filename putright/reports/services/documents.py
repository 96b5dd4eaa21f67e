"""Keep a report document as it was made."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.reports.models import DocumentKind, ReportDocument
from putright.reports.periods import Period


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
    """Store the PDF with the figures it was made from and when, by whom."""
    if not pdf.startswith(b"%PDF"):
        raise ValueError("a report document must be a PDF")
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
