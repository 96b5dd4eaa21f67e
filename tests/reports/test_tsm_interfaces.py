"""The TSM through the API, the command and the workspace page; homes as data; the stock type corrected.

The figures are those worked out by hand in tsm_cases.py.
"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.accounts.models import HomesCount, Role
from putright.cases.errors import InvalidInput
from putright.cases.models import EventKind
from putright.cases.services.stock_type import correct_stock_type
from putright.reports.periods import reporting_year
from putright.reports.tsm import tsm_report
from tests.reports.tsm_cases import make_year, staff

YEAR = reporting_year(2025)


@pytest.fixture
def made(log, org, officer, senior):
    return make_year(log, org, officer, senior)


@pytest.fixture
def manager(org):
    return staff("mona", Role.MANAGER, org.parent)


def _measure(payload, organisation, stock, key):
    row = next(o for o in payload["organisations"] if o["organisation"] == organisation)
    stock_figures = next(s for s in row["stock_types"] if s["stock_type"] == stock)
    return next(m for m in stock_figures["measures"] if m["measure"] == key)


class TestApi:
    def test_the_measures_with_their_references_and_the_reading(self, api, made, manager):
        reply = api.as_(manager).get("reports/tsm", {"year": "2025-26", "organisation": "VHT"})
        assert reply.status_code == 200, reply.content
        payload = reply.json()
        assert payload["year"] == "2025-26"
        assert payload["reading"]["extensions_within_code_count_as_within"] is True
        assert "extension the Code allows" in payload["reading"]["description"]
        ch02 = _measure(payload, "VHT", "lcra", "CH02(1)")
        assert (ch02["numerator"], ch02["denominator"], ch02["value"]) == (6, 8, 75.0)
        assert made["B"].reference in ch02["denominator_references"]
        assert made["B"].reference not in ch02["numerator_references"]
        assert [o["organisation"] for o in payload["organisations"]] == ["VHT"]

    def test_a_bad_year_an_unseen_organisation_and_a_role_without_reports(self, api, made, manager, officer):
        bad = api.as_(manager).get("reports/tsm", {"year": "2025-Q1"})
        assert bad.status_code == 422 and "2025-26" in bad.json()["detail"]
        assert (
            api.as_(manager).get("reports/tsm", {"year": "2025-26", "organisation": "EH"}).status_code == 404
        )
        assert api.as_(officer).get("reports/tsm", {"year": "2025-26"}).status_code == 403


class TestHomes:
    def test_an_administrator_records_homes_and_the_rate_follows(self, api, made, org, manager):
        admin = staff("ada", Role.ADMINISTRATOR, org)
        reply = api.as_(admin).put(
            "homes", {"year": 2025, "homes": [{"organisation": "vht", "stock_type": "lcra", "homes": 5000}]}
        )
        assert reply.status_code == 200, reply.content
        assert {
            "organisation": "VHT",
            "organisation_name": org.name,
            "stock_type": "lcra",
            "year": 2025,
            "homes": 5000,
        } in reply.json()["homes"]
        payload = api.as_(manager).get("reports/tsm", {"year": "2025-26"}).json()
        assert _measure(payload, "VHT", "lcra", "CH01(1)")["value"] == 2.0  # 10 per 5,000 homes
        listed = api.as_(manager).get("homes", {"year": "2025"}).json()["homes"]
        assert [(h["organisation"], h["stock_type"], h["homes"]) for h in listed] == [
            ("GWH", "lcra", 2000),
            ("VHT", "lcho", 1000),
            ("VHT", "lcra", 5000),
        ]  # not Elsewhere Homes: the manager does not work for it

    def test_bad_homes_change_nothing(self, api, made, org, manager):
        admin = staff("ada", Role.ADMINISTRATOR, org)
        before = list(HomesCount.objects.values_list("organisation_id", "stock_type", "year", "homes"))
        for body, field in [
            (
                {
                    "year": 2025,
                    "homes": [
                        {"organisation": "VHT", "stock_type": "lcra", "homes": 1},
                        {"organisation": "VHT", "stock_type": "social", "homes": 1},
                    ],
                },
                "homes.1.stock_type",
            ),
            ({"year": 2025, "homes": [{"organisation": "NOPE", "stock_type": "lcra", "homes": 1}]}, "homes"),
            ({"year": 1925, "homes": [{"organisation": "VHT", "stock_type": "lcra", "homes": 1}]}, "year"),
            (
                {"year": 2025, "homes": [{"organisation": "VHT", "stock_type": "lcra", "homes": -4}]},
                "homes.0.homes",
            ),
        ]:
            reply = api.as_(admin).put("homes", body)
            assert reply.status_code == 422, reply.content
            assert reply.json()["errors"][0]["field"] == field
        assert (
            list(HomesCount.objects.values_list("organisation_id", "stock_type", "year", "homes")) == before
        )
        assert api.as_(manager).put("homes", {"year": 2025, "homes": []}).status_code == 403


class TestStockType:
    def test_corrected_on_the_timeline_and_in_the_measures(self, api, made, org, officer, manager):
        m = made["M"]  # the leaseholder's complaint: LCHO
        reply = api.as_(officer).post(
            f"complaints/{m.reference}/stock-type", {"stock_type": "lcra", "version": m.version}
        )
        assert reply.status_code == 200, reply.content
        event = m.timeline.filter(kind=EventKind.STOCK_TYPE_CHANGED).get()
        assert (event.data["old"], event.data["new"]) == ("lcho", "lcra")
        report = tsm_report(user=manager, period=YEAR)
        vht = next(o for o in report.organisations if o.short_name == "VHT")
        assert vht.stock("lcra").measure("CH01(1)").numerator == 11
        assert vht.stock("lcho").measure("CH01(1)").numerator == 0

    def test_the_same_or_a_made_up_stock_type_is_refused(self, api, made, officer):
        m = made["M"]
        with pytest.raises(InvalidInput, match="already"):
            correct_stock_type(m, stock_type="lcho", actor=officer)
        reply = api.as_(officer).post(
            f"complaints/{m.reference}/stock-type", {"stock_type": "shared", "version": m.version}
        )
        assert reply.status_code == 422
        m.refresh_from_db()
        assert m.stock_type == "lcho" and not m.timeline.filter(kind=EventKind.STOCK_TYPE_CHANGED).exists()

    def test_the_case_page_shows_it_and_its_step_page_corrects_it(self, client, made, officer):
        m = made["M"]
        client.force_login(officer)
        page = client.get(f"/work/complaints/{m.reference}/").content.decode()
        assert "Low-cost home ownership (LCHO)" in page
        step = f"/work/complaints/{m.reference}/stock-type/"
        assert step in page
        reply = client.post(step, {"version": m.version, "stock_type": "none"})
        assert reply.status_code == 302
        m.refresh_from_db()
        assert m.stock_type == ""


class TestCommand:
    def test_text_and_json(self, made):
        out = StringIO()
        call_command(
            "report", "tsm", "--year", "2025-26", "--organisation", "Victory Housing Trust", stdout=out
        )
        text = out.getvalue()
        assert "Reading: A response inside an extension" in text
        assert "CH01(1)      10 / 4000   =      2.5" in text
        out = StringIO()
        call_command("report", "tsm", "--year", "2025-26", "--json", stdout=out)
        payload = json.loads(out.getvalue())
        assert [o["organisation"] for o in payload["organisations"]] == ["EH", "FG", "GWH", "VHT"]
        assert _measure(payload, "FG", "lcra", "CH02(1)")["value"] == 77.8

    def test_a_bad_year_or_organisation_is_refused(self, db):
        with pytest.raises(CommandError, match="2025-26"):
            call_command("report", "tsm", "--year", "2025")
        with pytest.raises(CommandError, match="no organisation"):
            call_command("report", "tsm", "--year", "2025-26", "--organisation", "Nowhere")


class TestPage:
    def test_the_measures_the_reading_and_the_complaints_behind_a_figure(self, client, made, manager):
        client.force_login(manager)
        page = client.get("/work/reports/tsm/", {"year": "2025-26"})
        assert page.status_code == 200
        html = page.content.decode()
        assert "A response inside an extension the Code allows" in html
        assert 'data-organisation="VHT" data-stock="lcra"' in html
        assert "75.0%" in html and "2.5 per 1,000 homes" in html
        behind = client.get(
            "/work/reports/tsm/complaints/",
            {
                "year": "2025-26",
                "organisation": "VHT",
                "stock": "lcra",
                "measure": "CH02(1)",
                "part": "denominator",
            },
        )
        listed = behind.content.decode()
        assert behind.status_code == 200 and "8 complaints" in listed
        assert f"/work/complaints/{made['B'].reference}/" in listed

    def test_another_landlord_is_not_found_and_a_role_without_reports_is_refused(
        self, client, made, manager, officer
    ):
        client.force_login(manager)
        assert client.get("/work/reports/tsm/", {"year": "2025-26", "organisation": "EH"}).status_code == 404
        client.force_login(officer)
        assert client.get("/work/reports/tsm/").status_code == 403

    def test_the_page_takes_the_same_queries_whatever_the_data(
        self, client, log, org, officer, senior, manager
    ):
        client.force_login(manager)
        with CaptureQueriesContext(connection) as small:
            client.get("/work/reports/tsm/", {"year": "2025-26"})
        make_year(log, org, officer, senior)
        with CaptureQueriesContext(connection) as big:
            client.get("/work/reports/tsm/", {"year": "2025-26"})
        assert len(big) == len(small)


def test_the_demo_gives_each_landlord_homes_of_both_stock_types_for_recent_years(db):
    from putright.cases.demo.organisations import HOMES_YEARS, LANDLORDS, ensure_organisations
    from putright.reports.periods import year_containing

    ensure_organisations()
    ensure_organisations()  # loading again changes nothing
    latest = year_containing(timezone.localdate()).start.year
    found = set(HomesCount.objects.values_list("organisation__short_name", "stock_type", "year"))
    expected = {
        (short, stock, latest - back)
        for short in LANDLORDS
        for stock in ("lcra", "lcho")
        for back in range(HOMES_YEARS)
    }
    assert found == expected
    vht = dict(
        HomesCount.objects.filter(organisation__short_name="VHT", year=latest).values_list(
            "stock_type", "homes"
        )
    )
    assert vht == {"lcra": 4500, "lcho": 500}  # Victory's 5,000 homes, one in ten LCHO
