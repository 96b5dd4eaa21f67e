"""The public "You said, we did" pages: what was published, cacheable, with a clear 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.http import http_date

from putright.accounts.models import Organisation, OrganisationKind
from putright.learning.quarters import Quarter
from putright.learning.services.publishing import publish_quarter
from tests.learning.publish_cases import make_quarter
from tests.learning.publish_entries import approved_entry
from tests.web.helpers import text

Q1 = Quarter.parse("2026-Q1")


@pytest.fixture
def published(log, org, officer, senior):
    """April to June 2026 published twice (a correction), January to March 2026 once."""
    make_quarter(log, officer, senior)
    approved_entry(
        org,
        Q1.previous(),
        drafted_by=officer,
        approved_by=senior,
        you_said="It took too long to get through on the phone.",
        we_did="We added a call-back service at busy times.",
        theme="communication",
    )
    publish_quarter(org, Q1.previous(), senior)
    approved_entry(
        org,
        Q1,
        drafted_by=officer,
        approved_by=senior,
        you_said="Mould came back after it was treated.",
        we_did="We now check every treated home again after six weeks.",
    )
    publish_quarter(org, Q1, senior)
    approved_entry(
        org,
        Q1,
        drafted_by=officer,
        approved_by=senior,
        you_said="Repairs were late.",
        we_did="We hired two more.",
    )
    return publish_quarter(org, Q1, senior, "An entry approved late was missing.")


def test_the_latest_quarter_comes_first_with_its_figures_and_entries(client, published):
    page = client.get("/you-said-we-did/VHT/")
    assert page.status_code == 200
    words = text(page, main_only=True)
    assert "You said, we did: April to June 2026" in words
    assert "Complaints received 5" in words
    assert "Reviews asked for (stage 2) 1" in words
    assert "Responses that upheld or partly upheld the complaint 3 of 5 responses" in words
    assert "Responses given on time 60% (3 of 5)" in words
    assert (
        "Communication and information 3 Repairs: damp and mould 3 Rent, service charges and payments 1"
        in words
    )
    assert words.index("Mould came back") < words.index("Repairs were late.")
    assert "You said Mould came back after it was treated. We did We now check every treated home" in words
    assert f"Last updated {published.published_at:%-d %B %Y}" in words
    assert "Corrected: An entry approved late was missing." in words
    assert "Earlier quarters January to March 2026" in words


def test_no_personal_data_and_no_links_into_the_workspace(client, published, customer, officer, senior):
    html = client.get("/you-said-we-did/VHT/").content.decode()
    for personal in (
        customer.first_name,
        customer.last_name,
        "NR28",
        officer.username,
        senior.username,
        "PR-",
    ):
        assert personal not in html
    assert "/work/" not in html and "/api/" not in html


def test_an_earlier_quarter_has_its_own_address(client, published):
    page = client.get("/you-said-we-did/VHT/2025-Q4/")
    assert page.status_code == 200
    words = text(page, main_only=True)
    assert "You said, we did: January to March 2026" in words
    assert "It took too long to get through on the phone." in words
    assert "Corrected" not in words
    assert "Other quarters April to June 2026" in words


def test_choosing_an_organisation_when_several_have_published(client, published, officer, senior):
    assert client.get("/you-said-we-did/")["Location"] == "/you-said-we-did/VHT/"  # only one: straight there
    other = Organisation.objects.create(
        name="Suffolk Housing", short_name="SH", kind=OrganisationKind.LANDLORD
    )
    senior.organisations.add(other)
    approved_entry(other, Q1, drafted_by=officer, approved_by=senior, you_said="Said", we_did="Did")
    publish_quarter(other, Q1, senior)
    page = client.get("/you-said-we-did/")
    assert page.status_code == 200
    assert "Choose an organisation Suffolk Housing Victory Housing Trust" in text(page, main_only=True)


def test_unknown_organisation_or_quarter_is_a_clear_404(client, published, org):
    for address, says in (
        ("/you-said-we-did/NOPE/", "We have not published “You said, we did” for that organisation."),
        ("/you-said-we-did/FG/", "for that organisation"),  # the group has published nothing itself
        ("/you-said-we-did/VHT/2024-Q1/", "We have not published that quarter."),
        ("/you-said-we-did/VHT/not-a-quarter/", "a quarter is written like 2026-Q1"),
    ):
        page = client.get(address)
        assert page.status_code == 404, address
        assert "Page not found" in text(page, main_only=True)
        assert says.replace("“", '"').replace("”", '"') in text(page, main_only=True).replace(
            "“", '"'
        ).replace("”", '"')


def test_cacheable_with_a_conditional_get(client, published):
    page = client.get("/you-said-we-did/VHT/")
    assert page["Cache-Control"] == "public, max-age=300"
    assert page["Last-Modified"] == http_date(published.published_at.timestamp())
    again = client.get("/you-said-we-did/VHT/", headers={"If-Modified-Since": page["Last-Modified"]})
    assert again.status_code == 304
    assert again.content == b""
    older = http_date((published.published_at - dt.timedelta(minutes=1)).timestamp())
    assert client.get("/you-said-we-did/VHT/", headers={"If-Modified-Since": older}).status_code == 200


def test_the_page_takes_the_same_queries_whatever_the_data(client, log, org, officer, senior):
    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="Said", we_did="Did")
    publish_quarter(org, Q1, senior)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/you-said-we-did/VHT/").status_code == 200
        return len(queries)

    small = count()
    make_quarter(log, officer, senior)
    for quarter in ("2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"):
        for n in range(3):
            approved_entry(
                org,
                Quarter.parse(quarter),
                drafted_by=officer,
                approved_by=senior,
                you_said=f"S{n}",
                we_did="D",
            )
        publish_quarter(org, Quarter.parse(quarter), senior)
    approved_entry(org, Q1, drafted_by=officer, approved_by=senior, you_said="Another", we_did="Did")
    publish_quarter(org, Q1, senior, "One more")
    assert count() == small
