"""Remedies over the API: offered, accepted or declined, paid; the suggestion from a rate; the rates
in the policy JSON; problem details, Idempotency-Key and a fixed number of queries."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.helpers import Journey, is_problem, log_complaint, read, step
from tests.cases.helpers import at

pytestmark = pytest.mark.django_db

NEXT_DAY = "Fri 2026-03-13 10:00"


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


@pytest.fixture
def responded(journey):
    return journey.until("responded")


def offer(client, case, when=NEXT_DAY, *, expect=200, **fields):
    body = {
        "type": "financial",
        "description": "For the days without heating",
        "amount": "60.00",
        "purpose": "loss_of_amenity",
        "rate": "no_heating_or_hot_water",
        "units": 12,
        **fields,
    }
    return step(client, case, "remedies", when, expect=expect, **body)


def test_money_is_offered_accepted_and_paid(api, responded, officer):
    olivia = api.as_(officer)
    point = responded["points"][0]
    case = offer(olivia, responded, point_id=point["id"])
    (remedy,) = case["remedies"]
    assert remedy == {
        "id": remedy["id"],
        "stage": 1,
        "type": "financial",
        "type_label": "A financial remedy",
        "description": "For the days without heating",
        "point": {"id": point["id"], "number": 1},
        "amount": "60.00",
        "purpose": "loss_of_amenity",
        "rate": "no_heating_or_hot_water",
        "units": 12,
        "status": "offered",
        "offered_on": "2026-03-13",
        "accepted_on": None,
        "declined_on": None,
        "paid_on": None,
        "payment_reference": "",
    }
    assert case["timeline"][-1]["kind_label"] == "Remedy offered"
    assert case["timeline"][-1]["data"]["amount"] == "60.00"

    case = step(
        olivia, case, f"remedies/{remedy['id']}/accept", "Mon 2026-03-16 09:00", accepted_on="2026-03-14"
    )
    case = step(
        olivia, case, f"remedies/{remedy['id']}/pay", "Mon 2026-03-16 09:05", payment_reference="BACS 1"
    )
    (remedy,) = case["remedies"]
    assert (remedy["status"], remedy["accepted_on"], remedy["paid_on"], remedy["payment_reference"]) == (
        "paid",
        "2026-03-14",
        "2026-03-16",
        "BACS 1",
    )
    assert [e["kind_label"] for e in case["timeline"][-2:]] == ["Remedy accepted", "Remedy paid"]
    assert read(olivia, case["reference"], "Mon 2026-03-16 10:00")["remedies"] == [remedy]


def test_an_apology_is_declined(api, responded, officer):
    olivia = api.as_(officer)
    case = offer(
        olivia, responded, type="apology", description="Sorry", amount=None, purpose=None, rate="", units=None
    )
    remedy_id = case["remedies"][0]["id"]
    case = step(olivia, case, f"remedies/{remedy_id}/decline", NEXT_DAY)
    assert (case["remedies"][0]["status"], case["remedies"][0]["declined_on"]) == ("declined", "2026-03-13")


def test_moves_the_remedy_cannot_make_are_409_with_the_reason(api, responded, officer):
    olivia = api.as_(officer)
    case = offer(olivia, responded)
    remedy_id = case["remedies"][0]["id"]
    with at(NEXT_DAY):
        reply = olivia.post(
            f"complaints/{case['reference']}/remedies/{remedy_id}/pay",
            {"version": case["version"], "payment_reference": "X"},
        )
    body = is_problem(reply, 409, "step-not-allowed")
    assert body["reason"] == "The customer must accept the offer before it is paid."
    assert body["step"] == "update_remedy"
    with at(NEXT_DAY):
        reply = olivia.post(
            f"complaints/{case['reference']}/remedies/{remedy_id}/accept",
            {"version": case["version"], "accepted_on": "2026-03-20"},
        )
    assert is_problem(reply, 409, "step-not-allowed")["reason"] == "The date cannot be in the future."
    assert read(olivia, case["reference"], NEXT_DAY)["remedies"][0]["status"] == "offered"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        (
            {"purpose": "fun"},
            "purpose",
            "must be time_and_trouble, distress_and_inconvenience, loss_of_amenity or costs",
        ),
        (
            {"rate": "no_wifi"},
            "rate",
            "'no_wifi' is not one of the compensation rates of this complaint's policy",
        ),
        ({"offered_on": "2026-03-14"}, "offered_on", "cannot be in the future"),
        ({"point_id": 999999}, "point", "that point is not part of this complaint"),
        (
            {"amount": "1.234"},
            "amount",
            "give the amount in pounds and pence, with no more than 2 decimal places",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field_and_keeps_nothing(api, responded, officer, fields, field, message):
    olivia = api.as_(officer)
    with at(NEXT_DAY):
        reply = olivia.post(
            f"complaints/{responded['reference']}/remedies",
            {
                "version": responded["version"],
                "type": "financial",
                "amount": "60",
                "purpose": "costs",
                **fields,
            },
        )
    body = is_problem(reply, 422, "invalid")
    assert body["errors"] == [{"field": field, "message": message}]
    assert read(olivia, responded["reference"], NEXT_DAY)["remedies"] == []


def test_a_remedy_of_another_complaint_is_404(api, responded, officer, customer):
    olivia = api.as_(officer)
    case = offer(olivia, responded)
    remedy_id = case["remedies"][0]["id"]
    other = log_complaint(api.as_(officer), customer, "Fri 2026-03-13 09:00")
    with at(NEXT_DAY):
        reply = olivia.post(
            f"complaints/{other['reference']}/remedies/{remedy_id}/accept", {"version": other["version"]}
        )
    assert is_problem(reply, 404, "not-found")["detail"] == f"No remedy {remedy_id} on this complaint."


def test_a_stale_version_is_409_and_a_replay_with_its_key_happens_once(api, responded, officer):
    olivia = api.as_(officer)
    body = {"version": responded["version"], "type": "apology", "description": "Sorry"}
    path = f"complaints/{responded['reference']}/remedies"
    with at(NEXT_DAY):
        first = olivia.post(path, body, idempotency_key="remedy-1")
        again = olivia.post(path, body, idempotency_key="remedy-1")
        stale = olivia.post(path, {**body, "description": "Sorry again"})
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert len(first.json()["remedies"]) == 1
    assert is_problem(stale, 409, "stale-version")["current_version"] == first.json()["version"]
    # The same offer without a key and with the old version: already there, nothing new.
    with at(NEXT_DAY):
        same = olivia.post(path, body)
    assert same.status_code == 200 and len(same.json()["remedies"]) == 1
    assert same.json()["version"] == first.json()["version"]


def test_the_suggestion_shows_its_working_and_saves_nothing(api, responded, officer):
    olivia = api.as_(officer)
    path = f"complaints/{responded['reference']}/remedies/suggestion"
    with at(NEXT_DAY):
        reply = olivia.get(path, {"rate": "complaint_handling_delay", "units": 14})
        refused = olivia.get(path, {"rate": "missed_appointment", "units": 0})
        unknown = olivia.get(path, {"rate": "no_wifi", "units": 1})
    assert reply.status_code == 200, reply.json()
    assert reply.json() == {
        "rate": "complaint_handling_delay",
        "units": 14,
        "amount": "100.00",
        "purpose": "time_and_trouble",
        "working": "Each week our response was late: £10.00 a week × 14 weeks = £140.00, "
        "capped at £100.00 by the policy",
    }
    assert is_problem(refused, 422, "invalid")["errors"] == [
        {"field": "units", "message": "give the number of occasions, at least 1"}
    ]
    assert is_problem(unknown, 422, "invalid")["errors"][0]["field"] == "rate"
    assert read(olivia, responded["reference"], NEXT_DAY)["version"] == responded["version"]


def test_front_line_staff_may_not_offer_remedies(api, responded, frontline):
    fran = api.as_(frontline)
    with at(NEXT_DAY):
        reply = fran.post(
            f"complaints/{responded['reference']}/remedies",
            {"version": responded["version"], "type": "apology", "description": "Sorry"},
        )
        suggestion = fran.get(
            f"complaints/{responded['reference']}/remedies/suggestion",
            {"rate": "missed_appointment", "units": 1},
        )
    is_problem(reply, 403, "forbidden")
    is_problem(suggestion, 403, "forbidden")


def test_another_landlords_complaint_is_404(api, other_org_customer, officer, frontline):
    from putright.accounts.models import Role
    from tests.web.helpers import make_user

    theirs = make_user("otto", Role.RESOLUTION_OFFICER, other_org_customer.organisation)
    case = log_complaint(api.as_(theirs), other_org_customer, "Mon 2026-03-02 10:00")
    with at(NEXT_DAY):
        reply = api.as_(officer).get(
            f"complaints/{case['reference']}/remedies/suggestion", {"rate": "missed_appointment", "units": 1}
        )
    is_problem(reply, 404, "not-found")


def test_the_policy_lists_its_compensation_rates(api, officer, capsys):
    rates = api.as_(officer).get("policy").json()["compensation_rates"]
    assert rates[0] == {
        "key": "no_heating_or_hot_water",
        "label": "Each day without heating or hot water",
        "amount": "5.00",
        "per": "day",
        "purpose": "loss_of_amenity",
        "cap": None,
    }
    assert rates[-1]["cap"] == "100.00"
    call_command("policy", "check", "--json")
    assert json.loads(capsys.readouterr().out)["compensation_rates"] == rates


def _queries(client, path: str, params=None) -> int:
    with CaptureQueriesContext(connection) as captured, at("Mon 2026-03-16 10:00"):
        reply = client.get(path, params or {})
    assert reply.status_code == 200, reply.json()
    return len(captured)


def test_the_complaint_and_the_suggestion_take_the_same_queries_for_1_remedy_and_for_10(
    api, responded, officer
):
    olivia = api.as_(officer)
    case = offer(olivia, responded)
    detail = f"complaints/{case['reference']}"
    suggest = f"{detail}/remedies/suggestion"
    capped = {"rate": "complaint_handling_delay", "units": 2}
    _queries(olivia, detail)  # the token's first use
    few = (_queries(olivia, detail), _queries(olivia, suggest, capped))
    for n in range(2, 11):
        case = offer(
            olivia, case, amount=f"{n}.00", rate="complaint_handling_delay", units=1, purpose="costs"
        )
    assert (_queries(olivia, detail), _queries(olivia, suggest, capped)) == few
    assert few[1] > 0
