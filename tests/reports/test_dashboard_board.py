"""The quarterly board report: made in one command or one click, kept with its figures, and its PDF's
text, read back, holds the right figures (tests/reports/dashboard_cases.py, worked out by hand)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from putright.learning.models import LearningAction
from putright.learning.quarters import Quarter
from putright.learning.services.publishing import publish_quarter
from putright.reports.models import DocumentKind, ReportDocument
from tests.cases.helpers import at
from tests.learning.publish_entries import approved_entry
from tests.reports.dashboard_cases import make_dashboard_set

NOW = "Wed 2026-07-15 12:00"


def pdf_text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def made(log, officer, senior, org):
    made = make_dashboard_set(log, officer, senior, org)
    approved_entry(
        org,
        Quarter.parse("2026-Q1"),
        drafted_by=officer,
        approved_by=senior,
        you_said="Damp was left too long.",
        we_did="We now inspect within five days.",
    )
    with at("Mon 2026-07-06 10:00"):
        publish_quarter(org, Quarter.parse("2026-Q1"), senior, "")
        LearningAction.objects.create(
            organisation=org,
            lesson="Surveys were slow",
            change="Book surveys on the first call",
            change_kind="procedure",
            owner=senior,
            due_on="2026-07-01",
        )
    return made


def test_the_command_makes_and_keeps_the_report_and_its_text_holds_the_figures(made, tmp_path):
    out = tmp_path / "board.pdf"
    printed = io.StringIO()
    with at(NOW):
        call_command(
            "report",
            "board",
            "--quarter",
            "2026-Q1",
            "--organisation",
            "vht",
            "--out",
            str(out),
            stdout=printed,
        )
    kept = ReportDocument.objects.get()
    assert kept.kind == DocumentKind.BOARD and kept.period_key == "2026-Q1"
    assert kept.organisation is not None and kept.organisation.short_name == "VHT"
    assert out.read_bytes() == bytes(kept.pdf)
    assert f"kept as document {kept.pk}" in printed.getvalue()
    received = next(
        r
        for t in kept.figures["dashboard"]["tables"]
        if t["name"] == "summary"
        for r in t["rows"]
        if r["key"] == "received"
    )
    assert received["figures"][0]["value"] == 8

    text = pdf_text(bytes(kept.pdf))
    assert "Quarterly board report on complaints, April to June 2026, Victory Housing Trust" in text
    assert "Received 8" in text and "Not accepted 1" in text and "Withdrawn 1" in text
    # The quarter against the four before it: April to June 2026 received 5 + 3, responded 5 (E, A, B,
    # C in April; D in May), on time 3 (A, C, E), 60%, upheld or partly 3 (A, C, D).
    assert "April to June 2026 8 5 3 60% 3" in text
    assert "January to March 2026 1 0 0 – 0" in text, "E was received on 31 March"
    assert "April to June 2025 0 0 0 – 0" in text
    assert "Stage 1 response 4 3 75% 3 75% 15" in text
    assert "Damp was left too long." in text and "We now inspect within five days." in text
    assert "Book surveys on the first call" in text, "an overdue learning action"
    # The charts are drawn in the PDF: each chart's title is printed inside its drawing too.
    assert text.count("Received by how it came") >= 2
    assert text.count("Outcomes, by stage") >= 2


def test_the_whole_group_by_default_and_a_clear_refusal(made):
    with at(NOW):
        call_command("report", "board", "--quarter", "2026-Q1", stdout=io.StringIO())
    assert "the group" in ReportDocument.objects.get().title
    with pytest.raises(CommandError, match="not a quarter"):
        call_command("report", "board", "--quarter", "2025-26")
    with pytest.raises(CommandError, match="No organisation"):
        call_command("report", "board", "--quarter", "2026-Q1", "--organisation", "NOPE")
    assert ReportDocument.objects.count() == 1


def test_one_click_on_the_dashboard(client, made, senior, officer):
    client.force_login(officer)
    assert client.post("/work/reports/board/", {"period": "2026-Q1"}).status_code == 403
    client.force_login(senior)
    page = client.get("/work/reports/", {"period": "2026-Q1"}).content.decode()
    assert 'action="/work/reports/board/"' in page
    with at(NOW):
        reply = client.post("/work/reports/board/", {"period": "2026-Q1", "organisation": "VHT"})
    assert reply.status_code == 302
    kept = ReportDocument.objects.get()
    assert kept.made_by == senior and kept.kind == DocumentKind.BOARD
    assert "Received 8" in pdf_text(bytes(kept.pdf))
    refused = client.post("/work/reports/board/", {"period": "2025-26"})
    assert refused.status_code == 302 and ReportDocument.objects.count() == 1
    assert (
        client.get("/work/reports/", {"period": "2025-26"})
        .content.decode()
        .count('action="/work/reports/board/"')
        == 0
    )


def test_a_second_click_keeps_one_report_and_a_later_request_makes_another(client, made, senior):
    client.force_login(senior)
    with at(NOW):
        first = client.post("/work/reports/board/", {"period": "2026-Q1", "organisation": "VHT"})
    with at("Wed 2026-07-15 12:00:05"):
        second = client.post("/work/reports/board/", {"period": "2026-Q1", "organisation": "VHT"})
    assert first.status_code == second.status_code == 302
    assert second["Location"] == "/work/reports/documents/"
    assert ReportDocument.objects.count() == 1
    with at("Wed 2026-07-15 12:05"):
        client.post("/work/reports/board/", {"period": "2026-Q1", "organisation": "VHT"})
    assert ReportDocument.objects.count() == 2
