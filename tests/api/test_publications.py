"""The API's "You said, we did" publications: list, read, publish (409, 422, idempotency), live figures."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.learning.models import Publication
from putright.learning.quarters import Quarter
from tests.learning.publish_cases import make_quarter
from tests.learning.publish_entries import approved_entry

Q1 = Quarter.parse("2026-Q1")
PUBLICATIONS = "you-said-we-did/publications"


@pytest.fixture
def entry(org, officer, senior):
    return approved_entry(
        org,
        Q1,
        drafted_by=officer,
        approved_by=senior,
        you_said="Letters were unclear.",
        we_did="We rewrote them.",
    )


def test_publishing_twice_with_one_key_publishes_once(api, org, senior, entry):
    client = api.as_(senior)
    body = {"organisation": "VHT", "quarter": "2026-Q1"}
    first = client.post(PUBLICATIONS, body, idempotency_key="publish-q1")
    again = client.post(PUBLICATIONS, body, idempotency_key="publish-q1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    published = first.json()
    assert (published["version"], published["quarter"], published["quarter_label"]) == (
        1,
        "2026-Q1",
        "April to June 2026",
    )
    assert published["entries"][0]["you_said"] == "Letters were unclear."
    assert published["public_url"] == "/you-said-we-did/VHT/2026-Q1/"
    # Without a key, the same publish again answers with the version already published.
    same = client.post(PUBLICATIONS, body)
    assert (same.status_code, same.json()["id"]) == (200, published["id"])
    assert Publication.objects.count() == 1


def test_nothing_to_publish_is_409_and_a_second_version_needs_a_note(api, org, officer, senior):
    client = api.as_(senior)
    body = {"organisation": "VHT", "quarter": "2026-Q1"}
    refused = client.post(PUBLICATIONS, body)
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith(
        "Nothing is approved for Victory Housing Trust, April to June 2026"
    )

    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="One", we_did="One")
    assert client.post(PUBLICATIONS, body).status_code == 201
    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="Two", we_did="Two")
    no_note = client.post(PUBLICATIONS, body)
    assert no_note.status_code == 422
    assert no_note.json()["errors"][0]["field"] == "correction_note"
    stale = client.post(PUBLICATIONS, body | {"correction_note": "Added two", "expected_version": 0})
    assert stale.status_code == 409
    second = client.post(PUBLICATIONS, body | {"correction_note": "Added two", "expected_version": 1})
    assert (second.status_code, second.json()["version"], second.json()["correction_note"]) == (
        201,
        2,
        "Added two",
    )

    listed = client.get(PUBLICATIONS, {"organisation": "vht", "quarter": "2026-Q1"}).json()
    assert [p["version"] for p in listed] == [2, 1]
    read = client.get(f"{PUBLICATIONS}/{listed[1]['id']}").json()
    assert [e["you_said"] for e in read["entries"]] == ["One"]


def test_bad_filters_and_other_organisations(api, org, officer, senior, other_org, entry):
    from putright.accounts.models import Role
    from tests.api.conftest import _staff

    publication = api.as_(senior).post(PUBLICATIONS, {"organisation": "VHT", "quarter": "2026-Q1"}).json()
    bad = api.as_(senior).get(PUBLICATIONS, {"quarter": "2026-Q9"})
    assert bad.status_code == 422
    outsider = _staff("outsider", Role.SENIOR_MANAGER, other_org)
    client = api.as_(outsider)
    assert client.get(PUBLICATIONS).json() == []
    assert client.get(f"{PUBLICATIONS}/{publication['id']}").status_code == 404
    assert client.get(PUBLICATIONS, {"organisation": "VHT"}).status_code == 404
    assert client.post(PUBLICATIONS, {"organisation": "VHT", "quarter": "2026-Q1"}).status_code == 404
    assert (
        api.as_(officer).post(PUBLICATIONS, {"organisation": "VHT", "quarter": "2026-Q1"}).status_code == 403
    )


def test_live_figures_with_the_complaints_behind_each(api, log, officer, senior, org):
    make_quarter(log, officer, senior)
    answer = api.as_(officer).get("you-said-we-did/figures", {"organisation": "VHT", "quarter": "2026-Q1"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["figures"]["received"] == 5
    assert body["behind"]["on_time"]["value"] == 3
    behind = body["behind"]["on_time"]["complaints_url"]
    assert behind == (
        "/work/complaints/?within=VHT&responded_from=2026-04-01&responded_to=2026-06-30&response=on_time"
    )
    assert body["themes_behind"]["communication"].endswith("&theme=communication")


def test_reads_take_the_same_queries_whatever_the_data(api, log, org, officer, senior):
    client = api.as_(senior)
    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="One", we_did="One")
    client.post(PUBLICATIONS, {"organisation": "VHT", "quarter": "2026-Q1"})

    def counted():
        with CaptureQueriesContext(connection) as listed:
            client.get(PUBLICATIONS)
        with CaptureQueriesContext(connection) as figures:
            client.get("you-said-we-did/figures", {"organisation": "VHT", "quarter": "2026-Q1"})
        return len(listed), len(figures)

    small = counted()
    make_quarter(log, officer, senior)
    for quarter in ("2025-Q1", "2025-Q2", "2025-Q3"):
        approved_entry(
            org, Quarter.parse(quarter), drafted_by=officer, approved_by=senior, you_said="A", we_did="B"
        )
        client.post(PUBLICATIONS, {"organisation": "VHT", "quarter": quarter})
    assert counted()[0] == small[0]
    assert counted()[1] == small[1] + 1  # the themes are read once there are themes to name
