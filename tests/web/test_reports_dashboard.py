"""The reports dashboard in the workspace: who may see it, the period form, the figures and the lists
behind them, the tables as spreadsheets, and a fixed number of queries."""

from __future__ import annotations

import base64
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from putright.accounts.models import Role
from putright.reports import periods
from putright.reports.dashboard import dashboard, scope_for
from putright.reports.present import figure_url
from tests.cases.helpers import at, on
from tests.reports.dashboard_cases import make_dashboard_set
from tests.web.helpers import make_user

PAGE = "/work/reports/"
Q1 = {"period": "2026-Q1"}
NOW = "Wed 2026-07-15 12:00"


@pytest.fixture
def made(log, officer, senior, org):
    return make_dashboard_set(log, officer, senior, org)


@pytest.fixture
def sam(client, senior):
    client.force_login(senior)
    return client


def _page(client, params) -> str:
    with at(NOW):
        reply = client.get(PAGE, params)
    assert reply.status_code == 200
    return reply.content.decode()


def _listed(client, url: str) -> int:
    """How many complaints the list behind a figure shows."""
    with at(NOW):
        page = client.get(url).content.decode()
    found = re.search(r'id="results-heading">(\d+) complaints?<', page)
    assert found, url
    return int(found[1])


def test_only_roles_that_read_reports_see_the_page_and_its_link(client, made, officer, senior):
    client.force_login(officer)
    assert client.get(PAGE, Q1).status_code == 403
    assert 'href="/work/reports/"' not in client.get("/work/").content.decode()
    client.force_login(senior)
    assert 'href="/work/reports/"' in client.get("/work/").content.decode()
    manager = make_user("mandy", Role.MANAGER, officer.organisations.first())
    client.force_login(manager)
    assert client.get(PAGE, Q1).status_code == 200


def test_the_page_shows_each_table_with_its_chart_and_no_script(sam, made):
    page = _page(sam, Q1)
    assert "April to June 2026" in page
    assert page.count('class="pr-chart"') >= 10
    assert all(" src=" in tag for tag in re.findall(r"<script[^>]*>", page)), "no inline script"
    charts = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert len(charts) >= 10
    for chart in charts:
        svg = base64.b64decode(chart).decode()
        assert svg.startswith("<svg") and "<script" not in svg and "href=" not in svg
    assert "The same figures are in the table beside it." in page
    assert 'data-table="summary"' in page and 'data-table="trends"' in page
    assert 'href="/work/reports/export/"' in page


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "2026-Q9"}, "period", "Choose a period"),
        ({"period": "custom"}, "first_day", "Enter the first day of the period"),
        (
            {"period": "custom", "first_day": "2026-05-02", "last_day": "2026-05-01"},
            "last_day",
            "The last day must",
        ),
        ({"period": "custom", "first_day": "yesterday", "last_day": "2026-05-01"}, "first_day", "Enter a"),
        ({"period": "2026-Q1", "organisation": "NOPE"}, "organisation", "Select a valid choice"),
    ],
)
def test_a_bad_choice_is_an_error_on_its_field(sam, made, params, field, message):
    page = _page(sam, params)
    assert "There is a problem" in page
    assert f'id="id_{field}-error"' in page
    assert message in page
    assert 'data-table="summary"' not in page, "nothing is counted"


def test_custom_dates_and_one_organisation(sam, made):
    page = _page(
        sam, {"period": "custom", "first_day": "2026-05-01", "last_day": "2026-05-31", "organisation": "VHT"}
    )
    assert "1 May 2026 to 31 May 2026" in page
    received = re.search(
        r'data-row="received">.*?<a class="govuk-link" href="([^"]+)">(\d+)<', page, re.DOTALL
    )
    assert received and received[2] == "3", "H, I and J"
    assert "within=VHT" in received[1] and "received_from=2026-05-01" in received[1]


def test_the_figures_and_the_lists_behind_them_agree(client, made, senior):
    client.force_login(senior)
    with at(NOW):
        board = dashboard(scope_for(senior, None), periods.parse("2026-Q1"), now=on(NOW))
    checked = 0
    for table in board.tables:
        for row in table.rows:
            for cell in row.cells:
                url = figure_url(cell)
                if url and url.startswith("/work/complaints/"):
                    assert _listed(client, url) == cell.value, (table.name, row.key, url)
                    checked += 1
    assert checked > 60


def test_a_changed_case_changes_the_page(sam, made):
    from putright.cases.models import Complaint

    before = _page(sam, Q1)
    assert re.search(r'data-row="email">.*?>3<', before, re.DOTALL)
    Complaint.objects.filter(pk=made["H"].pk).update(channel="letter")
    after = _page(sam, Q1)
    assert re.search(r'data-row="email">.*?>2<', after, re.DOTALL)
    assert re.search(r'data-row="letter">.*?>1<', after, re.DOTALL)


def test_each_table_downloads_as_csv_and_excel_never_cached(sam, made, officer):
    from putright.cases.models import Extension

    Extension.objects.filter(stage__complaint=made["C"]).update(reason='=HYPERLINK("http://x")')
    with at(NOW):
        csv_reply = sam.get("/work/reports/tables/extension_reasons.csv", Q1)
        xlsx_reply = sam.get("/work/reports/tables/timeliness.xlsx", Q1)
        missing = sam.get("/work/reports/tables/nothing.csv", Q1)
        bad = sam.get("/work/reports/tables/summary.csv", {"period": "never"})
    assert csv_reply.status_code == 200 and "no-store" in csv_reply["Cache-Control"]
    text = csv_reply.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text, "a formula is written as text"
    assert "Reason given to the customer,Extensions" in text
    assert "no-store" in xlsx_reply["Cache-Control"]
    book = load_workbook(io.BytesIO(xlsx_reply.content))
    rows = list(book["timeliness"].iter_rows(values_only=True))
    assert rows[0][0] == "Step"
    response = next(r for r in rows if r[0] == "Stage 1 response")
    assert response[1:4] == (4, 3, 75)
    assert missing.status_code == 404
    assert bad.status_code == 302
    officer_client = sam.__class__()
    officer_client.force_login(officer)
    assert officer_client.get("/work/reports/tables/summary.csv", Q1).status_code == 403


def _queries(client) -> int:
    with at(NOW), CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE, Q1).status_code == 200
    return len(queries)


def test_the_page_reads_the_same_number_of_queries_whatever_the_data(client, log, officer, senior, org):
    from tests.learning.publish_cases import _respond, _start, _theme

    client.force_login(senior)
    make_dashboard_set(log, officer, senior, org)
    few = _queries(client)
    for day in ("Mon 2026-05-11", "Tue 2026-05-12", "Wed 2026-06-10"):  # more of every kind
        more = _start(log, officer, f"{day} 10:00", channel="letter")
        _respond(more, officer, "Fri 2026-06-26 10:00", "upheld")
        _theme(more, 1, "damp_and_mould")
        _theme(more, 2, "rent_and_charges")
    assert _queries(client) == few
    assert few <= 40


def test_a_repeat_complainant_is_counted_and_listed_within_the_scope_alike(client, log, org):
    from putright.accounts.models import Organisation, OrganisationKind

    sibling = Organisation.objects.create(
        name="Suffolk Homes", short_name="SUF", kind=OrganisationKind.LANDLORD, parent=org.parent
    )
    log("2026-04-07 10:00")
    log("2026-04-08 10:00", organisation=sibling)  # the same customer, about another landlord
    mona = make_user("mona", Role.MANAGER, org.parent)
    client.force_login(mona)
    for scope, expected in ((None, 2), (org, 0), (sibling, 0)):
        with at(NOW):
            board = dashboard(scope_for(mona, scope), periods.parse("2026-Q1"), now=on(NOW))
        cell = next(r for r in board.table("summary").rows if r.key == "repeat_complaints").cells[0]
        assert cell.value == expected, scope
        assert _listed(client, figure_url(cell)) == expected, scope
