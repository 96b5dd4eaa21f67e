"""issue 13, dash: GET /api/v1/reports/dashboard: the dashboard's tables, each figure with its list."""

from __future__ import annotations

import pytest

from tests.cases.helpers import at
from tests.reports.dashboard_cases import make_dashboard_set

DASHBOARD = "reports/dashboard"
NOW = "Wed 2026-07-15 12:00"


@pytest.fixture
def made(log, officer, senior, org):
    return make_dashboard_set(log, officer, senior, org)


def _figures(body: dict, table: str) -> dict:
    found = next(t for t in body["tables"] if t["name"] == table)
    return {row["key"]: row["figures"] for row in found["rows"]}


def test_the_dashboard_as_json_with_the_complaints_behind_each_figure(api, made, senior):
    with at(NOW):
        reply = api.as_(senior).get(DASHBOARD, {"period": "2026-Q1", "organisation": "VHT"})
    assert reply.status_code == 200
    body = reply.json()
    assert body["period"] == {
        "key": "2026-Q1",
        "label": "April to June 2026",
        "first_day": "2026-04-01",
        "last_day": "2026-06-30",
    }
    assert body["organisation"] == "VHT"
    received = _figures(body, "summary")["received"][0]
    assert received["value"] == 8
    assert received["complaints_url"].startswith("/work/complaints/?received_from=2026-04-01")
    assert "within=VHT" in received["complaints_url"]
    timeliness = _figures(body, "timeliness")["stage1.response"]
    assert [f["value"] for f in timeliness] == [4, 3, 75, 3, 75, 15]
    assert _figures(body, "remedies")["total"][2]["value"] == 75.0


@pytest.mark.parametrize(
    ("params", "status"),
    [({"period": "2026-Q5"}, 422), ({"period": "2026-Q1", "organisation": "SH"}, 404), ({}, 422)],
)
def test_bad_questions_are_refused(api, made, senior, params, status):
    from putright.accounts.models import Organisation, OrganisationKind

    Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD, homes=1
    )
    assert api.as_(senior).get(DASHBOARD, params).status_code == status


def test_only_roles_that_read_reports(api, made, officer, manager):
    assert api.as_(officer).get(DASHBOARD, {"period": "2026-Q1"}).status_code == 403
    assert api.as_(manager).get(DASHBOARD, {"period": "2026-Q1"}).status_code == 200
