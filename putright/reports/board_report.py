"""The quarterly board report: the quarter against the four before it, the dashboard's charts and
tables, overdue work, the top themes, the learning actions and "You said, we did".

Made from the cases in one command (``putright report board --quarter 2026-Q2``) or one
click on the dashboard, drawn as a PDF the way letters are (``comms.letters.pdf``: A4,
nothing fetched from outside the document), and kept with the figures it was made from
(``reports.services.documents.save_document``), so what the board saw can be read again
however the cases change later.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.cases.models import Complaint
from putright.cases.selectors.responses_given import on_time, responses_between
from putright.comms.letters.pdf import pdf_from_html
from putright.learning.models import LearningAction, Publication
from putright.learning.quarters import Quarter
from putright.procedure.deadlines import deadline_label
from putright.reports import periods
from putright.reports.dashboard import Dashboard, Scope, dashboard, percent, scope_for
from putright.reports.models import DocumentKind, ReportDocument
from putright.reports.present import ShownTable, as_json, shown
from putright.reports.services.documents import save_document

#: How many quarters before the one reported the board sees beside it.
QUARTERS_BEFORE = 4
#: How many overdue complaints and learning actions the report lists by name.
LISTED = 10
TOP_THEMES = 5
#: The dashboard's tables the report prints (the summary is printed as the first page's figures).
TABLES = (
    "by_stage",
    "by_channel",
    "by_theme",
    "not_accepted",
    "outcomes_by_stage",
    "timeliness",
    "escalation",
    "remedies",
    "trends",
)


def is_quarter(key: str) -> bool:
    try:
        Quarter.parse(key)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class QuarterLine:
    """One quarter's headline figures, for the comparison with the four before."""

    key: str
    label: str
    received: int
    responded: int
    on_time: int
    upheld: int

    @property
    def on_time_percent(self) -> int | None:
        return percent(self.on_time, self.responded)


@dataclass(frozen=True)
class BoardReport:
    quarter: Quarter
    board: Dashboard
    quarters: list[QuarterLine]
    overdue: list[dict[str, Any]]
    overdue_actions: list[dict[str, Any]]
    you_said: list[dict[str, Any]]

    @property
    def title(self) -> str:
        scope = self.board.scope.organisation.name if self.board.scope.organisation else "the group"
        return f"Quarterly board report on complaints, {self.quarter.label}, {scope}"

    def figures(self) -> dict[str, Any]:
        """What the document was made from, as JSON (kept with the PDF)."""
        return {
            "dashboard": as_json(self.board),
            "quarters": [line.__dict__ | {"on_time_percent": line.on_time_percent} for line in self.quarters],
            "overdue": self.overdue,
            "overdue_actions": self.overdue_actions,
            "you_said": self.you_said,
        }


def quarter_line(scope: Scope, quarter: Quarter) -> QuarterLine:
    """A quarter's received, responded, on time and upheld (two queries, as the dashboard counts)."""
    period = periods.quarter(quarter)
    received = Complaint.objects.filter(
        organisation_id__in=scope.organisation_ids,
        received_at__gte=period.starts_at,
        received_at__lt=period.ends_at,
    ).count()
    given = (
        responses_between(period.starts_at, period.ends_at)
        .filter(stage__complaint__organisation_id__in=scope.organisation_ids)
        .aggregate(
            responded=Count("stage__complaint_id", distinct=True),
            kept=Count("stage__complaint_id", distinct=True, filter=on_time()),
            found=Count("stage__complaint_id", distinct=True, filter=Q(upheld=True)),
        )
    )
    return QuarterLine(
        quarter.key, quarter.label, received, given["responded"], given["kept"], given["found"]
    )


def _overdue(scope: Scope, now: dt.datetime) -> list[dict[str, Any]]:
    found = (
        Complaint.objects.filter(organisation_id__in=scope.organisation_ids, next_due_at__lt=now)
        .select_related("organisation")
        .order_by("next_due_at", "pk")[:LISTED]
    )
    return [
        {
            "reference": c.reference,
            "organisation": c.organisation.short_name,
            "deadline": deadline_label(c.next_due_name),
            "due": timezone.localtime(c.next_due_at).date().isoformat() if c.next_due_at else "",
        }
        for c in found
    ]


def _overdue_actions(scope: Scope, today: dt.date) -> list[dict[str, Any]]:
    found = (
        LearningAction.objects.filter(
            organisation_id__in=scope.organisation_ids, completed_at__isnull=True, due_on__lt=today
        )
        .select_related("organisation")
        .order_by("due_on", "pk")[:LISTED]
    )
    return [
        {"change": a.change, "organisation": a.organisation.short_name, "due": a.due_on.isoformat()}
        for a in found
    ]


def _you_said(scope: Scope, quarter: Quarter) -> list[dict[str, Any]]:
    """The entries published for the quarter: each organisation's latest version (one query)."""
    latest: dict[int, Publication] = {}
    for item in (
        Publication.objects.filter(organisation_id__in=scope.organisation_ids, quarter_start=quarter.start)
        .select_related("organisation")
        .order_by("organisation__name", "-version")
    ):
        latest.setdefault(item.organisation_id, item)
    return [
        {"organisation": item.organisation.short_name, "you_said": e["you_said"], "we_did": e["we_did"]}
        for item in latest.values()
        for e in item.entries
    ]


def board_report(scope: Scope, quarter: Quarter, *, now: dt.datetime) -> BoardReport:
    """Everything the board report prints, as the cases say at ``now``."""
    quarters = [quarter]
    for _ in range(QUARTERS_BEFORE):
        quarters.insert(0, quarters[0].previous())
    return BoardReport(
        quarter=quarter,
        board=dashboard(scope, periods.quarter(quarter), now=now),
        quarters=[quarter_line(scope, q) for q in quarters],
        overdue=_overdue(scope, now),
        overdue_actions=_overdue_actions(scope, timezone.localtime(now).date()),
        you_said=_you_said(scope, quarter),
    )


def board_html(report: BoardReport) -> str:
    """The report as HTML for WeasyPrint: the same charts (SVG images) and tables as the dashboard."""
    tables: dict[str, ShownTable] = {t.name: shown(t) for t in report.board.tables if t.name in TABLES}
    themes = report.board.table("by_theme").rows[:TOP_THEMES]
    return render_to_string(
        "reports/board.html",
        {
            "report": report,
            "summary": shown(report.board.table("summary"), chart=False),
            "tables": [tables[name] for name in TABLES],
            "top_themes": themes,
            "learning": shown(report.board.table("learning_actions"), chart=False),
            "landlord_name": settings.PUTRIGHT_LANDLORD_NAME,
            "brand_colour": settings.PUTRIGHT_BRAND_COLOUR,
            "made_at": timezone.localtime(report.board.made_at),
            "overdue_count": report.board.figure("summary", "overdue_now"),
        },
    )


def make(
    *, quarter_key: str, organisation: Organisation | None, actor: User | None, now: dt.datetime | None = None
) -> ReportDocument:
    """Make the quarter's board report and keep it (ValueError for a key that is not a quarter)."""
    quarter = Quarter.parse(quarter_key)
    report = board_report(scope_for(actor, organisation), quarter, now=now or timezone.now())
    return save_document(
        DocumentKind.BOARD,
        period=periods.quarter(quarter),
        organisation=organisation,
        title=report.title,
        figures=report.figures(),
        pdf=pdf_from_html(board_html(report)),
        actor=actor,
    )
