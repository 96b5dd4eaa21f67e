"""The main journey over the API, from logging to the final response, under every policy putright ships.

The same requests as a client would send, following each policy's rules: under the
Code's policy the responses are letters with reasons for each point, informal
resolution is never offered, and the stage 2 response is final; under the flagship
policy the appeal's outcome is. Dates are the standard journey's (tests/api/helpers.py).
"""

from __future__ import annotations

import pytest

from tests.api.conftest import instant
from tests.api.helpers import FULL_PANEL, JOURNEY, Journey, is_problem, iso, outcomes, step
from tests.cases.helpers import at, on

pytestmark = pytest.mark.django_db


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


def test_a_complaint_runs_from_logging_to_its_final_response(
    shipped_policy, journey, api, senior, panel_member
):
    case = journey.until("received")
    informal = "resolve_informally" in case["allowed_steps"]
    assert informal is shipped_policy.eligibility.informal_resolution

    case = journey.until("responded2")

    assert case["state"] == "stage2_responded"
    if shipped_policy.appeal is None:
        # The review's response is the final response; no appeal is offered.
        assert instant(case["final_response_at"]) == on(JOURNEY["responded2"])
        assert instant(case["ombudsman_direct_from"]) == on(JOURNEY["responded2"])
        assert "request_appeal" not in case["allowed_steps"]
        return
    sam, penny = api.as_(senior), api.as_(panel_member)
    case = journey.appealed(case, "Mon 2026-03-23 10:00")
    case = step(
        sam,
        case,
        "appeal/schedule",
        "Wed 2026-03-25 14:00",
        meeting_at=iso("Tue 2026-04-21 14:00"),
        location="Tom Moore House, North Walsham",
        panel=FULL_PANEL,
        agreed_with_customer=True,
    )
    case = step(
        penny, case, "appeal/decision", "Thu 2026-04-23 16:00", summary="Upheld", outcomes=outcomes(case)
    )
    case = step(penny, case, "final-response", "Fri 2026-04-24 11:00", method="letter")
    assert case["state"] == "appeal_responded"
    assert instant(case["final_response_at"]) == on("Fri 2026-04-24 11:00")


def test_a_response_without_reasons_is_refused_where_required(shipped_policy, journey, officer, api):
    case = journey.until("contacted")
    without_reasons = [{"point_id": p["id"], "outcome": "upheld"} for p in case["points"]]

    with at(JOURNEY["responded"]):
        reply = api.as_(officer).post(
            f"complaints/{case['reference']}/responses",
            {"version": case["version"], "method": "letter", "summary": "Sorry", "outcomes": without_reasons},
        )

    if shipped_policy.stage1.reasons_for_each_point:
        problem = is_problem(reply, 422, "invalid")
        assert problem["errors"] == [
            {
                "field": "outcomes[0].reasons",
                "message": "give the reasons for this point's outcome: the policy requires them at stage 1",
            }
        ]
    else:
        assert reply.status_code == 200, reply.json()
        assert reply.json()["state"] == "stage1_responded"
