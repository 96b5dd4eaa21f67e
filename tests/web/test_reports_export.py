"""The flat export's page and downloads in the workspace (issue 13, export): who may use them,
what they answer for a bad choice, and what the files hold (the complaints of
tests/reports/export_cases.py; their values are checked in tests/reports/test_flat_export.py)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cases.helpers import at
from tests.reports.export_cases import EXPORTED, make_cases
from tests.web.helpers import text

PAGE = "/work/reports/export/"


@pytest.fixture
def made(journey, log, officer, org):
    return make_cases(journey, log, officer, org)


@pytest.fixture
def sam(client, senior):
    """A Senior Manager of VHT: their role may view reports."""
    client.force_login(senior)
    return client


def _csv(reply) -> list[dict[str, str]]:
    body = b"".join(reply.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_the_page_offers_the_choices_the_links_and_every_column(sam, made):
    with at(EXPORTED):
        reply = sam.get(PAGE)
    assert reply.status_code == 200
    words = text(reply, main_only=True)
    assert "Export for analysts" in words
    for label in ("Period", "Organisation", "Table", "Format"):
        assert label in words
    html = reply.content.decode()
    assert f'href="{PAGE}stages.csv"' in html and f'href="{PAGE}putright.xlsx"' in html
    assert "on_time_by_policy" in words and "theme_counted_as" in words
    assert "Complaints received at any time, of every organisation you may see." in words
    assert "Suffolk Housing" not in words, "only the organisations the user works for are offered"


def test_the_links_carry_the_filters_chosen(sam, made):
    with at(EXPORTED):
        reply = sam.get(PAGE, {"period": "2026-27", "organisation": "VHT"})
    assert reply.status_code == 200
    html = reply.content.decode()
    assert f'href="{PAGE}remedies.csv?period=2026-27&amp;organisation=VHT"' in html
    assert "Complaints received April 2026 to March 2027, of VHT and the organisations below it" in text(
        reply
    )


def test_a_complete_choice_goes_straight_to_its_file(sam, made):
    reply = sam.get(PAGE, {"period": "2026-27", "organisation": "VHT", "table": "stages", "format": "csv"})
    assert (reply.status_code, reply["Location"]) == (
        302,
        f"{PAGE}stages.csv?period=2026-27&organisation=VHT",
    )
    reply = sam.get(PAGE, {"period": "", "organisation": "", "table": "", "format": "xlsx"})
    assert (reply.status_code, reply["Location"]) == (302, f"{PAGE}putright.xlsx")


def test_a_csv_without_a_table_is_refused_on_the_page(sam, made):
    reply = sam.get(PAGE, {"format": "csv"})
    assert reply.status_code == 400
    assert "There is a problem" in text(reply) and "Choose a table: a CSV file holds one table" in text(reply)


def test_a_table_downloads_as_csv_never_kept_by_a_cache(sam, made):
    with at(EXPORTED):
        reply = sam.get(f"{PAGE}stages.csv", {"period": "2026-27"})
        assert reply.status_code == 200
        assert reply["Content-Type"] == "text/csv; charset=utf-8"
        assert "no-store" in reply["Cache-Control"] and "private" in reply["Cache-Control"]
        assert (
            reply["Content-Disposition"] == 'attachment; filename="putright-stages-2026-27-20260601-1100.csv"'
        )
        found = _csv(reply)
    assert {r["complaint_reference"] for r in found} == {made["B"].reference, made["D"].reference}


def test_the_workbook_downloads_with_a_sheet_per_table(sam, made):
    with at(EXPORTED):
        reply = sam.get(f"{PAGE}putright.xlsx")
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "no-store" in reply["Cache-Control"]
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    assert book.sheetnames == [
        "complaints",
        "stages",
        "deadlines",
        "outcomes",
        "remedies",
        "actions",
        "About",
    ]
    one = openpyxl.load_workbook(io.BytesIO(sam.get(f"{PAGE}putright.xlsx", {"table": "remedies"}).content))
    assert one.sheetnames == ["remedies", "About"]


def test_another_landlords_complaints_never_appear(sam, made):
    for table in ("complaints", "stages", "deadlines", "outcomes", "remedies", "actions"):
        with at(EXPORTED):
            found = _csv(sam.get(f"{PAGE}{table}.csv"))
        assert made["Z"].reference not in {r["complaint_reference"] for r in found}
    with at(EXPORTED):
        reply = sam.get(f"{PAGE}complaints.csv", {"organisation": "SH"})
    assert reply.status_code == 400
    assert "Choose an organisation you work for" in text(reply)


def test_a_bad_period_is_a_clear_400(sam, made):
    for address in (PAGE, f"{PAGE}stages.csv", f"{PAGE}putright.xlsx"):
        reply = sam.get(address, {"period": "last year"})
        assert reply.status_code == 400, address
        assert "'last year' is not a period: give a quarter (2026-Q1), a reporting year (2025-26)" in text(
            reply
        )


def test_an_unknown_table_is_not_found(sam, made):
    assert sam.get(f"{PAGE}customers.csv").status_code == 404
    assert sam.get(f"{PAGE}putright.xlsx", {"table": "customers"}).status_code == 400


def test_a_role_that_may_not_view_reports_is_forbidden(client, officer, made):
    client.force_login(officer)
    for address in (PAGE, f"{PAGE}stages.csv", f"{PAGE}putright.xlsx"):
        assert client.get(address).status_code == 403, address


def test_a_stranger_is_sent_to_sign_in(client, made):
    reply = client.get(f"{PAGE}stages.csv")
    assert reply.status_code == 302 and reply["Location"] == "/sign-in/?next=/work/reports/export/stages.csv"


def test_a_download_reads_a_fixed_number_of_queries(sam, journey, log, officer, org):
    def count(table: str) -> int:
        with at(EXPORTED), CaptureQueriesContext(connection) as queries:
            reply = sam.get(f"{PAGE}{table}.csv")
            b"".join(reply.streaming_content)
        return len(queries)

    make_cases(journey, log, officer, org)
    few = {table: count(table) for table in ("stages", "outcomes", "actions")}
    for _ in range(4):
        journey.until("responded2")
    assert {table: count(table) for table in few} == few
