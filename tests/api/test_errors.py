"""Errors: every one is RFC 9457 problem details, says what to fix, and changes nothing.

Each check reads the body with ``is_problem``: status, Content-Type
application/problem+json, and type, title, status, detail and instance.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.utils.crypto import get_random_string

from putright.cases.models import Complaint, TimelineEvent
from tests.api.helpers import Journey, is_problem, log_complaint, read
from tests.cases.helpers import at, snapshot

pytestmark = pytest.mark.django_db

NOW = "Wed 2026-03-04 12:00"


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


@pytest.fixture
def accepted(journey):
    """A complaint at stage 1, accepted by Olivia on Mon 2 March 2026."""
    return journey.until("accepted")


@pytest.fixture
def elsewhere(other_org, other_org_customer):
    """A complaint of Suffolk Housing, which none of the fixture staff work for."""
    from putright.cases.services.intake import log_complaint as log_service
    from tests.conftest import london

    with at("Mon 2026-03-02 10:00"):
        return log_service(
            organisation=other_org,
            customer=other_org_customer,
            channel="email",
            received_at=london("2026-03-02 09:00"),
            summary="Damp in the bedroom",
            description="Black mould on the walls",
            category="service_failure",
        )


def unchanged(reference: str):
    """Everything a refused request could have changed about a complaint (tests.cases.helpers.snapshot)."""
    return snapshot(Complaint.objects.get(reference=reference))


# --- 401: who is calling? ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"), [("get", "complaints"), ("post", "complaints"), ("get", "policy")]
)
def test_no_credentials_is_401_with_www_authenticate_bearer(api, method, path):
    reply = getattr(api.anonymous(), method)(path)
    body = is_problem(reply, 401, "unauthenticated")
    assert reply["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in body["detail"]


def test_a_revoked_token_is_401_from_then_on(api, officer):
    from putright.accounts.tokens import create_token, revoke_token

    token, key = create_token(user=officer, name="Housing management system", created_by=None)
    assert api.with_key(key).get("complaints").status_code == 200

    revoke_token(token)

    reply = api.with_key(key).get("complaints")
    is_problem(reply, 401, "unauthenticated")
    assert reply["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("key", ["pr_" + "x" * 43, "not-a-putright-key", "pr_"])
def test_a_made_up_token_is_401(api, officer, key):
    reply = api.with_key(key).get("complaints")
    is_problem(reply, 401, "unauthenticated")
    assert reply["WWW-Authenticate"] == "Bearer"


def test_a_token_of_a_disabled_user_is_401(api, officer):
    client = api.as_(officer)
    officer.is_active = False
    officer.save()
    is_problem(client.get("complaints"), 401, "unauthenticated")


def test_a_write_without_valid_credentials_is_401_even_where_csrf_is_enforced(api, customer, officer):
    """A service whose token is missing or revoked is told to fix its token, not refused a CSRF check.

    The test client skips CSRF checks unless asked; a real client never does.
    """
    from putright.accounts.tokens import create_token, revoke_token

    token, key = create_token(user=officer, name="CRM", created_by=None)
    revoke_token(token)
    strict = Client(enforce_csrf_checks=True)
    body = json.dumps({"organisation": "VHT", "customer_id": customer.pk})
    for headers in ({}, {"Authorization": f"Bearer {key}"}, {"Authorization": "Bearer pr_made_up"}):
        reply = strict.post("/api/v1/complaints", body, content_type="application/json", headers=headers)
        is_problem(reply, 401, "unauthenticated")
        assert reply["WWW-Authenticate"] == "Bearer"
    assert Complaint.objects.count() == 0


# --- Session authentication ----------------------------------------------------------------------


def test_a_signed_in_member_of_staff_can_read_with_their_session(accepted, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    reply = client.get("/api/v1/complaints")
    assert reply.status_code == 200
    assert [c["reference"] for c in reply.json()["results"]] == [accepted["reference"]]
    with at(NOW):
        assert client.get(f"/api/v1/complaints/{accepted['reference']}").status_code == 200


def test_a_session_write_without_the_csrf_token_is_refused_and_changes_nothing(accepted, officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    before = unchanged(accepted["reference"])
    payload = json.dumps({"version": accepted["version"], "method": "phone", "summary": "Called"})

    with at(NOW):
        reply = client.post(
            f"/api/v1/complaints/{accepted['reference']}/contacts", payload, content_type="application/json"
        )

    body = is_problem(reply, 403, "csrf-failed")
    assert "CSRF" in body["detail"]
    assert unchanged(accepted["reference"]) == before

    # With the CSRF cookie and its token in the X-CSRFToken header, the same write is taken.
    secret = get_random_string(32)
    client.cookies["csrftoken"] = secret
    with at(NOW):
        reply = client.post(
            f"/api/v1/complaints/{accepted['reference']}/contacts",
            payload,
            content_type="application/json",
            headers={"X-CSRFToken": secret},
        )
    assert reply.status_code == 200, reply.json()
    assert reply.json()["version"] == accepted["version"] + 1


# --- 404: not found, and not telling whether it exists elsewhere -----------------------------------


def test_an_unknown_reference_and_another_organisations_complaint_look_the_same(api, officer, elsewhere):
    olivia = api.as_(officer)
    unknown = "PR-ZZZZZZ"
    assert not Complaint.objects.filter(reference=unknown).exists()

    with at(NOW):
        missing = is_problem(olivia.get(f"complaints/{unknown}"), 404, "not-found")
        hidden = is_problem(olivia.get(f"complaints/{elsewhere.reference}"), 404, "not-found")

    assert set(missing) == set(hidden) == {"type", "title", "status", "detail", "instance"}
    assert (missing["type"], missing["title"], missing["status"]) == (
        hidden["type"],
        hidden["title"],
        hidden["status"],
    )
    # The same words, but for the reference asked about: nothing says that one exists.
    assert missing["detail"] == f"No complaint with reference {unknown!r}."
    assert hidden["detail"] == f"No complaint with reference {elsewhere.reference!r}."
    assert hidden["detail"].replace(elsewhere.reference, unknown) == missing["detail"]


@pytest.mark.parametrize(
    ("method", "suffix", "payload"),
    [
        ("get", "", None),
        ("get", "/attachments", None),
        ("post", "/accept", {"version": 1, "owner": "olivia", "reasoning": "A complaint."}),
        ("post", "/contacts", {"version": 1, "method": "phone", "summary": "Hello"}),
        ("post", "/withdraw", {"version": 1}),
    ],
)
def test_every_endpoint_of_another_organisations_complaint_is_404_and_changes_nothing(
    api, officer, elsewhere, method, suffix, payload
):
    olivia = api.as_(officer)
    before = unchanged(elsewhere.reference)
    with at(NOW):
        hidden = getattr(olivia, method)(f"complaints/{elsewhere.reference}{suffix}", payload)
        unknown = getattr(olivia, method)(f"complaints/PR-ZZZZZZ{suffix}", payload)
    assert is_problem(hidden, 404, "not-found").keys() == is_problem(unknown, 404, "not-found").keys()
    assert unchanged(elsewhere.reference) == before


def test_a_reference_that_cannot_be_one_is_404(api, officer):
    with at(NOW):
        is_problem(api.as_(officer).get("complaints/not-a-reference"), 404, "not-found")


def test_an_administrator_sees_every_organisations_complaint(api, administrator, elsewhere):
    with at(NOW):
        assert api.as_(administrator).get(f"complaints/{elsewhere.reference}").status_code == 200


# --- 409: the procedure, and someone else's change -----------------------------------------------


def test_a_step_the_procedure_does_not_allow_is_409_with_the_state_machines_reason(api, officer, accepted):
    before = unchanged(accepted["reference"])
    with at(NOW):
        reply = api.as_(officer).post(
            f"complaints/{accepted['reference']}/accept",
            {"version": accepted["version"], "owner": "olivia", "reasoning": "A complaint."},
        )
    body = is_problem(reply, 409, "step-not-allowed")
    assert body["step"] == "accept"
    assert body["reason"] == "Accept is not possible while the complaint is “Stage 1: investigating”."
    assert body["detail"] == body["reason"]
    assert unchanged(accepted["reference"]) == before


def test_a_guard_refusal_is_409_naming_the_step(api, officer, customer, frontline):
    # Received Mon 2 March 2026; the matter was on Wed 2 September 2025, and six months
    # after it is Mon 2 March 2026: just in time, so "out of time" is refused.
    case = log_complaint(api.as_(frontline), customer, "Mon 2026-03-02 10:00", matter_date="2025-09-02")
    before = unchanged(case["reference"])
    with at("Mon 2026-03-02 11:00"):
        reply = api.as_(frontline).post(
            f"complaints/{case['reference']}/not-accept",
            {"version": case["version"], "reason": "out_of_time", "explanation": "Too late"},
        )
    body = is_problem(reply, 409, "step-not-allowed")
    assert body["step"] == "not_accept"
    assert body["reason"] == (
        "The complaint is within the 6-month limit: the matter was on 2 September 2025 "
        "and the limit runs to 2 March 2026."
    )
    assert unchanged(case["reference"]) == before


def test_an_old_version_is_409_with_the_current_version_and_nothing_changes(api, officer, accepted):
    olivia = api.as_(officer)
    current = accepted["version"]
    before = unchanged(accepted["reference"])

    with at(NOW):
        reply = olivia.post(
            f"complaints/{accepted['reference']}/contacts",
            {"version": current - 1, "method": "phone", "summary": "Called"},
        )

    body = is_problem(reply, 409, "stale-version")
    assert body["current_version"] == current
    assert f"you saw version {current - 1}, it is now version {current}" in body["detail"]
    after = read(olivia, accepted["reference"], NOW)
    assert after["version"] == current
    assert len(after["timeline"]) == len(accepted["timeline"])
    assert unchanged(accepted["reference"]) == before


# --- 422: what was sent cannot be used -----------------------------------------------------------


def test_a_complaint_with_bad_fields_is_422_naming_each_one(api, frontline, customer):
    payload = {
        "organisation": "VHT",
        "customer_id": customer.pk,
        "channel": "carrier_pigeon",
        "received_at": "2026-03-02T10:00:00+00:00",
        "matter_date": "2026-13-45",
        "category": "service_failure",
        "description": "The roof leaks",
    }
    with at(NOW):
        reply = api.as_(frontline).post("complaints", payload)
    body = is_problem(reply, 422, "invalid")
    assert [e["field"] for e in body["errors"]] == ["channel", "matter_date", "summary"]
    assert all(e["message"] for e in body["errors"])
    assert body["detail"] == "Check these fields: channel, matter_date, summary."
    assert Complaint.objects.count() == 0


def test_a_malformed_date_time_is_422_naming_it(api, frontline, customer):
    payload = {
        "organisation": "VHT",
        "customer_id": customer.pk,
        "channel": "phone",
        "received_at": "2026-13-45T10:00",
        "category": "service_failure",
        "summary": "Roof",
        "description": "The roof leaks",
    }
    with at(NOW):
        reply = api.as_(frontline).post("complaints", payload)
    assert [e["field"] for e in is_problem(reply, 422, "invalid")["errors"]] == ["received_at"]
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "weather"}, "category"),
        ({"organisation": "SH"}, "organisation"),
        ({"received_at": "2026-03-05T10:00:00+00:00"}, "received_at"),  # the future
        ({"summary": "   "}, "summary"),
    ],
)
def test_what_the_service_cannot_use_is_422_naming_the_field(
    api, frontline, customer, other_org, change, field
):
    payload = {
        "organisation": "VHT",
        "customer_id": customer.pk,
        "channel": "phone",
        "received_at": "2026-03-02T10:00:00+00:00",
        "category": "service_failure",
        "summary": "Roof",
        "description": "The roof leaks",
        **change,
    }
    with at(NOW):
        reply = api.as_(frontline).post("complaints", payload)
    assert [e["field"] for e in is_problem(reply, 422, "invalid")["errors"]] == [field]
    assert Complaint.objects.count() == 0


def test_a_customer_of_another_organisation_is_422_and_not_logged(api, frontline, other_org_customer):
    payload = {
        "organisation": "VHT",
        "customer_id": other_org_customer.pk,
        "channel": "phone",
        "category": "service_failure",
        "summary": "Roof",
        "description": "The roof leaks",
    }
    with at(NOW):
        reply = api.as_(frontline).post("complaints", payload)
    assert [e["field"] for e in is_problem(reply, 422, "invalid")["errors"]] == ["customer_id"]
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"page": -1}, ["page"]),
        ({"page": 0}, ["page"]),
        ({"page_size": 0}, ["page_size"]),
        ({"state": "lost"}, ["state"]),
        ({"due_before": "2026-13-45"}, ["due_before"]),
        ({"page": -1, "overdue": "perhaps"}, ["overdue", "page"]),
    ],
)
def test_bad_list_parameters_are_422_naming_each_one(api, officer, params, fields):
    with at(NOW):
        reply = api.as_(officer).get("complaints", params)
    assert sorted(e["field"] for e in is_problem(reply, 422, "invalid")["errors"]) == fields


def test_a_body_that_is_not_json_is_422(api, officer, accepted):
    olivia = api.as_(officer)
    with at(NOW):
        reply = olivia.client.post(
            f"/api/v1/complaints/{accepted['reference']}/contacts",
            "{not json",
            content_type="application/json",
            headers={"Authorization": f"Bearer {olivia.key}"},
        )
    is_problem(reply, 422, "invalid")
    assert unchanged(accepted["reference"])["version"] == accepted["version"]


def test_a_step_with_a_bad_value_is_422_and_changes_nothing(api, officer, accepted):
    before = unchanged(accepted["reference"])
    with at(NOW):
        reply = api.as_(officer).post(
            f"complaints/{accepted['reference']}/contacts",
            {"version": accepted["version"], "method": "carrier_pigeon", "summary": "Called"},
        )
    assert [e["field"] for e in is_problem(reply, 422, "invalid")["errors"]] == ["method"]
    assert unchanged(accepted["reference"]) == before


# --- 403: the role does not allow it -------------------------------------------------------------


def test_a_manager_cannot_accept_a_complaint(api, manager, customer, frontline):
    case = log_complaint(api.as_(frontline), customer, "Mon 2026-03-02 10:00")
    before = unchanged(case["reference"])
    with at("Mon 2026-03-02 11:00"):
        reply = api.as_(manager).post(
            f"complaints/{case['reference']}/accept",
            {"version": case["version"], "owner": "mandy", "reasoning": "A complaint."},
        )
    body = is_problem(reply, 403, "forbidden")
    assert body["detail"] == "Your role (Manager or board member (reports)) cannot take the step “Accept”."
    assert unchanged(case["reference"]) == before
    # The manager may still read it, and is offered no step.
    assert read(api.as_(manager), case["reference"], "Mon 2026-03-02 11:00")["allowed_steps"] == []


def test_a_manager_cannot_log_a_complaint(api, manager, customer):
    payload = {
        "organisation": "VHT",
        "customer_id": customer.pk,
        "channel": "phone",
        "category": "service_failure",
        "summary": "Roof",
        "description": "The roof leaks",
    }
    with at(NOW):
        reply = api.as_(manager).post("complaints", payload)
    assert "log_complaint" in is_problem(reply, 403, "forbidden")["detail"]
    assert Complaint.objects.count() == 0
    assert TimelineEvent.objects.count() == 0


def test_a_resolution_officer_cannot_respond_at_stage_2(api, journey, officer):
    case = journey.until("escalated")
    before = unchanged(case["reference"])
    outcomes = [{"point_id": p["id"], "outcome": "upheld"} for p in case["points"]]
    with at("Mon 2026-03-16 09:00"):
        reply = api.as_(officer).post(
            f"complaints/{case['reference']}/responses",
            {"version": case["version"], "method": "letter", "summary": "Review", "outcomes": outcomes},
        )
    assert "at stage 2" in is_problem(reply, 403, "forbidden")["detail"]
    assert unchanged(case["reference"]) == before


def test_a_customer_that_is_not_there_is_named_as_a_customer(api, officer):
    reply = api.as_(officer).get("/api/v1/customers/999999")
    body = is_problem(reply, 404, "not-found")
    assert body["detail"] == "No customer 999999."


def test_an_unknown_address_or_method_under_the_api_is_a_problem_too(api, officer):
    missing = api.as_(officer).get("/api/v1/no-such-thing")
    is_problem(missing, 404, "not-found")
    caller = api.as_(officer)
    wrong = caller.client.delete("/api/v1/complaints", headers=caller._headers(None, None))
    body = is_problem(wrong, 405, "method-not-allowed")
    assert "DELETE is not taken here" in body["detail"]
