"""``GET /api/v1/reports/export/{table}.csv``: the flat export for a BI tool with an API token
(issue 13, export), on the complaints of tests/reports/export_cases.py."""

from __future__ import annotations

import csv
import io

import pytest

from putright.accounts.models import Role
from tests.cases.conftest import journey  # noqa: F401 (fixture)
from tests.cases.helpers import at
from tests.reports.export_cases import EXPORTED, make_cases
from tests.web.helpers import make_user

ADDRESS = "reports/export/{}.csv"


@pytest.fixture
def made(journey, log, officer, org):  # noqa: F811 (the fixture imported above)
    return make_cases(journey, log, officer, org)


def _rows(reply) -> list[dict[str, str]]:
    assert reply.status_code == 200, reply.content
    body = b"".join(reply.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_a_table_as_csv_for_the_callers_organisations(api, senior, made):
    with at(EXPORTED):
        reply = api.as_(senior).get(ADDRESS.format("outcomes"), {"period": "2026-27", "organisation": "VHT"})
    assert reply["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in reply["Cache-Control"]
    found = _rows(reply)
    assert {r["complaint_reference"] for r in found} == {made["B"].reference, made["D"].reference}
    assert [r["outcome"] for r in found if r["complaint_reference"] == made["B"].reference] == [
        "upheld",
        "not_upheld",
    ]


def test_another_landlords_complaints_never_appear_and_its_name_is_refused(api, senior, made):
    with at(EXPORTED):
        found = _rows(api.as_(senior).get(ADDRESS.format("complaints")))
    assert made["Z"].reference not in {r["complaint_reference"] for r in found}
    reply = api.as_(senior).get(ADDRESS.format("complaints"), {"organisation": "SH"})
    assert reply.status_code == 422
    assert reply.json()["errors"] == [
        {"field": "organisation", "message": "no organisation 'SH' that you work for"}
    ]


def test_a_bad_period_is_refused_with_the_reason(api, senior, made):
    reply = api.as_(senior).get(ADDRESS.format("stages"), {"period": "2026-Q5"})
    assert reply.status_code == 422
    assert reply["Content-Type"] == "application/problem+json"
    [error] = reply.json()["errors"]
    assert error["field"] == "period" and "is not a period" in error["message"]


def test_an_unknown_table_is_not_found(api, senior, made):
    reply = api.as_(senior).get(ADDRESS.format("customers"))
    assert reply.status_code == 404
    assert "choose from complaints, stages, deadlines, outcomes, remedies, actions" in reply.json()["detail"]


def test_a_role_without_reports_is_forbidden(api, officer, made):
    reply = api.as_(officer).get(ADDRESS.format("stages"))
    assert reply.status_code == 403


def test_an_administrator_sees_every_landlord(api, made):
    admin = make_user("root", Role.ADMINISTRATOR)
    with at(EXPORTED):
        found = _rows(api.as_(admin).get(ADDRESS.format("complaints"), {"organisation": "SH"}))
    assert [r["complaint_reference"] for r in found] == [made["Z"].reference]
