"""The annual report: made in one command or one click, kept, and its PDF holds the right figures."""

from __future__ import annotations

import io
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from putright.accounts.models import Role
from putright.cases.errors import InvalidInput
from putright.reports.annual import provisions_of_the_code
from putright.reports.models import DocumentKind, ReportDocument
from putright.reports.services.evidence import save_annual_texts
from tests.reports.tsm_cases import make_year, staff

EVIDENCE = "Our stage 1 letters went out within ten working days in 92 per cent of cases."
RESPONSE = "The board accepts the report and asks for a review of repairs complaints."


def text_of(pdf: bytes) -> str:
    return " ".join(
        " ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


@pytest.fixture
def made(log, org, officer, senior):
    return make_year(log, org, officer, senior)


@pytest.fixture
def manager(org):
    return staff("mona", Role.MANAGER, org.parent)


def test_the_command_makes_keeps_and_writes_the_pdf(made, org, manager, tmp_path):
    keys = {p.key for p in provisions_of_the_code()}
    assert "stage1.response" in keys
    save_annual_texts(
        year=2025,
        organisation=org,
        evidence={"stage1.response": EVIDENCE},
        governing_body_response=RESPONSE,
        known_provisions=keys,
        actor=manager,
    )
    out = tmp_path / "annual.pdf"
    said = StringIO()
    call_command(
        "report", "annual", "--year", "2025-26", "--organisation", "VHT", "--out", str(out), stdout=said
    )
    assert "Made “Annual complaints performance" in said.getvalue()
    document = ReportDocument.objects.get()
    assert document.kind == DocumentKind.ANNUAL and document.organisation == org
    assert bytes(document.pdf) == out.read_bytes()
    assert document.figures["tsm"]["organisations"][0]["stock_types"][0]["measures"][0]["value"] == 2.5
    assert sum(document.figures["not_accepted"].values()) == 1  # K, a neighbour dispute

    text = text_of(out.read_bytes())
    assert "Tenant Satisfaction Measures" in text
    assert "CH01(1) Stage 1 complaints received per 1,000 homes LCRA 10 4000 2.5" in text
    assert "CH02(1) Stage 1 complaints responded to within the Code's timescales LCRA 6 8 75.0" in text
    assert EVIDENCE in text
    assert RESPONSE in text
    assert "None recorded" in text
    assert "The governing body's response" in text


def test_evidence_for_a_provision_the_report_does_not_list_changes_nothing(org, manager):
    with pytest.raises(InvalidInput, match="no provision"):
        save_annual_texts(
            year=2025,
            organisation=org,
            evidence={"stage9.made_up": "x"},
            governing_body_response="",
            known_provisions={"stage1.response"},
            actor=manager,
        )


class TestPages:
    def test_write_the_evidence_then_make_the_report_in_one_click_and_download_it(
        self, client, made, org, manager
    ):
        client.force_login(manager)
        page = client.get("/work/reports/annual/", {"year": "2025-26", "organisation": "VHT"})
        assert page.status_code == 200 and "Make the report (PDF)" in page.content.decode()
        saved = client.post(
            "/work/reports/annual/evidence/?year=2025-26&organisation=VHT",
            {"evidence_stage1__response": EVIDENCE, "governing_body_response": RESPONSE},
        )
        assert saved.status_code == 302
        made_now = client.post("/work/reports/annual/?year=2025-26&organisation=VHT")
        assert made_now.status_code == 302 and made_now["Location"] == "/work/reports/documents/"
        document = ReportDocument.objects.get()
        listed = client.get("/work/reports/documents/").content.decode()
        assert f"/work/reports/documents/{document.pk}/pdf" in listed
        download = client.get(f"/work/reports/documents/{document.pk}/pdf")
        assert download.status_code == 200
        assert download["Cache-Control"] == "no-store"
        assert download["Content-Type"] == "application/pdf"
        text = text_of(download.content)
        assert EVIDENCE in text and RESPONSE in text
        assert "CH01(1) Stage 1 complaints received per 1,000 homes LCRA 10 4000 2.5" in text

    def test_another_landlords_document_is_not_found(self, client, made, org, manager):
        from putright.accounts.models import Organisation
        from putright.reports.periods import reporting_year
        from putright.reports.services.documents import save_document

        elsewhere = Organisation.objects.get(short_name="EH")
        theirs = save_document(
            DocumentKind.ANNUAL,
            period=reporting_year(2025),
            organisation=elsewhere,
            title="Elsewhere's report",
            figures={},
            pdf=b"%PDF-1.4 theirs",
            actor=None,
        )
        client.force_login(manager)
        assert client.get(f"/work/reports/documents/{theirs.pk}/pdf").status_code == 404
        assert "Elsewhere's report" not in client.get("/work/reports/documents/").content.decode()
