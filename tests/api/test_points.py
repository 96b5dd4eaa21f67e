"""Over HTTP: the points of an open complaint (Code 6.8), its summary line, and the stage 2 review
by someone who did not handle stage 1 (Code 6.13)."""

from __future__ import annotations

import pytest

from putright.accounts.models import Role
from putright.cases.models import EventKind
from tests.api.conftest import _staff
from tests.api.helpers import Journey, is_problem, outcomes, read, step
from tests.cases.helpers import at

pytestmark = pytest.mark.django_db

WHY = "The stage 2 review must be by someone who did not handle stage 1."


@pytest.fixture
def journey(api, customer, frontline, officer, senior) -> Journey:
    return Journey(api, customer, frontline, officer, senior)


def test_points_are_added_reworded_and_split_before_the_stage_1_response(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("contacted")
    assert {"add_point", "edit_point", "split_point", "edit_summary"} <= set(case["allowed_steps"])
    first = case["points"][0]["id"]

    case = step(olivia, case, "points", "Wed 2026-03-04 10:00", wording="The damp in the bedroom")
    case = step(olivia, case, f"points/{first}/reword", "Wed 2026-03-04 10:05", wording="The roof repair")
    case = step(
        olivia,
        case,
        f"points/{first}/split",
        "Wed 2026-03-04 10:10",
        first="The roof repair was late",
        second="The ceiling was left stained",
    )

    assert [(p["number"], p["summary"]) for p in case["points"]] == [
        (1, "The roof repair was late"),
        (2, "Nobody called back"),
        (3, "The damp in the bedroom"),
        (4, "The ceiling was left stained"),
    ]
    added, reworded, split = case["timeline"][-3:]
    assert (added["kind"], added["data"]["new"]) == (EventKind.POINT_ADDED, "The damp in the bedroom")
    assert (reworded["data"]["old"], reworded["data"]["new"]) == (
        "The repair was not done",
        "The roof repair",
    )
    assert split["data"]["old"] == "The roof repair"
    assert split["data"]["new"] == ["The roof repair was late", "The ceiling was left stained"]


def test_after_the_stage_1_response_a_new_point_is_refused_and_nothing_changes(api, journey, officer):
    olivia = api.as_(officer)
    case = journey.until("responded")
    assert "add_point" not in case["allowed_steps"]
    with at("Fri 2026-03-13 09:00"):
        reply = olivia.post(
            f"complaints/{case['reference']}/points", {"version": case["version"], "wording": "The fence"}
        )
    body = is_problem(reply, 409, "step-not-allowed")
    assert body["reason"] == (
        "The stage 1 response has been given: its points stand as answered, and a new issue "
        "is now a new complaint. Raise it as a new matter."
    )
    after = read(olivia, case["reference"], "Fri 2026-03-13 09:01")
    assert (after["version"], after["points"]) == (case["version"], case["points"])


def test_a_front_line_adviser_changes_the_summary_but_not_the_points(api, journey, frontline):
    fran = api.as_(frontline)
    case = journey.until("received")
    case = step(fran, case, "summary", "Mon 2026-03-02 10:30", summary="Roof leak: repair cancelled")
    assert case["summary"] == "Roof leak: repair cancelled"
    assert case["timeline"][-1]["data"] == {
        "old": "Leaking roof not repaired",
        "new": "Roof leak: repair cancelled",
    }
    with at("Mon 2026-03-02 10:31"):
        reply = fran.post(
            f"complaints/{case['reference']}/points", {"version": case["version"], "wording": "X"}
        )
    assert reply.status_code == 403


def test_the_review_is_not_given_to_anyone_who_handled_stage_1(api, journey, org, team, officer, senior):
    zoe = _staff("zoe", Role.SENIOR_MANAGER, org, team)
    sam, olivia = api.as_(senior), api.as_(officer)
    case = journey.until("accepted")
    case = step(sam, case, "reassign", "Tue 2026-03-03 10:00", owner="sam")
    case = step(sam, case, "reassign", "Wed 2026-03-04 10:00", owner="olivia")
    case = step(
        olivia,
        case,
        "responses",
        "Thu 2026-03-12 15:00",
        method="letter",
        summary="S1",
        outcomes=outcomes(case),
    )

    with at("Fri 2026-03-13 10:00"):
        reply = olivia.post(
            f"complaints/{case['reference']}/escalate",
            {"version": case["version"], "grounds": ["b"], "owner": "sam"},
        )
    assert is_problem(reply, 409, "step-not-allowed")["reason"] == (
        f"Sam Staff cannot review stage 2: they handled stage 1. {WHY}"
    )
    case = step(olivia, case, "escalate", "Fri 2026-03-13 10:01", grounds=["b"], owner="zoe")
    assert case["state"] == "stage2"

    with at("Mon 2026-03-16 10:01"):
        reply = api.as_(zoe).post(
            f"complaints/{case['reference']}/reassign", {"version": case["version"], "owner": "sam"}
        )
    assert is_problem(reply, 409, "step-not-allowed")["reason"] == (
        f"Sam Staff cannot take the stage 2 review: they handled stage 1. {WHY}"
    )
    with at("Mon 2026-03-16 10:02"):
        reply = sam.post(
            f"complaints/{case['reference']}/responses",
            {"version": case["version"], "method": "letter", "summary": "S2", "outcomes": outcomes(case)},
        )
    assert is_problem(reply, 409, "step-not-allowed")["reason"] == (
        f"Sam Staff cannot record the stage 2 response: they handled stage 1. {WHY}"
    )
