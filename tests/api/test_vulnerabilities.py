"""The API's reads of a customer and a complaint (issue 15, vuln): the customer's disclosed
vulnerabilities are there for the roles that handle the complaint, and absent (no key, not an
empty list) for every other role; the timeline's vulnerability events likewise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from putright.accounts.models import Role
from putright.cases.services import triage
from putright.cases.services.vulnerabilities import record_vulnerability
from tests.conftest import make_customer
from tests.web.helpers import make_user

SEES = {Role.CUSTOMER_SERVICES, Role.RESOLUTION_OFFICER, Role.SENIOR_MANAGER, Role.SAFEGUARDING_LEAD}
DETAIL = "Hard of hearing; uses a text relay service"


@pytest.fixture
def case(log, officer, frontline, customer):
    complaint = log("2026-03-02 10:00")
    triage.accept(complaint, owner=officer, actor=frontline, reasoning="Meets the definition.")
    record_vulnerability(
        customer,
        kind="sensory_impairment",
        detail=DETAIL,
        support_needed="Text relay for calls",
        disclosed_on=timezone.localdate(),
        disclosed_via="phone",
        consent_given_at=timezone.now(),
        consent_how="Said yes",
        consent_to_share=True,
        review_on=timezone.localdate() + dt.timedelta(days=90),
        actor=frontline,
    )
    return complaint


def _staff(role, org, team):
    return make_user(f"api-{role}".replace("_", "-"), role, org, team)


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.PANEL_MEMBER])
def test_the_complaint_read_has_them_only_for_the_roles_that_may_see_them(api, case, org, team, role):
    reply = api.as_(_staff(role, org, team)).get(f"complaints/{case.reference}")
    assert reply.status_code == 200, reply.json()
    body = reply.json()
    record = body["customer_record"]
    kinds = [e["kind"] for e in body["timeline"]]
    if role in SEES:
        (held,) = record["vulnerabilities"]
        assert held["kind"] == "sensory_impairment" and held["detail"] == DETAIL
        assert held["consent_scope"] == "recorded and shared with the staff who handle my complaints"
        assert 460 in kinds
    else:
        assert "vulnerabilities" not in record
        assert DETAIL not in reply.content.decode() and "ulnerabilit" not in reply.content.decode()
        assert 460 not in kinds


@pytest.mark.parametrize(
    "role", [Role.CUSTOMER_SERVICES, Role.RESOLUTION_OFFICER, Role.SENIOR_MANAGER, Role.ADMINISTRATOR]
)
def test_the_customer_read_and_search_have_them_only_for_the_roles_that_may_see_them(
    api, case, customer, org, team, role
):
    client = api.as_(_staff(role, org, team))
    one = client.get(f"customers/{customer.pk}").json()
    (found,) = client.get("customers", {"q": "Lovelace"}).json()
    for answer in (one, found):
        if role in SEES:
            assert [v["detail"] for v in answer["vulnerabilities"]] == [DETAIL]
        else:  # an administrator manages customers, not their vulnerabilities
            assert "vulnerabilities" not in answer


def test_the_openapi_document_says_when_the_field_is_there(api, client):
    document = client.get("/api/v1/openapi.json").json()
    field = document["components"]["schemas"]["CustomerRef"]["properties"]["vulnerabilities"]
    assert "present only for roles that may see them" in field["description"]


def test_the_customer_search_reads_them_in_one_query_however_many_customers(api, case, org, officer):
    client = api.as_(officer)
    client.get("customers", {"q": "Lovelace"})  # the token's first use is noted once
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("customers", {"q": "Lovelace"}).json()) == 1
    for _ in range(3):
        someone = make_customer(org)
        record_vulnerability(
            someone,
            kind="age",
            detail="Is 90",
            disclosed_on=timezone.localdate(),
            disclosed_via="letter",
            consent_given_at=timezone.now(),
            consent_how="Signed the form",
            consent_to_share=True,
            review_on=timezone.localdate() + dt.timedelta(days=90),
            actor=officer,
        )
    with CaptureQueriesContext(connection) as four:
        found = client.get("customers", {"q": "Lovelace"}).json()
    assert len(found) == 4 and all(len(c["vulnerabilities"]) == 1 for c in found)
    assert len(four) == len(one), "\n".join(q["sql"][:150] for q in four.captured_queries)
