"""Make the annual report's PDF and keep it, with the figures it was made from."""

from __future__ import annotations

from putright.accounts.models import Organisation, User
from putright.reports.annual import annual_pdf, annual_report
from putright.reports.models import DocumentKind, ReportDocument
from putright.reports.periods import Period
from putright.reports.services.documents import save_document


def make_annual_report(
    *, user: User, period: Period, organisation: Organisation | None, actor: User | None
) -> ReportDocument:
    """Gather the year as ``user`` sees it, draw the PDF, keep both (``save_document``)."""
    report = annual_report(user=user, period=period, organisation=organisation)
    return save_document(
        DocumentKind.ANNUAL,
        period=period,
        organisation=organisation,
        title=report.title,
        figures=report.figures(),
        pdf=annual_pdf(report),
        actor=actor,
    )
