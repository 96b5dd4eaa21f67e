"""The annual complaints performance and service improvement report, with the self-assessment.

``annual_report(user=, period=, organisation=)`` gathers, for a reporting year, what the Code
(sections 8 and 9) asks the landlord to publish and put to its governing body: the year's
figures with the Tenant Satisfaction Measures, complaint types and themes, the complaints not
accepted and why, each provision of the Code with the policy check's verdict (``putright policy
check``) and the landlord's own evidence, the service improvements made (learning actions
completed in the year), the Ombudsman's findings (putright records none yet: the report says so)
and the governing body's response. ``annual_pdf`` draws it with the letters' PDF helper.

A fixed number of queries: the TSM's, then one each for the complaints by category, the points
by theme, the complaints not accepted, the improvements, the evidence and the response.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from putright.accounts.models import Organisation, User
from putright.cases.models import Complaint
from putright.cases.policies import current_policy
from putright.comms.letters.pdf import pdf_from_html
from putright.learning.figures import top_themes_between
from putright.learning.models import LearningAction
from putright.procedure import code
from putright.procedure.codepoint import CODE_NAME, CodePoint
from putright.procedure.policy import ExclusionReason
from putright.procedure.states import State
from putright.reports.models import CodeEvidence, GoverningBodyResponse
from putright.reports.periods import Period
from putright.reports.scope import organisations_in_scope
from putright.reports.tsm import TsmReport, tsm_report

TITLE = "Annual complaints performance and service improvement report"
#: What the report says while putright has nowhere to record the Ombudsman's findings.
NO_OMBUDSMAN_FINDINGS = "None recorded. putright does not yet record the Housing Ombudsman's determinations."


@dataclass(frozen=True)
class Provision:
    """One provision of the Code: the policy check's verdict and the landlord's evidence."""

    point: CodePoint
    evidence: str


@dataclass(frozen=True)
class Improvement:
    lesson: str
    change: str
    evidence: str
    completed_on: dt.date


@dataclass(frozen=True)
class AnnualReport:
    period: Period
    organisation: Organisation | None
    scope_name: str
    made_on: dt.date
    tsm: TsmReport
    received: int
    by_category: list[tuple[str, int]]
    themes: list[tuple[str, int]]
    not_accepted: list[tuple[str, int]]
    policy_name: str
    provisions: list[Provision]
    improvements: list[Improvement]
    governing_body_response: str
    ombudsman_findings: str = NO_OMBUDSMAN_FINDINGS

    @property
    def title(self) -> str:
        return f"{TITLE} {self.period.key}, {self.scope_name}"

    @property
    def not_accepted_total(self) -> int:
        return sum(count for _, count in self.not_accepted)

    def figures(self) -> dict[str, Any]:
        """The figures the document was made from, kept beside its PDF."""
        return {
            "year": self.period.key,
            "organisation": self.organisation.short_name if self.organisation else None,
            "received": self.received,
            "by_category": dict(self.by_category),
            "themes": dict(self.themes),
            "not_accepted": dict(self.not_accepted),
            "tsm": self.tsm.as_dict(references=False),
            "provisions": {
                p.point.key: {"verdict": p.point.verdict.value, "evidence": p.evidence}
                for p in self.provisions
            },
            "improvements": len(self.improvements),
            "ombudsman_findings": self.ombudsman_findings,
            "governing_body_response": self.governing_body_response,
        }


def annual_report(*, user: User, period: Period, organisation: Organisation | None = None) -> AnnualReport:
    """The year's report over the organisations the user may see (``organisation`` and below)."""
    scope = organisations_in_scope(user, organisation)
    year = period.start.year
    complaints = Complaint.objects.filter(
        organisation_id__in=scope, received_at__gte=period.starts_at, received_at__lt=period.ends_at
    )
    policy = current_policy().policy
    return AnnualReport(
        period=period,
        organisation=organisation,
        scope_name=organisation.name if organisation else settings.PUTRIGHT_LANDLORD_NAME,
        made_on=timezone.localdate(),
        tsm=tsm_report(user=user, period=period, organisation=organisation),
        received=complaints.count(),
        by_category=_counted(complaints, "category", lambda key: key.replace("_", " ").capitalize()),
        themes=[
            (t.label, t.points) for t in top_themes_between(sorted(scope), period.starts_at, period.ends_at)
        ],
        not_accepted=_counted(
            complaints.filter(state=State.NOT_ACCEPTED.value),
            "exclusion_reason",
            lambda key: _reason(policy, key),
        ),
        policy_name=f"{policy.policy.name}, version {policy.policy.version}",
        provisions=_provisions(policy, year, organisation),
        improvements=_improvements(scope, period),
        governing_body_response=_response(year, organisation),
    )


def _counted(complaints: Any, column: str, label: Any) -> list[tuple[str, int]]:
    rows = complaints.values(column).annotate(n=Count("pk")).order_by("-n", column)
    return [(label(row[column]), row["n"]) for row in rows]


def _reason(policy: Any, key: str) -> str:
    exclusion = (
        policy.eligibility.exclusion(ExclusionReason(key))
        if key in ExclusionReason.__members__.values()
        else None
    )
    return exclusion.text if exclusion else key.replace("_", " ").capitalize()


def provisions_of_the_code() -> list[CodePoint]:
    """Every provision the self-assessment lists: the policy check's, then those checked by hand."""
    return [*code.compare(current_policy().policy), *code.by_hand()]


def _provisions(policy: Any, year: int, organisation: Organisation | None) -> list[Provision]:
    texts = evidence_texts(year, organisation)
    return [Provision(point, texts.get(point.key, "")) for point in [*code.compare(policy), *code.by_hand()]]


def evidence_texts(year: int, organisation: Organisation | None) -> dict[str, str]:
    return dict(
        CodeEvidence.objects.filter(year=year, organisation=organisation).values_list("provision", "text")
    )


def _response(year: int, organisation: Organisation | None) -> str:
    found = GoverningBodyResponse.objects.filter(year=year, organisation=organisation).values_list(
        "text", flat=True
    )
    return next(iter(found), "")


def governing_body_response(year: int, organisation: Organisation | None) -> str:
    return _response(year, organisation)


def _improvements(scope: frozenset[int], period: Period) -> list[Improvement]:
    rows = (
        LearningAction.objects.filter(
            organisation_id__in=scope, completed_at__gte=period.starts_at, completed_at__lt=period.ends_at
        )
        .order_by("completed_at")
        .values_list("lesson", "change", "evidence", "completed_at")
    )
    return [
        Improvement(lesson, change, evidence, timezone.localdate(done))
        for lesson, change, evidence, done in rows
    ]


def annual_html(report: AnnualReport) -> str:
    return render_to_string(
        "reports/annual.html",
        {"report": report, "code_name": CODE_NAME, "brand_colour": settings.PUTRIGHT_BRAND_COLOUR},
    )


def annual_pdf(report: AnnualReport) -> bytes:
    """The report as an A4 PDF, drawn as the letters are (nothing fetched from outside it)."""
    return pdf_from_html(annual_html(report))
