"""The complaint list: filters, free-text search, sorting, pages, export, and what a user may see.

The list is read on Wed 18 March 2026 at 12:00. The complaints, by hand:

    A  Mon 2 Mar 10:00   Ada      service_failure  stage 1, Olivia, no contact:
         stage1.contact Tue 3 Mar 10:00                        -> overdue
    B  Mon 9 Mar 10:00   Charles  staff_conduct    stage 1, Oscar, contacted ("boiler engineer
         visit booked"): stage1.response end of Mon 23 Mar; a representative acts for Charles
    C  Wed 11 Mar 10:00  Ada      service_delivery received, awaiting triage; no deadline;
         a safeguarding concern flagged on it
    S  Tue 10 Mar 10:00  Grace    another landlord's, never listed
"""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.accounts.models import Role, Team, User
from putright.cases.models import ReasonableAdjustment, Representative
from putright.cases.services import concerns, investigation, triage
from putright.cases.services.customers import create_customer
from putright.web.export import guard
from tests.cases.helpers import at

pytestmark = pytest.mark.django_db

NOW = "Wed 2026-03-18 12:00"
LIST = "/work/complaints/"


@pytest.fixture
def charles(org):
    customer = create_customer(
        organisation=org, first_name="Charles", last_name="Babbage", phone="01603 111111", postcode="NR1 1AA"
    )
    ReasonableAdjustment.objects.create(customer=customer, kind="large_print")
    return customer


@pytest.fixture
def cases(log, officer, second_officer, frontline, charles, elsewhere):
    made = {}
    with at("Mon 2026-03-02 11:00"):
        made["A"] = log("2026-03-02 10:00", summary="Leaking roof")
        triage.accept(made["A"], owner=officer, actor=officer, reasoning="Meets the definition.")
    with at("Mon 2026-03-09 12:00"):
        representative = Representative.objects.create(
            customer=charles, name="Cllr Jones", kind="designated_person", consent_given_at=at_now()
        )
        made["B"] = log(
            "2026-03-09 10:00",
            customer=charles,
            representative=representative,
            category="staff_conduct",
            summary="Rude operative",
            points=["The operative swore"],
        )
        triage.accept(
            made["B"], owner=second_officer, actor=second_officer, reasoning="Meets the definition."
        )
        investigation.record_contact(
            made["B"], method="phone", summary="Boiler engineer visit booked", actor=second_officer
        )
    with at("Wed 2026-03-11 10:00"):
        made["C"] = log("2026-03-11 10:00", category="service_delivery", summary='=HYPERLINK("x") garden')
        concerns.flag_concern(
            made["C"], kind="safeguarding", description="Lives alone, no heating", actor=frontline
        )
    with at("Tue 2026-03-10 10:00"):
        org, grace = elsewhere
        made["S"] = log("2026-03-10 10:00", organisation=org, customer=grace, summary="Damp")
    return made


def at_now():
    from django.utils import timezone

    return timezone.now()


def listed(client, cases, **params) -> list[str]:
    """The letters of the complaints on the page, in order."""
    with at(NOW):
        reply = client.get(LIST, params)
    assert reply.status_code == 200
    html = reply.content.decode()
    letters = {c.reference: letter for letter, c in cases.items()}
    found = [(html.index(f">{ref}</a>"), letter) for ref, letter in letters.items() if f">{ref}</a>" in html]
    return [letter for _, letter in sorted(found)]


@pytest.fixture
def olivia(client, officer):
    client.force_login(officer)
    return client


def test_signing_in_is_needed(client):
    reply = client.get(LIST)
    assert reply.status_code == 302 and "/sign-in/" in reply["Location"]
    reply = client.get(f"{LIST}export.csv")
    assert reply.status_code == 302 and "/sign-in/" in reply["Location"]


def test_every_complaint_i_may_see_by_next_deadline_and_none_from_elsewhere(olivia, cases):
    assert listed(olivia, cases) == ["A", "B", "C"]
    with at(NOW):
        html = olivia.get(LIST).content.decode()
    assert "3 complaints" in html
    assert "Tuesday 3 March 2026 at 10:00" in html and "Overdue" in html
    assert "Monday 23 March 2026" in html


def test_a_panel_member_sees_only_appeals(client, org, cases):
    panel = User.objects.create_user(username="pat", password="x", role=Role.PANEL_MEMBER)
    panel.organisations.add(org)
    client.force_login(panel)
    assert listed(client, cases) == []
    with at(NOW):
        assert "No complaints match these filters" in client.get(LIST).content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"state": "stage1"}, ["A", "B"]),
        ({"state": "received"}, ["C"]),
        ({"state": "open"}, ["A", "B", "C"]),
        ({"stage": "0"}, ["C"]),
        ({"owner": "oscar"}, ["B"]),
        ({"category": "staff_conduct"}, ["B"]),
        ({"organisation": "VHT"}, ["A", "B", "C"]),
        ({"flags": "overdue"}, ["A"]),
        ({"flags": "concern"}, ["C"]),
        ({"flags": "representative"}, ["B"]),
        ({"flags": "adjustments"}, ["B"]),
        ({"flags": ["adjustments", "overdue"]}, []),
        ({"received_from": "2026-03-09", "received_to": "2026-03-10"}, ["B"]),
        ({"received_to": "2026-03-02"}, ["A"]),
        ({"q": "operative"}, ["B"]),
        ({"q": "swore"}, ["B"]),
        ({"q": "boiler engineer"}, ["B"]),
        ({"q": "babbage"}, ["B"]),
        ({"q": "nothing-like-this"}, []),
    ],
)
def test_filters_and_search(olivia, cases, params, expected):
    assert listed(olivia, cases, **params) == expected


def test_the_team_filter_and_triage_note_search(olivia, cases, team, org, frontline):
    other_team = Team.objects.create(name="Repairs complaints", organisation=org)
    assert listed(olivia, cases, team=str(team.pk)) == ["A", "B"]
    assert listed(olivia, cases, team=str(other_team.pk)) == []
    with at("Wed 2026-03-18 11:00"):
        triage.resolve_informally(cases["C"], resolution="Gardening contractor came back", actor=frontline)
    assert listed(olivia, cases, q="contractor came") == ["C"]
    assert listed(olivia, cases, q="contractor came", state="open") == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"received_from": "31/02/2026"}, "Enter a valid date"),
        ({"state": "nonsense"}, "Select a valid choice"),
        (
            {"received_from": "2026-03-10", "received_to": "2026-03-01"},
            "Received to must be the same as or after",
        ),
        ({"organisation": "SH"}, "Select a valid choice"),
    ],
)
def test_a_bad_filter_is_an_error_on_the_form(olivia, cases, params, message):
    with at(NOW):
        reply = olivia.get(LIST, params)
    assert reply.status_code == 200
    html = reply.content.decode()
    assert "There is a problem" in html
    assert message in html
    assert "govuk-form-group--error" in html
    assert cases["A"].reference not in html


def test_sorting_by_a_column_and_back(olivia, cases):
    assert listed(olivia, cases, sort="received_at") == ["A", "B", "C"]
    assert listed(olivia, cases, sort="-received_at") == ["C", "B", "A"]
    assert listed(olivia, cases, sort="customer") == ["B", "A", "C"], "Babbage, then Lovelace"
    assert listed(olivia, cases, sort="-customer") == ["C", "A", "B"]
    assert listed(olivia, cases, sort="reference") == sorted("ABC", key=lambda x: cases[x].reference)
    assert listed(olivia, cases, sort="nonsense") == ["A", "B", "C"], "an unknown sort is the default"

    with at(NOW):
        html = olivia.get(LIST, {"sort": "received_at", "state": "open"}).content.decode()
    current = html[html.index('aria-sort="ascending"') :]
    assert current.startswith(
        'aria-sort="ascending"><a class="govuk-link pr-sort-link" href="?sort=-received_at&amp;state=open">'
        'Received <span class="govuk-visually-hidden">(sorted ascending)</span>'
    ), "the current column's link reverses the order and keeps the filters"
    assert 'href="?sort=reference&amp;state=open">Reference</a>' in html
    assert html.count('aria-sort="none"') == 4


def _many(log, count):
    for n in range(count):
        log("2026-03-02 10:00", summary=f"Complaint {n:03}")


def test_pages_of_fifty_with_the_govuk_pagination(olivia, log):
    with at("Mon 2026-03-02 11:00"):
        _many(log, 120)
    with at(NOW):
        first = olivia.get(LIST).content.decode()
        third = olivia.get(LIST, {"page": "3"}).content.decode()
        beyond = olivia.get(LIST, {"page": "99"}).content.decode()
        junk = olivia.get(LIST, {"page": "x"}).content.decode()
    assert "120 complaints" in first and "Showing 1 to 50 of 120." in first
    assert first.count('class="govuk-table__row"') == 51
    assert 'aria-current="page">1<' in first and 'rel="next"' in first and 'rel="prev"' not in first
    assert "Showing 101 to 120 of 120." in third and 'rel="next"' not in third
    assert "Showing 101 to 120 of 120." in beyond, "a page past the end shows the last"
    assert "Showing 1 to 50 of 120." in junk


def test_the_count_stops_early_and_the_pages_count_on(olivia, log, settings, monkeypatch):
    """issue 16, search: past PUTRIGHT_LIST_COUNT_LIMIT rows from the page's start, the list says
    "more than" instead of counting every match, and its next pages still open."""
    monkeypatch.setattr("putright.web.views.cases.PAGE_SIZE", 10)
    settings.PUTRIGHT_LIST_COUNT_LIMIT = 15
    with at("Mon 2026-03-02 11:00"):
        _many(log, 32)
    with at(NOW):
        first = olivia.get(LIST, {"q": "roof"}).content.decode()
        second = olivia.get(LIST, {"q": "roof", "page": "2"}).content.decode()
        fourth = olivia.get(LIST, {"q": "roof", "page": "4"}).content.decode()
        beyond = olivia.get(LIST, {"q": "roof", "page": "99"}).content.decode()
        few = olivia.get(LIST, {"q": "Complaint 001"}).content.decode()
    assert "More than 15 complaints" in first and "Showing 1 to 10 of more than 15." in first
    assert first.count('class="govuk-table__row"') == 11
    assert 'rel="next"' in first and 'aria-current="page">1<' in first and ">3</a>" not in first
    assert "More than 25 complaints" in second and "Showing 11 to 20 of more than 25." in second
    assert ">3</a>" in second, "the next pages are counted from the page asked for"
    assert "32 complaints" in fourth and "Showing 31 to 32 of 32." in fourth and 'rel="next"' not in fourth
    assert "Showing 31 to 32 of 32." in beyond, "a page past the end shows the last"
    assert "1 complaint<" in few, "below the limit the count is exact"


def test_a_searched_page_reads_the_same_number_of_queries_below_and_past_the_limit(olivia, log, settings):
    settings.PUTRIGHT_LIST_COUNT_LIMIT = 50
    params = {"q": "roof repair", "sort": "customer"}
    with at("Mon 2026-03-02 11:00"):
        _many(log, 3)
    few = _queries(olivia, params)
    with at("Mon 2026-03-02 11:00"):
        _many(log, 60)
    with at(NOW):
        assert "More than 50 complaints" in olivia.get(LIST, params).content.decode()
    assert _queries(olivia, params) == few


def _queries(client, params) -> int:
    with at(NOW), CaptureQueriesContext(connection) as queries:
        assert client.get(LIST, params).status_code == 200
    return len(queries)


def test_a_page_reads_the_same_number_of_queries_for_three_complaints_or_thirty(olivia, log):
    params = {"q": "roof", "flags": ["concern", "adjustments"], "sort": "owner"}
    with at("Mon 2026-03-02 11:00"):
        _many(log, 3)
    few, few_filtered = _queries(olivia, {}), _queries(olivia, params)
    with at("Mon 2026-03-02 11:00"):
        _many(log, 27)
    assert _queries(olivia, {}) == few
    assert _queries(olivia, params) == few_filtered
    assert few <= 15


def test_htmx_gets_the_filters_and_results_only(olivia, cases):
    with at(NOW):
        reply = olivia.get(LIST, {"state": "received"}, headers={"HX-Request": "true"})
        restore = olivia.get(
            LIST, {"state": "received"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
        )
        bad = olivia.get(LIST, {"received_to": "soon"}, headers={"HX-Request": "true"})
    html = reply.content.decode()
    assert html.lstrip().startswith('<div id="case-search"')
    assert "<html" not in html and cases["C"].reference in html and cases["A"].reference not in html
    assert "HX-Request" in reply["Vary"]
    assert "<html" in restore.content.decode()
    assert "There is a problem" in bad.content.decode()


def test_the_full_page_form_works_without_javascript(olivia, cases):
    with at(NOW):
        html = olivia.get(LIST).content.decode()
    assert '<form method="get" action="/work/complaints/"' in html
    assert 'hx-get="/work/complaints/"' in html and 'hx-push-url="true"' in html


def _csv(olivia, params=None) -> list[list[str]]:
    with at(NOW):
        reply = olivia.get(f"{LIST}export.csv", params or {})
        assert reply.status_code == 200
        assert reply["Content-Type"].startswith("text/csv")
        assert reply["Content-Disposition"] == 'attachment; filename="complaints-2026-03-18-1200.csv"'
        body = b"".join(reply.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_csv_export_of_the_filtered_list(olivia, cases):
    rows = _csv(olivia, {"state": "stage1", "sort": "reference"})
    assert rows[0] == [
        "Reference",
        "Received",
        "Organisation",
        "Customer",
        "Summary",
        "Reason for complaint",
        "State",
        "Stage",
        "Owner",
        "Team",
        "Next deadline",
        "Due at",
        "Overdue",
    ]
    by_reference = {row[0]: row for row in rows[1:]}
    assert set(by_reference) == {cases["A"].reference, cases["B"].reference}
    assert by_reference[cases["A"].reference][1:] == [
        "2026-03-02 10:00",
        "VHT",
        "Ada Lovelace",
        "Leaking roof",
        "service_failure",
        "Stage 1: investigating",
        "Stage 1",
        "Olivia Staff",
        "Learning and Resolution Team",
        "Stage 1 first contact",
        "2026-03-03 10:00",
        "Yes",
    ]
    assert by_reference[cases["B"].reference][-3:] == ["Stage 1 response", "2026-03-23 23:59", "No"]


def test_the_csv_never_runs_a_formula(olivia, cases):
    rows = _csv(olivia, {"state": "received"})
    assert rows[1][4] == '\'=HYPERLINK("x") garden'
    assert [guard(v) for v in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "plain", "")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@SUM(A1)",
        "'\tx",
        "plain",
        "",
    ]


def test_xlsx_export_reads_back_with_the_same_rows(olivia, cases):
    with at(NOW):
        reply = olivia.get(f"{LIST}export.xlsx", {"sort": "reference"})
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = openpyxl.load_workbook(io.BytesIO(reply.content))
    sheet = book["Complaints"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Reference" and len(rows) == 4
    by_reference = {row[0]: row for row in rows[1:]}
    assert cases["S"].reference not in by_reference
    a = by_reference[cases["A"].reference]
    assert a[1].strftime("%Y-%m-%d %H:%M") == "2026-03-02 10:00"
    assert a[10:] == ("Stage 1 first contact", a[11], "Yes")
    assert a[11].strftime("%Y-%m-%d %H:%M") == "2026-03-03 10:00"
    c = by_reference[cases["C"].reference]
    assert c[4] == '=HYPERLINK("x") garden', "kept as text"
    cell = next(cell for cell in sheet[4 if rows[3][0] == cases["C"].reference else 2] if cell.column == 5)
    assert cell.data_type == "s"
    assert list(book["About"].iter_rows(values_only=True))[1] == ("Complaints", 3)


def test_an_export_with_a_bad_filter_goes_back_to_the_list(olivia, cases):
    with at(NOW):
        reply = olivia.get(f"{LIST}export.csv", {"received_from": "yesterday"})
    assert reply.status_code == 302
    assert reply["Location"] == f"{LIST}?received_from=yesterday"


def test_the_export_reads_a_fixed_number_of_queries(olivia, log):
    def count() -> int:
        with at(NOW), CaptureQueriesContext(connection) as queries:
            reply = olivia.get(f"{LIST}export.csv")
            b"".join(reply.streaming_content)
        return len(queries)

    with at("Mon 2026-03-02 11:00"):
        _many(log, 3)
    few = count()
    with at("Mon 2026-03-02 11:00"):
        _many(log, 27)
    assert count() == few
